"""Personal API tokens: created on the account's own page (修改密码, section API令牌), shown once,
stored as a SHA-256 hash, read-only or read-write, expiring, revocable, last use recorded."""

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shigan.api.access import can_hold_tokens, get_token_for_user, tokens_of
from shigan.api.models import ApiToken, TokenScope
from shigan.api.services import DEFAULT_DAYS, MAX_DAYS, TOUCH_EVERY, token_create, token_revoke
from shigan.core.models import AuditAction, AuditEntry

TOKEN = re.compile(r"sg_[0-9a-f]{10}_[A-Za-z0-9_-]{40,}")
PROGRESS = {"period": "2023-07", "text": "完成路基施工"}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def create_on_page(client, **data):
    data = {"name": "大屏", "scope": "read"} | data
    if "expires_on" not in data:
        data["expires_on"] = (
            timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS)
        ).isoformat()
    return client.post("/api/tokens/", data)


def test_the_password_page_holds_the_token_section(world, client_for):
    html = client_for(world.reporter_a).get("/accounts/password/").content.decode()
    assert "API令牌" in html and 'action="/api/tokens/"' in html and "创建令牌" in html
    default = timezone.localdate() + datetime.timedelta(days=90)
    assert f'value="{default.isoformat()}"' in html  # 90 days by default


def test_token_is_shown_once_and_stored_only_as_its_hash(world, client_for):
    client = client_for(world.reporter_a)
    response = create_on_page(client)
    assert response.status_code == 200
    (raw,) = TOKEN.findall(response.content.decode())
    token = ApiToken.objects.get()
    assert token.user == world.reporter_a and token.scope == TokenScope.READ
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(f"sg_{token.prefix}_")
    stored = [str(v) for v in ApiToken.objects.values().get().values()]
    assert not any(raw in value or raw.split("_")[-1] in value for value in stored)
    entry = AuditEntry.objects.get(record_type="api.apitoken", action=AuditAction.CREATE)
    assert raw not in str(entry.changes) and token.secret_hash not in str(entry.changes)
    assert entry.actor == world.reporter_a
    again = client.get("/api/tokens/").content.decode()
    assert token.prefix in again and not TOKEN.findall(again)  # never shown a second time


def test_expiry_is_90_days_by_default_and_at_most_a_year(world, client_for):
    assert (DEFAULT_DAYS, MAX_DAYS) == (90, 365)
    token, _ = token_create(user=world.reporter_a, name="默认", scope="read")
    assert token.expires_on == timezone.localdate() + datetime.timedelta(days=90)
    late = (timezone.localdate() + datetime.timedelta(days=366)).isoformat()
    response = create_on_page(client_for(world.reporter_a), expires_on=late)
    assert "有效期最长一年" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_expired_token_is_401(world, token_client):
    client, token = token_client(world.reporter_a)
    assert client.get("/api/v1/tasks").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client.get("/api/v1/tasks")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401_and_the_revocation_audited(world, client_for, token_client):
    api, token = token_client(world.reporter_a)
    assert api.get("/api/v1/tasks").status_code == 200
    page = client_for(world.reporter_a)
    assert page.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/tasks").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.get(record_type="api.apitoken", action=AuditAction.UPDATE)
    assert entry.note == "撤销" and entry.actor == world.reporter_a


def test_someone_elses_token_cannot_be_revoked(world, client_for, token_client):
    _, token = token_client(world.reporter_a)
    response = client_for(world.reporter_b).post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert client_for(world.reporter_b).get(f"/api/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
    assert list(tokens_of(world.reporter_b)) == []
    assert get_token_for_user(world.reporter_a, token.pk) == token
    assert can_hold_tokens(world.reporter_a)


def test_a_read_only_token_gets_403_on_a_write(world, token_client):
    client, _ = token_client(world.reporter_a, scope="read")
    response = client.post(
        f"/api/v1/tasks/{world.task_a.pk}/progress", PROGRESS, content_type="application/json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "只读" in response.json()["detail"]
    writer, _ = token_client(world.reporter_a, scope="write")
    response = writer.post(
        f"/api/v1/tasks/{world.task_a.pk}/progress", PROGRESS, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_last_use_is_recorded_at_most_once_a_minute(world, token_client):
    assert TOUCH_EVERY == datetime.timedelta(minutes=1)
    client, token = token_client(world.reporter_a)
    assert token.last_used_at is None

    def updates_of_tokens():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/campaigns").status_code == 200
        return [q for q in queries if q["sql"].startswith("UPDATE") and "api_apitoken" in q["sql"]]

    assert len(updates_of_tokens()) == 1
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert updates_of_tokens() == []  # within the minute: no write
    earlier = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    assert len(updates_of_tokens()) == 1
    token.refresh_from_db()
    assert token.last_used_at > earlier


def test_unknown_or_malformed_tokens_are_401(world, token_client):
    _, token = token_client(world.reporter_a)
    forged = f"sg_{token.prefix}_{'x' * 43}"
    for header in (f"Bearer {forged}", "Bearer nonsense", "Basic cmVwb3J0ZXI6cHc=", "Bearer "):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/tasks")
        assert response.status_code == 401, header
        assert response["Content-Type"] == "application/problem+json"
    assert Client().get("/api/v1/tasks").status_code == 401  # no token, no session


def test_an_inactive_account_token_is_401(world, token_client):
    client, _ = token_client(world.reporter_a)
    world.reporter_a.is_active = False
    world.reporter_a.save()
    assert client.get("/api/v1/tasks").status_code == 401


def test_session_reads_and_writes_with_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.reporter_a)
    assert client.get("/api/v1/tasks").status_code == 200
    url = f"/api/v1/tasks/{world.task_a.pk}/progress"
    refused = client.post(url, PROGRESS, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/accounts/password/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(url, PROGRESS, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content


def test_revoking_twice_changes_nothing(world):
    token, _ = token_create(user=world.reporter_a, name="一次", scope="read")
    token_revoke(token=token, by=world.reporter_a)
    first = token.revoked_at
    token_revoke(token=token, by=world.reporter_a)
    assert token.revoked_at == first
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE).count() == 1


def test_an_account_without_a_role_holds_no_tokens(world, client_for):
    from_person = world.reporter_a.person
    from_person.role = ""
    from_person.save()
    client = client_for(world.reporter_a)
    assert not can_hold_tokens(world.reporter_a)
    assert client.get("/api/tokens/").status_code == 403
    assert "新建令牌" not in client.get("/accounts/password/").content.decode()


def test_a_blank_name_is_refused_naming_the_field(world, client_for):
    response = create_on_page(client_for(world.reporter_a), name="  ")
    assert response.status_code == 200 and "请填写令牌名称。" in response.content.decode()
    assert not ApiToken.objects.exists()
