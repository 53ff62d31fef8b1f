"""Directives recorded and edited through the API as on their pages: POST /directives (the 录入文件
page's DirectiveForm, directives.services.directive_create) and PUT /directives/{id} (the 修改文件
page's DirectiveEditForm, directive_update: every point listed, a point used by a hand-down not
removable); the pages' messages on the body's fields, audited; each role's token answers what the
page answers (403 list / 404 detail for whoever does not read directives, 403 for whoever only
reads them); Idempotency-Key replays; unknown fields refused."""

import datetime
import json

import pytest
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.directives.models import Directive, DirectivePoint, HandDown
from shigan.directives.tests.factories import build_county

from .versions import versioned

URL = "/api/v1/directives"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def send(client, method, url, data, **headers):
    """`data` sent; a PUT without a version sends the one the directive's detail answers now."""
    call = client.post if method == "post" else client.put
    if method != "post":
        data = versioned(url, data)
    return call(url, json.dumps(data), content_type="application/json", **headers)


def new_body(world, **changes) -> dict:
    return {
        "issuer": world.district.pk, "number": "示范区委办发〔2023〕5号", "title": "关于实干年的通知",
        "issued_on": "2023-07-20", "points": ["一、压实责任", "二、按月报送"],
    } | changes  # fmt: skip


def edit_body(directive, **changes) -> dict:
    return {
        "issuer": directive.issuer_id, "number": directive.number, "title": directive.title,
        "issued_on": directive.issued_on.isoformat(),
        "points": [{"id": p.pk, "text": p.text} for p in directive.points.order_by("sort_order")],
    } | changes  # fmt: skip


def test_the_task_force_records_a_directive_with_its_points(world, token_client):
    api, _ = token_client(world.coordinator)
    made = send(api, "post", URL, new_body(world))
    assert made.status_code == 201, made.content
    answer = made.json()
    assert [p["text"] for p in answer["points"]] == ["一、压实责任", "二、按月报送"]
    assert answer["issuer"] == world.district.name and answer["files"] == []
    directive = Directive.objects.get()
    assert AuditEntry.objects.filter(
        record_type="directives.directive", action=AuditAction.CREATE, actor=world.coordinator
    ).exists()
    both = send(api, "post", URL, new_body(world, issuer_name="县委办公室"))
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "issuer_name"
    neither = send(api, "post", URL, new_body(world, issuer=None))
    assert neither.json()["errors"] == [
        {"field": "issuer", "detail": "请选择本级发文单位，或（上级来文）填写上级发文机关。"}
    ]
    empty = send(api, "post", URL, new_body(world, points=[]))
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "points"
    foreign = send(api, "post", URL, new_body(world, issuer=world.unit_a.pk))
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "issuer"
    unknown = send(api, "post", URL, new_body(world, files=[]))
    assert unknown.status_code == 422 and "files" in unknown.content.decode()
    assert Directive.objects.get() == directive


