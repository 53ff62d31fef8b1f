"""催报 and 催办 through the API as their pages (reminders:filing_board, filing_chase, item_chase,
handdown_chase): the coordinators' (403 for anyone else, 404 for a hand-down outside the caller's
reach), the same recipients and inbox messages through the same forms and services, audited, the
once-a-day rule (`again`), a retried sending never sent twice (the same batch, or the same
Idempotency-Key), the forms' messages naming the field, and flat query counts."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.directives.services import handdown_create
from shigan.directives.tests.factories import build_county, other_roles
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.reminders.models import Chase, Message, MessageKind, Reminder, RuleKind
from shigan.tasks.models import ProgressReport
from shigan.testing import make_task, make_user

JUNE = datetime.date(2023, 6, 1)
BOARD = "/api/v1/filing-board"
CHASE = "/api/v1/filing-chases"
ITEMS = "/api/v1/overdue-items"
ITEM_CHASE = "/api/v1/item-chases"


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def _file(world, task, by):
    report = ProgressReport.objects.create(
        task=task, unit=task.lead_unit, period=JUNE, text="6月进展", submitted_by=by
    )
    at = timezone.make_aware(datetime.datetime(2023, 7, 1, 9, 0))
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at)


@pytest.fixture
def july_3(monkeypatch, world):
    """July 3: June's reports are due July 7; unit B has filed, unit A has not."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-03")
    _file(world, world.task_b, world.reporter_b)
    return world


# --- 报送情况 and 一键催报 -----------------------------------------------------------------------


def test_the_board_is_the_pages_for_every_role(july_3, token_client, client_for):
    world = july_3
    for user in (world.coordinator, world.leader, world.inspector, world.reporter_a):
        api, _ = token_client(user, scope="read")
        answer = api.get(BOARD, {"period": "2023-06"})
        page = client_for(user).get("/reminders/filing/?period=2023-06")
        assert answer.status_code == page.status_code
        if answer.status_code == 403:
            assert answer.json()["detail"] == "报送情况和催报仅限专班。"
    api, _ = token_client(world.coordinator, scope="read")
    board = api.get(BOARD).json()  # the default month: June (the month being reported)
    assert board["period"] == "2023-06" and board["deadline"] == "2023-07-07"
    rows = {r["unit"]: r for r in board["rows"]}
    assert rows["区交通局"]["status"] == "pending" and rows["区交通局"]["may_chase"] is True
    assert rows["区水务局"]["status"] == "filed" and rows["区水务局"]["may_chase"] is False
    assert rows["区交通局"]["reporters"] == 1 and board["counts"]["pending"] == 1
    for bad, field in (("2023-13", "period"), ("2023-08", "period")):
        refused = api.get(BOARD, {"period": bad})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == field
    assert api.get(BOARD, {"campaign": 10**9}).status_code == 404


def test_the_board_runs_a_flat_number_of_queries(july_3, token_client):
    world = july_3
    api, _ = token_client(world.coordinator, scope="read")

    def grow():
        for n in range(6):
            unit = Unit.objects.create(name=f"单位{n}", kind=UnitKind.BUREAU, parent=world.district)
            make_user(f"rep{n}", unit=unit, role=Role.REPORTER, name=f"填报{n}")
            make_task(campaign=world.campaign, category=world.category, unit=unit, title=f"任务{n}")
            Chase.objects.create(
                unit=unit, period=JUNE, text="催", recipients=1, sent_by=world.coordinator,
                batch=f"{n:032d}",
            )  # fmt: skip

    grown = assert_same_queries(get_page(api, f"{BOARD}?period=2023-06"), grow, warm_up=True)
    assert len(grown.json()["rows"]) == 8


def test_a_chase_messages_the_reporters_of_the_units_not_filed_audited(july_3, token_client):
    world = july_3
    api, _ = token_client(world.coordinator)
    sent = post(api, CHASE, {"period": "2023-06"})
    assert sent.status_code == 201, sent.content
    assert sent.json()["detail"] == "已向1个单位的1名填报员发送催报。"
    assert [u["unit"] for u in sent.json()["units"]] == ["区交通局"]
    (message,) = Message.objects.all()
    assert message.recipient == world.reporter_a and message.kind == MessageKind.REPORT_CHASE
    assert message.body == "请于7月7日前报送6月工作进展。"  # the page's default text
    assert message.title == "催报：2023年6月工作进展" and message.sender == world.coordinator
    chase = Chase.objects.get()
    assert (chase.unit, chase.period, chase.recipients) == (world.unit_a, JUNE, 1)
    assert AuditEntry.objects.filter(record_type="reminders.chase", record_id=chase.pk).exists()


