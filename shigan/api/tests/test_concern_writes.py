"""Writing the grassroots ledger through the API is writing it on the concern pages: the page's
forms (choices, messages) and grassroots.services.concerns (numbering, time limits, the order of
steps, the audit with the numbers masked). A ticket of the 12345 hotline sent twice is one
concern; the list filters by status as the page does."""

import datetime
import json

import pytest

from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import Concern, ConcernAction
from shigan.grassroots.tests.concern_helpers import ID_NUMBER, PHONE, category, concern

TODAY = datetime.date(2023, 7, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def hotline(world, **fields):
    return {
        "source": "hotline",
        "external_ref": "12345-20230720-0042",
        "received_on": "2023-07-20",
        "category": category(world, days=5).pk,
        "requester_name": "张群众",
        "requester_phone": PHONE,
        "requester_id_number": ID_NUMBER,
        "content": "小区路灯不亮",
    } | fields


def test_a_hotline_ticket_is_recorded_once_masked_and_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    first = post(api, "/api/v1/concerns", hotline(world, assigned_unit=world.unit_a.pk))
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["number"] == "2023-0001" and body["external_ref"] == "12345-20230720-0042"
    assert body["due_on"] == "2023-07-27"  # 5 working days after Thursday 2023-07-20
    assert body["step"] == "assigned" and body["assigned_unit_id"] == world.unit_a.pk
    assert body["requester_phone"] == "138****1234" and PHONE not in first.content.decode()
    assert [a["step"] for a in body["actions"]] == ["accepted", "assigned"]
    again = post(api, "/api/v1/concerns", hotline(world, content="重复推送"))
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Concern.objects.count() == 1 and ConcernAction.objects.count() == 2
    entry = AuditEntry.objects.get(record_type="grassroots.concern")
    assert entry.action == AuditAction.CREATE and entry.actor == world.coordinator
    assert PHONE not in json.dumps(entry.changes, ensure_ascii=False)
    other = post(api, "/api/v1/concerns", hotline(world, source="online"))
    assert other.status_code == 201  # 一网通办's ticket of the same number is another one
    unnumbered = [post(api, "/api/v1/concerns", hotline(world, external_ref="")) for _ in (1, 2)]
    assert [r.status_code for r in unnumbered] == [201, 201]
    assert Concern.objects.count() == 4


def test_only_the_task_force_records_a_concern(world, token_client):
    for user in (world.reporter_a, world.leader, world.inspector):
        api, _ = token_client(user)
        response = post(api, "/api/v1/concerns", hotline(world))
        assert response.status_code == 403, user
        assert response.json()["detail"] == "只有专班可以登记诉求。"
    read, _ = token_client(world.coordinator, scope="read")
    refused = post(read, "/api/v1/concerns", hotline(world))
    assert refused.status_code == 403 and "只读" in refused.json()["detail"]
    assert Concern.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"requester_name": "\u200b"}, "requester_name", "这个字段是必填项。"),
        ({"requester_phone": "abc"}, "requester_phone", "联系电话“abc”不是有效的号码"),
        ({"received_on": "2023-02-30"}, "received_on", "受理日期“2023-02-30”不是存在的日期"),
        ({"received_on": "2023-07-21"}, "received_on", "受理日期不能晚于今天。"),
        ({"kind": "dispute"}, "parties", "矛盾纠纷须填写纠纷当事人。"),
        ({"source": "visit"}, "source", "“visit”不是可选的值，请从列表中选择。"),
        ({"category": 999999}, "category", "选项不存在，请重新选择。"),
    ],
)
def test_bad_input_is_refused_with_the_pages_message(world, token_client, fields, field, message):
    api, _ = token_client(world.coordinator)
    response = post(api, "/api/v1/concerns", hotline(world, **fields))
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert errors[0]["field"] == field and message in errors[0]["detail"], errors
    assert Concern.objects.count() == 0
    assert not AuditEntry.objects.filter(record_type="grassroots.concern").exists()


def step(client, concern_id, **body):
    return post(client, f"/api/v1/concerns/{concern_id}/steps", {"on": "2023-07-20"} | body)