def test_an_edit_changes_points_adds_some_and_keeps_those_handed_down(world, token_client):
    api, _ = token_client(world.coordinator)
    directive_id = send(api, "post", URL, new_body(world)).json()["id"]
    directive = Directive.objects.get(pk=directive_id)
    first, second = directive.points.order_by("sort_order")
    url = f"{URL}/{directive_id}"
    body = edit_body(
        directive, title="关于实干年的补充通知",
        points=[{"id": first.pk, "text": "一、压实主体责任"}, {"id": second.pk, "remove": True}],
        new_points=["三、加强督查"],
    )  # fmt: skip
    edited = send(api, "put", url, body)
    assert edited.status_code == 200, edited.content
    answer = edited.json()
    assert answer["title"] == "关于实干年的补充通知"
    assert [p["text"] for p in answer["points"]] == ["一、压实主体责任", "三、加强督查"]
    assert not DirectivePoint.objects.filter(pk=second.pk).exists()
    assert AuditEntry.objects.filter(
        record_type="directives.directive", action=AuditAction.UPDATE
    ).exists()
    directive.refresh_from_db()
    missing = send(api, "put", url, edit_body(directive, points=[]))
    assert missing.status_code == 422 and "缺第1条" in missing.json()["detail"]
    third = directive.points.order_by("sort_order").last()
    kept = {"id": third.pk, "text": third.text}
    blank = send(api, "put", url, edit_body(directive, points=[{"id": first.pk}, kept]))
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "points"
    assert "第1条不能为空" in blank.json()["detail"]
    county = build_county(0)
    upper = county.upper_task
    HandDown.objects.create(
        upper_task=upper, point=first, unit=world.district, handed_by=county.coordinator,
        handed_on=datetime.date(2023, 7, 1),
    )  # fmt: skip
    used = send(
        api, "put", url, edit_body(directive, points=[{"id": first.pk, "remove": True}, kept])
    )
    assert used.status_code == 422  # the form offers no 删除 for a point handed down
    assert "该条已用于交办，不能删除" in used.json()["detail"]
    assert DirectivePoint.objects.filter(pk=first.pk).exists()


def test_each_roles_token_writes_a_directive_as_the_page(world, token_client, client_for):
    """Page and API alike for every persona: the page's POST (302 saved, 403, 404) and the
    API's (201/200, 403, 404), recording and then editing one directive of the district."""
    expected_new = {"coordinator": 201}
    expected_edit = {"coordinator": 200, "inspector": 403}
    for i, (name, user) in enumerate(world.users().items()):
        by_page = Directive.objects.create(
            issuer=world.district, number=f"示范区委办发〔2023〕{i}1号", title="页",
            issued_on=datetime.date(2023, 7, 1), created_by=world.coordinator,
        )  # fmt: skip
        by_api = Directive.objects.create(
            issuer=world.district, number=f"示范区委办发〔2023〕{i}2号", title="接口",
            issued_on=datetime.date(2023, 7, 1), created_by=world.coordinator,
        )  # fmt: skip
        for d in (by_page, by_api):
            DirectivePoint.objects.create(directive=d, text="一、要求", sort_order=1)
        page = client_for(user)
        api, _ = token_client(user)
        page_new = page.post(
            reverse("directives:directive_create"),
            {"issuer": world.district.pk, "number": f"页{name}〔2023〕1号", "title": "标题",
             "issued_on": "2023-07-20", "points": "一、要求"},
        ).status_code  # fmt: skip
        api_new = send(api, "post", URL, new_body(world, number=f"接口{name}〔2023〕1号"))
        assert {302: 201}.get(page_new, page_new) == api_new.status_code, (name, api_new.content)
        assert api_new.status_code == expected_new.get(name, 403), name
        (point,) = by_page.points.all()
        page_edit = page.post(
            reverse("directives:directive_edit", args=[by_page.pk]),
            {"issuer": world.district.pk, "number": by_page.number, "title": f"页改{name}",
             "issued_on": "2023-07-01", f"point_{point.pk}": "一、要求"},
        ).status_code  # fmt: skip
        api_edit = send(api, "put", f"{URL}/{by_api.pk}", edit_body(by_api, title=f"改{name}"))
        assert {302: 200}.get(page_edit, page_edit) == api_edit.status_code, (name, page_edit)
        assert api_edit.status_code == expected_edit.get(name, 404), name
        by_api.refresh_from_db()
        assert (by_api.title == f"改{name}") == (api_edit.status_code == 200), name
    read, _ = token_client(world.coordinator, scope="read")
    assert send(read, "post", URL, new_body(world, number="只读〔2023〕1号")).status_code == 403


def test_a_retried_record_with_its_key_is_replayed_not_doubled(world, token_client):
    api, _ = token_client(world.coordinator)
    key = {"HTTP_IDEMPOTENCY_KEY": "directive-1"}
    first = send(api, "post", URL, new_body(world), **key)
    again = send(api, "post", URL, new_body(world), **key)
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert Directive.objects.count() == 1