def test_a_retried_chase_does_not_send_twice(july_3, token_client):
    world = july_3
    api, _ = token_client(world.coordinator)
    body = {"text": "请尽快报送", "batch": "a1" * 16}
    first = post(api, CHASE, body, HTTP_IDEMPOTENCY_KEY="chase-1")
    replay = post(api, CHASE, body, HTTP_IDEMPOTENCY_KEY="chase-1")
    assert first.status_code == replay.status_code == 201 and replay.json() == first.json()
    assert Message.objects.count() == 1 and Chase.objects.count() == 1
    same_batch = post(api, CHASE, body)  # the page's resubmitted form: nothing sent
    assert same_batch.status_code == 200 and same_batch.json()["sent"] is False
    assert Message.objects.count() == 1 and Chase.objects.count() == 1
    new_batch = post(api, CHASE, {"text": "再催"})  # once a day unless `again`
    assert new_batch.status_code == 422
    assert new_batch.json()["errors"] == [
        {
            "field": "again",
            "detail": "今天已向以下单位催报过：区交通局；如需再次发送，请将 again 设为 true。",
        }
    ]
    assert Message.objects.count() == 1
    again = post(api, CHASE, {"text": "再催", "again": True})
    assert again.status_code == 201 and Message.objects.count() == 2
    assert world.reporter_a.inbox_messages.count() == 2


def test_the_chase_forms_messages_name_the_field(july_3, token_client):
    world = july_3
    api, _ = token_client(world.coordinator)
    cases = (
        ({"text": "   "}, "text", "请填写催报内容。"),
        ({"text": "报" * 501}, "text", "催报内容最多500字。"),
        ({"period": "2023-6x"}, "period", None),
    )
    for body, field, detail in cases:
        refused = post(api, CHASE, body)
        assert refused.status_code == 422, body
        (error,) = refused.json()["errors"]
        assert error["field"] == field and (detail is None or error["detail"] == detail)
    assert not Message.objects.exists() and not Chase.objects.exists()
    for user in (world.leader, world.inspector, world.reporter_a):
        other, _ = token_client(user)
        assert post(other, CHASE, {}).status_code == 403
    assert not Chase.objects.exists()


# --- 一键催办 of overdue items -----------------------------------------------------------------