def test_the_assigned_unit_takes_the_steps_in_order_to_closure(world, token_client):
    item = concern(world, unit="a", received=datetime.date(2023, 7, 3))
    api, _ = token_client(world.reporter_a)
    assert step(api, item.pk, step="handling", note="已派人维修").status_code == 201
    skipped = step(api, item.pk, step="followed_up", note="回访", satisfaction="satisfied")
    assert skipped.status_code == 422 and skipped.json()["errors"][0]["field"] == "step"
    assert "下一步应为“答复”" in skipped.json()["detail"]
    assert step(api, item.pk, step="answered", note="已电话答复").status_code == 201
    unasked = step(api, item.pk, step="followed_up", note="已回访")
    assert unasked.status_code == 422
    assert unasked.json()["errors"] == [
        {"field": "satisfaction", "detail": "回访须选择诉求人的满意度。"}
    ]
    assert (
        step(api, item.pk, step="followed_up", note="满意", satisfaction="satisfied").status_code
        == 201
    )
    closed = step(api, item.pk, step="closed", note="路灯已修复")
    assert closed.status_code == 201
    body = closed.json()
    assert body["step"] == "closed" and body["closed_on"] == "2023-07-20"
    assert body["outcome"] == "路灯已修复" and body["status"] == "closed_late"
    entries = AuditEntry.objects.filter(record_type="grassroots.concern", action=AuditAction.UPDATE)
    assert entries.count() == 4 and {e.actor for e in entries} == {world.reporter_a}


def test_who_may_not_handle_a_concern_gets_the_pages_answer(world, token_client):
    item = concern(world, unit="a", received=datetime.date(2023, 7, 3))
    expected = {world.reporter_b: 404, world.leader: 403, world.inspector: 403}
    for user, status in expected.items():
        api, _ = token_client(user)
        assert step(api, item.pk, step="handling", note="办理").status_code == status, user
    read, _ = token_client(world.reporter_a, scope="read")
    assert step(read, item.pk, step="handling", note="办理").status_code == 403
    bad_date = step(token_client(world.reporter_a)[0], item.pk, step="handling", note="办理",
                    on="2023-07-02")  # fmt: skip
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "on"
    blank = step(token_client(world.reporter_a)[0], item.pk, step="handling", note="\ufeff")
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "note"
    assert ConcernAction.objects.filter(concern=item).count() == 2  # 受理, 转办 only


def test_the_task_force_assigns_a_concern_to_a_unit_of_its_district(
    world, other_district, token_client
):
    item = concern(world, unit=None, received=datetime.date(2023, 7, 3))
    api, _ = token_client(world.coordinator)
    elsewhere = other_district[1].lead_unit_id
    refused = step(api, item.pk, step="assigned", note="转办", to_unit=elsewhere)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "to_unit"
    done = step(api, item.pk, step="assigned", note="转交通局", to_unit=world.unit_b.pk)
    assert done.status_code == 201 and done.json()["assigned_unit_id"] == world.unit_b.pk


def test_the_list_filters_by_status_as_the_page(world, token_client, client_for):
    late = concern(world, unit="a", received=datetime.date(2023, 7, 3), days=5)
    nearing = concern(world, unit="a", received=datetime.date(2023, 7, 17), days=3)
    fresh = concern(world, unit="a", received=datetime.date(2023, 7, 20), days=10)
    api, _ = token_client(world.reporter_a, scope="read")
    for status, expected in (("overdue", [late]), ("nearing", [nearing]), ("open", [fresh])):
        response = api.get(f"/api/v1/concerns?status={status}")
        assert [i["id"] for i in response.json()["items"]] == [c.pk for c in expected], status
    assert api.get("/api/v1/concerns?status=closed_late").json()["items"] == []
    wrong = api.get("/api/v1/concerns?status=late")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "status"


def test_a_ticket_resent_in_another_case_or_width_is_the_same_concern(world, token_client):
    """The hotline's retry of ticket 12345-20230720-0042 written in lower case, in full-width
    digits, with a space at an end or a format character (a zero-width space, a bidi control:
    dropped wherever they are by core.text.clean_text) answers the concern recorded (200),
    nothing written; a number with a space or a control character inside is refused on
    external_ref."""
    api, _ = token_client(world.coordinator)
    first = post(api, "/api/v1/concerns", hotline(world, external_ref="12345-20230720-A042"))
    assert first.status_code == 201, first.content
    for ref in (
        "12345-20230720-a042",
        "１２３４５-20230720-Ａ042",
        " 12345-20230720-A042\u200b",
        "12345-2023\u200b0720-A042",
        "12345-\u202e20230720-A042",
    ):
        again = post(api, "/api/v1/concerns", hotline(world, external_ref=ref))
        assert again.status_code == 200, (ref, again.content)
        assert again.json()["id"] == first.json()["id"]
    for ref in ("12345-20230720\u3000A042", "12345 20230720-A042", "12345-\x0720230720"):
        refused = post(api, "/api/v1/concerns", hotline(world, external_ref=ref))
        assert refused.status_code == 422, (ref, refused.content)
        assert refused.json()["errors"] == [
            {"field": "external_ref", "detail": "外部工单号不能含空格或不可见字符。"}
        ]
    assert Concern.objects.count() == 1
