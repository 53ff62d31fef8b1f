"""Idempotency-Key on the API's POSTs (api.idempotency): a retry with the caller's key answers
the first answer's status and body and writes nothing; the same key with another body is 422
in Chinese; an error is not kept (the corrected request may reuse the key); keys are each
token's (or session's) and kept 24 hours."""

import datetime
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from shigan.api.models import IdempotentRequest
from shigan.api.services import token_create
from shigan.core.models import AuditEntry
from shigan.meetings.models import Decision, Meeting
from shigan.meetings.tests.helpers import make_meeting
from shigan.publicity.models import MediaReport
from shigan.supervision.models import Finding, Inspection
from shigan.supervision.tests.helpers import make_inspection
from shigan.tasks.models import Task

from .test_meeting_writes import decision_body, meeting_body
from .test_supervision_writes import finding_body, inspection_body

KEY = "7f1c0a52-2b7e-4c43-9d6f-0d3f3b4b8a11"
HEADER = "HTTP_IDEMPOTENCY_KEY"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def post(client, url, data, key=KEY):
    headers = {} if key is None else {HEADER: key}
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def counts():
    return (
        Decision.objects.count(),
        Task.objects.count(),
        Meeting.objects.count(),
        Inspection.objects.count(),
        Finding.objects.count(),
        MediaReport.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_retried_decision_is_recorded_once(world, token_client):
    meeting = make_meeting(world)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    first = post(api, url, decision_body(world))
    assert first.status_code == 201, first.content
    written = counts()
    # the same body, its keys in another order and spaced otherwise, is the same request
    again = api.post(
        url,
        json.dumps(dict(reversed(decision_body(world).items())), indent=2),
        content_type="application/json",
        **{HEADER: KEY},
    )
    assert again.status_code == 201
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert again["Content-Type"] == first["Content-Type"]
    assert counts() == written and Decision.objects.count() == 1
    # another key is another decision
    assert post(api, url, decision_body(world), key="another-key").status_code == 201
    assert Decision.objects.count() == 2
    # without a key, a retry records again (as before)
    post(api, url, decision_body(world), key=None)
    post(api, url, decision_body(world), key=None)
    assert Decision.objects.count() == 4


def test_the_same_key_with_another_body_is_refused_writing_nothing(world, token_client):
    meeting = make_meeting(world)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    assert post(api, url, decision_body(world)).status_code == 201
    written = counts()
    other = post(api, url, decision_body(world, title="另一事项"))
    assert other.status_code == 422
    problem = other.json()
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    first = timezone.localtime(IdempotentRequest.objects.get().created_at)
    assert problem["detail"] == (
        f"该Idempotency-Key已用于另一请求（{first:%Y-%m-%d %H:%M}），请求体或地址不同；"
        "新的请求请换用新的键。"
    )
    elsewhere = post(api, "/api/v1/meetings", meeting_body(world))
    assert elsewhere.status_code == 422 and "已用于另一请求" in elsewhere.json()["detail"]
    assert counts() == written


@pytest.mark.parametrize("what", ["meeting", "inspection", "finding", "media_report"])
def test_every_create_without_a_natural_key_is_kept(world, token_client, what):
    if what == "meeting":
        user, url, body = world.coordinator, "/api/v1/meetings", meeting_body(world)
    elif what == "inspection":
        user, url, body = world.inspector, "/api/v1/inspections", inspection_body(world)
    elif what == "finding":
        inspection = make_inspection(world)
        user, body = world.inspector, finding_body(world)
        url = f"/api/v1/inspections/{inspection.pk}/findings"
    else:
        user, url = world.coordinator, "/api/v1/media-reports"
        body = {
            "campaign": world.campaign.pk, "title": "示范区实干年见闻", "outlet": "省日报",
            "level": "province", "date": "2023-07-18", "task": world.task_a.pk,
            "link": "https://news.example.cn/2023/0718.html",
        }  # fmt: skip
    api, _ = token_client(user)
    first = post(api, url, body)
    assert first.status_code == 201, first.content
    written = counts()
    again = post(api, url, body)
    assert (again.status_code, again.content) == (201, first.content)
    assert counts() == written


def test_an_error_is_not_kept_and_the_corrected_request_may_reuse_the_key(world, token_client):
    meeting = make_meeting(world)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    refused = post(api, url, decision_body(world, title=""))
    assert refused.status_code == 422
    assert not IdempotentRequest.objects.exists()
    assert post(api, url, decision_body(world)).status_code == 201
    assert Decision.objects.count() == 1


def test_keys_are_each_callers_and_kept_a_day(world, token_client):
    meeting = make_meeting(world)
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    first_token, first = token_client(world.coordinator)
    second_token, second = token_client(world.coordinator)
    assert post(first_token, url, decision_body(world)).status_code == 201
    assert post(second_token, url, decision_body(world)).status_code == 201
    assert Decision.objects.count() == 2
    session = Client()  # the browser's session: its own keys
    session.force_login(world.coordinator)
    assert post(session, url, decision_body(world)).status_code == 201
    assert Decision.objects.count() == 3
    # a day later the key is forgotten: the same request records again
    IdempotentRequest.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )
    assert post(first_token, url, decision_body(world)).status_code == 201
    assert Decision.objects.count() == 4
    # the other callers' expired keys went with it (purge_expired: anyone's, a bounded batch)
    callers = set(IdempotentRequest.objects.values_list("caller", flat=True))
    assert callers == {f"token:{first.pk}"}