@pytest.fixture
def overdue(monkeypatch, world):
    """July 20: unit A's 兴业大道征地拆迁 (due June 30) and unit B's 清凉河清淤 (due July 1) are
    overdue; unit A's 兴业大道建设 is not."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    roads = make_task(campaign=world.campaign, category=world.category, unit=world.unit_a,
                      title="兴业大道征地拆迁", due=datetime.date(2023, 6, 30))  # fmt: skip
    river = make_task(campaign=world.campaign, category=world.category, unit=world.unit_b,
                      title="清凉河清淤", due=datetime.date(2023, 7, 1))  # fmt: skip
    return world, roads, river


def test_the_overdue_items_are_the_pages_and_chasing_them_messages_each_unit(
    overdue, token_client, client_for
):
    world, roads, river = overdue
    for user in (world.leader, world.inspector, world.reporter_a):
        api, _ = token_client(user)
        assert api.get(ITEMS).status_code == client_for(user).get("/reminders/overdue/").status_code
        assert post(api, ITEM_CHASE, {"items": [roads.pk]}).status_code == 403
    api, _ = token_client(world.coordinator)
    listed = api.get(ITEMS).json()
    assert [(g["unit"], [i["task_id"] for i in g["items"]]) for g in listed["groups"]] == [
        ("区交通局", [roads.pk]),
        ("区水务局", [river.pk]),
    ]
    assert listed["groups"][0]["items"][0]["days_overdue"] == 20
    not_overdue = post(api, ITEM_CHASE, {"items": [world.task_a.pk]})
    assert not_overdue.status_code == 422
    assert not_overdue.json()["errors"] == [
        {
            "field": "items",
            "detail": f"所选事项“{world.task_a.pk}”已不在逾期事项中（可能已办结或延期），请重新勾选。",
        }
    ]
    none = post(api, ITEM_CHASE, {"items": []})
    assert none.json()["errors"] == [{"field": "items", "detail": "请至少勾选一项要催办的事项。"}]
    sent = post(api, ITEM_CHASE, {"items": [roads.pk, river.pk], "text": "请抓紧办理"})
    assert sent.status_code == 201, sent.content
    assert sent.json()["detail"] == "已催办2项事项，向2个单位的2名填报员发送消息。"
    recipients = sorted(m.recipient.username for m in Message.objects.all())
    assert recipients == ["reporter_a", "reporter_b"]
    assert AuditEntry.objects.filter(action=AuditAction.CHASE, task_id=roads.pk).count() == 1
    assert Reminder.objects.filter(kind=RuleKind.MANUAL_CHASE).count() == 2
    assert api.get(ITEMS).json()["groups"][0]["items"][0]["chased_today"] is True


def test_a_retried_item_chase_does_not_send_twice(overdue, token_client):
    world, roads, _ = overdue
    api, _ = token_client(world.coordinator)
    body = {"items": [roads.pk], "batch": "b2" * 16}
    first = post(api, ITEM_CHASE, body, HTTP_IDEMPOTENCY_KEY="item-1")
    replay = post(api, ITEM_CHASE, body, HTTP_IDEMPOTENCY_KEY="item-1")
    assert first.status_code == replay.status_code == 201 and replay.json() == first.json()
    resubmitted = post(api, ITEM_CHASE, body)
    assert resubmitted.status_code == 200 and resubmitted.json()["sent"] is False
    assert Message.objects.count() == 1
    refused = post(api, ITEM_CHASE, {"items": [roads.pk]})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "again"
    assert "“兴业大道征地拆迁”" in refused.json()["errors"][0]["detail"]
    assert Message.objects.count() == 1
    again = post(api, ITEM_CHASE, {"items": [roads.pk], "again": True})
    assert again.status_code == 201 and Message.objects.count() == 2


def test_the_overdue_items_run_a_flat_number_of_queries(overdue, token_client):
    world, _, _ = overdue
    api, _ = token_client(world.coordinator, scope="read")

    def grow():
        for n in range(5):
            unit = Unit.objects.create(name=f"单位{n}", kind=UnitKind.BUREAU, parent=world.district)
            make_user(f"rep{n}", unit=unit, role=Role.REPORTER, name=f"填报{n}")
            for m in range(3):
                make_task(campaign=world.campaign, category=world.category, unit=unit,
                          title=f"任务{n}-{m}", due=datetime.date(2023, 6, 1 + m))  # fmt: skip

    grown = assert_same_queries(get_page(api, ITEMS), grow, warm_up=True)
    assert len(grown.json()["groups"]) == 7


# --- 催办 of a hand-down ------------------------------------------------------------------------


@pytest.fixture
def handed_down(monkeypatch, db):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    county = build_county()
    (made,) = handdown_create(by=county.coordinator, upper_task=county.upper_task,
                              units=[county.districts[0].unit], today=datetime.date(2023, 7, 31))  # fmt: skip
    Message.objects.all().delete()  # the arrival's message
    return county, made


def test_the_handing_level_chases_the_districts_task_force(handed_down, token_client, world):
    county, handdown = handed_down
    url = f"/api/v1/handdowns/{handdown.pk}/chase"
    district, _ = token_client(county.districts[0].coordinator)
    refused = post(district, url, {})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有交办单位所在层级的专班可以催办该交办任务。"
    outsider, _ = token_client(world.coordinator)
    unknown = post(outsider, f"/api/v1/handdowns/{handdown.pk + 1000}/chase", {})
    assert post(outsider, url, {}).status_code == unknown.status_code == 404
    api, _ = token_client(county.coordinator)
    bad = post(api, url, {"text": "请\x07尽快"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "text", "detail": "“催办内容”含有不可见的控制字符，请删除后再保存。"}
    ]
    long = post(api, url, {"text": "催" * 501})
    assert long.json()["errors"] == [
        {"field": "text", "detail": "“催办内容”最多500字，现有501字。"}
    ]
    assert not Message.objects.exists()
    sent = post(api, url, {"text": ""}, HTTP_IDEMPOTENCY_KEY="hd-1")
    assert sent.status_code == 201, sent.content
    assert sent.json()["detail"] == "已向第1区党委政府专班的1人发送催办。"
    replay = post(api, url, {"text": ""}, HTTP_IDEMPOTENCY_KEY="hd-1")
    assert replay.status_code == 201 and replay.json() == sent.json()
    (message,) = Message.objects.all()  # the retry sent nothing
    assert message.recipient == county.districts[0].coordinator
    assert message.title == "催办：交办任务“优化营商环境专项行动”"
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.CHASE,
            task_id=county.upper_task.pk,
            record_type="directives.handdown",
        ).count()
        == 1
    )


def test_each_role_chases_a_hand_down_as_the_page(handed_down, token_client, client_for):
    """For every persona, the page's 催办 (302 when sent) and the API's answer alike: 201 for the
    handing level's coordinator; 403 for whoever reads the hand-down but did not make it; 404 for
    a reporter or a leader, who reads no hand-down (GET /handdowns is 403 to him), as for an id
    that does not exist — the page looks the hand-down up first too."""
    county, handdown = handed_down
    people = {
        "county": county.coordinator, "county_inspector": county.inspector,
        "district": county.districts[0].coordinator, "sibling": county.districts[1].coordinator,
        **other_roles(county),
    }  # fmt: skip
    expected = dict.fromkeys(people, 404) | {
        "county": 201, "county_inspector": 403, "district": 403, "district_inspector": 403,
    }  # fmt: skip
    for who, user in people.items():
        page_url = reverse("reminders:handdown_chase", args=[handdown.pk])
        page = client_for(user).post(page_url, {"text": ""})
        api, _ = token_client(user)
        response = post(api, f"/api/v1/handdowns/{handdown.pk}/chase", {})
        assert response.status_code == expected[who], (who, response.content)
        assert {302: 201}.get(page.status_code, page.status_code) == expected[who], who
    chased = AuditEntry.objects.filter(action=AuditAction.CHASE, record_id=handdown.pk)
    assert chased.count() == 2  # the coordinator's, once by the page and once by the API