def test_a_key_within_24_hours_is_still_kept(world, token_client):
    meeting = make_meeting(world)
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    api, _ = token_client(world.coordinator)
    assert post(api, url, decision_body(world)).status_code == 201
    record = IdempotentRequest.objects.get()
    record.created_at -= datetime.timedelta(hours=23, minutes=59)
    record.save()
    assert post(api, url, decision_body(world)).status_code == 201
    assert Decision.objects.count() == 1


def test_a_key_is_visible_ascii_of_at_most_255_characters(world, token_client):
    meeting = make_meeting(world)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    for key in ("x" * 256, "有 空格"):
        response = post(api, url, decision_body(world), key=key)
        assert response.status_code == 422, key
        assert response.json()["detail"] == (
            "Idempotency-Key 头应为1至255个可见ASCII字符（建议用UUID）。"
        )
    assert not Decision.objects.exists()
    assert post(api, url, decision_body(world), key="x" * 255).status_code == 201


def test_refusals_come_first(world, other_district, token_client):
    """Who may not write is refused as without a key (403/404), and no key is kept."""
    meeting = make_meeting(world)
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    read_only, _ = token_client(world.coordinator, scope="read")
    assert post(read_only, url, decision_body(world)).status_code == 403
    reader, _ = token_client(world.reporter_a)
    assert post(reader, url, decision_body(world)).status_code == 403
    outsider, _ = token_client(other_district[0])
    assert post(outsider, url, decision_body(world)).status_code == 404
    assert not IdempotentRequest.objects.exists() and not Decision.objects.exists()


def test_the_header_is_documented_on_every_write(client):
    schema = client.get("/api/v1/openapi.json").json()
    writes = [ops[m] for ops in schema["paths"].values() for m in ops if m in {"post", "put"}]
    assert len(writes) > 20
    for operation in writes:
        names = [(p["in"], p["name"]) for p in operation.get("parameters", [])]
        assert ("header", "Idempotency-Key") in names
    for ops in schema["paths"].values():
        for method in set(ops) - {"post", "put", "delete"}:
            names = [p["name"] for p in ops[method].get("parameters", [])]
            assert "Idempotency-Key" not in names


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's writers queue for the file")
def test_retries_sent_at_once_record_one_decision(world):
    """PostgreSQL: the key's row is inserted in the request's transaction; a retry arriving
    meanwhile waits on the unique constraint, then answers the first's answer."""
    meeting = make_meeting(world)
    raw = token_create(user=world.coordinator, name="并发", scope="write")[1]
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    barrier = threading.Barrier(4)

    def send(_):
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
            barrier.wait()
            response = post(client, url, decision_body(world))
            return response.status_code, response.content
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(send, range(4)))
    assert {status for status, _ in answers} == {201}
    assert len({content for _, content in answers}) == 1
    assert Decision.objects.count() == 1
