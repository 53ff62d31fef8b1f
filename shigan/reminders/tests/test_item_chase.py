"""一键催办 (/reminders/overdue/): the campaign's open items of every origin that are 逾期 today,
by lead unit, with days overdue and 已催办 N 次; shown with the text before it is sent; sending
records a 专班催办 reminder and a 催办 audit entry per item (no digest notice) and sends one
message per reporter account of each lead unit listing its items; a resubmitted form sends
nothing twice; the task page counts the chases; coordinators of the district only."""

import datetime
import re
import uuid

import pytest
from django.utils import timezone

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.meetings.services import decision_record
from shigan.meetings.tests.helpers import make_meeting
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.reminders.access import can_chase_items
from shigan.reminders.models import (
    Channel,
    Delivery,
    Message,
    MessageKind,
    Notice,
    Reminder,
    RuleKind,
    UnitRobot,
)
from shigan.reminders.queries.items import chase_tally, overdue_items
from shigan.reminders.services.item_chase import item_chase_send
from shigan.tasks.models import Task, TaskOrigin, TaskState
from shigan.testing import make_task, make_user

URL = "/reminders/overdue/"
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def items(world):
    """Three overdue items of two units (a list task, a meeting decision, a list task of unit B),
    one closed item past its date and one not yet due."""
    roads = make_task(campaign=world.campaign, category=world.category, unit=world.unit_a,
                      title="兴业大道征地拆迁", due=D(2023, 6, 30))  # fmt: skip
    meeting = make_meeting(world, date=D(2023, 3, 6))
    decision = decision_record(
        meeting=meeting, by=world.coordinator, title="完善公交站点", target="站点改造",
        lead_unit=world.unit_a, leader=world.leader_person, due_date=D(2023, 7, 10),
    ).task  # fmt: skip
    river = make_task(campaign=world.campaign, category=world.category, unit=world.unit_b,
                      title="清凉河清淤", due=D(2023, 7, 1))  # fmt: skip
    closed = make_task(campaign=world.campaign, category=world.category, unit=world.unit_b,
                       title="已办结事项", due=D(2023, 5, 1))  # fmt: skip
    Task.objects.filter(pk=closed.pk).update(state=TaskState.COMPLETED, closed_on=D(2023, 5, 2))
    return {"roads": roads, "decision": decision, "river": river, "closed": closed}


def _preview(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _batch(text: str) -> str:
    return re.search(r'name="batch" value="([0-9a-f]{32})"', text).group(1)


def _send(client, ids, text="请抓紧办理", **extra):
    form = {"items": [str(pk) for pk in ids], "text": text, "batch": _batch(_preview(client))}
    return client.post(URL, {**form, **extra})


def test_the_preview_lists_overdue_items_of_every_origin_by_lead_unit(world, items, client_for):
    text = _preview(client_for(world.coordinator))
    units = re.findall(r'<section class="card chase-unit" data-unit="(\d+)">', text)
    assert units == [str(world.unit_a.pk), str(world.unit_b.pk)]
    for key in ("roads", "decision", "river"):
        assert f'name="items" value="{items[key].pk}" id="item-{items[key].pk}" ' in text
    assert text.count('name="items"') == 3 and text.count(" checked") == 3  # all ticked
    assert "已办结事项" not in text and "兴业大道建设" not in text  # closed, not yet due
    assert "会议议定事项" in text and "清单任务" in text
    # due June 30, July 10 and July 1
    assert "逾期20天" in text and "逾期10天" in text and "逾期19天" in text
    assert "王填报" in text and "赵填报" in text and "未催办" in text
    assert "以下事项已超过完成时限" in text
    assert not Message.objects.exists() and not Reminder.objects.exists()


def test_sending_records_each_item_and_messages_each_reporter_once(world, items, client_for):
    make_user("reporter_a2", unit=world.unit_a, role=Role.REPORTER, name="孙填报")
    client = client_for(world.coordinator)
    ids = [items["roads"].pk, items["decision"].pk, items["river"].pk]
    response = _send(client, ids, text="请于7月25日前办结<script>")
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?campaign={world.campaign.pk}"
    reminders = Reminder.objects.order_by("task_id")
    assert [r.task_id for r in reminders] == sorted(ids)
    for r in reminders:
        assert (r.kind, r.round, r.fired_on, r.sent_by) == (
            RuleKind.MANUAL_CHASE,
            1,
            D(2023, 7, 20),
            world.coordinator,
        )
        assert (r.record_type, r.record_id, r.unit_id) == (
            "tasks.task",
            r.task_id,
            r.task.lead_unit_id,
        )
        assert r.text == "请于7月25日前办结<script>" and r.link == f"/tasks/{r.task_id}/"
    assert len({r.anchor for r in reminders}) == 1
    assert not Notice.objects.exists()  # manual chases are not digested
    sent = {m.recipient.username: m for m in Message.objects.all()}
    assert set(sent) == {"reporter_a", "reporter_a2", "reporter_b"}
    mine = sent["reporter_a"]
    assert mine.kind == MessageKind.ITEM_CHASE and mine.sender == world.coordinator
    assert mine.title == "催办：兴业大道征地拆迁等2项事项"
    assert "兴业大道征地拆迁" in mine.body and "完善公交站点" in mine.body
    assert "清凉河清淤" not in mine.body and "已逾期20天" in mine.body
    assert (
        mine.link == f"/tasks/?campaign={world.campaign.pk}&unit={world.unit_a.pk}&status=overdue"
    )
    assert sent["reporter_b"].link == f"/tasks/{items['river'].pk}/"
    entries = AuditEntry.objects.filter(action=AuditAction.CHASE).order_by("task_id")
    assert [e.task_id for e in entries] == sorted(ids)
    assert {e.note for e in entries} == {"专班催办（第1次）"}
    assert {e.actor for e in entries} == {world.coordinator}
    page = _preview(client)
    assert page.count("<td>1次<") >= 3 and "（今天已由专班催办）" in page


def test_the_count_includes_every_earlier_chase_the_rules_automatic_rounds_too(
    world, items, client_for
):
    roads = items["roads"]
    for _ in range(2):  # what the engine's 逾期催办 writes on the item's history
        audit_record(actor=None, obj=roads, action=AuditAction.CHASE, task_id=roads.pk,
                     note="逾期催办（第 1 次）")  # fmt: skip
    AuditEntry.objects.filter(task_id=roads.pk).update(
        at=timezone.now() - datetime.timedelta(days=3)
    )
    assert chase_tally([roads.pk])[roads.pk].count == 2
    client = client_for(world.coordinator)
    assert "<td>2次<" in _preview(client)
    _send(client, [roads.pk])
    latest = AuditEntry.objects.filter(task_id=roads.pk, action=AuditAction.CHASE).order_by("-id")[
        0
    ]
    assert latest.note == "专班催办（第3次）"
    task_page = client.get(f"/tasks/{roads.pk}/").content.decode()
    assert "已催办3次" in task_page


def test_only_the_ticked_items_are_chased(world, items, client_for):
    _send(client_for(world.coordinator), [items["river"].pk])
    assert list(Reminder.objects.values_list("task_id", flat=True)) == [items["river"].pk]
    assert list(Message.objects.values_list("recipient__username", flat=True)) == ["reporter_b"]


@pytest.mark.parametrize("which", ["closed", "not_due", "none"])
def test_an_item_not_overdue_or_none_ticked_is_refused(world, items, client_for, which):
    chosen = {"closed": [items["closed"].pk], "not_due": [world.task_a.pk], "none": []}[which]
    response = _send(client_for(world.coordinator), chosen)
    assert response.status_code == 200
    text = response.content.decode()
    assert ("已不在逾期事项中" in text) if chosen else ("请至少勾选一项" in text)
    assert not Reminder.objects.exists() and not Message.objects.exists()


def test_a_resubmitted_form_sends_nothing_twice(world, items, client_for):
    client = client_for(world.coordinator)
    form = {"items": [str(items["river"].pk)], "text": "请办理", "batch": _batch(_preview(client))}
    client.post(URL, form)
    again = client.post(URL, form, follow=True)
    assert "未再次发送" in again.content.decode()
    assert Reminder.objects.count() == 1 and Message.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.CHASE).count() == 1
    assert item_chase_send(by=world.coordinator, items=[items["river"]], text="x",
                           batch=form["batch"]) == []  # fmt: skip


def test_chasing_again_the_same_day_needs_a_confirmation(world, items, client_for):
    client = client_for(world.coordinator)
    _send(client, [items["river"].pk], text="第一次")
    text = _preview(client)
    assert "其中1项今天已由专班催办过" in text
    refused = _send(client, [items["river"].pk], text="第二次")
    assert refused.status_code == 200 and "如需再次催办" in refused.content.decode()
    assert Message.objects.count() == 1
    assert _send(client, [items["river"].pk], text="第二次", again="on").status_code == 302
    assert Message.objects.filter(body__startswith="第二次").count() == 1


def test_a_blank_or_too_long_text_is_refused(world, items, client_for):
    client = client_for(world.coordinator)
    assert "请填写催办内容" in _send(client, [items["river"].pk], text="  ").content.decode()
    assert "最多500字" in _send(client, [items["river"].pk], text="催" * 501).content.decode()
    assert not Reminder.objects.exists()


def test_a_unit_without_a_reporter_is_recorded_but_not_messaged(world, items, client_for):
    bare = Unit.objects.create(name="区城管局", kind=UnitKind.BUREAU, parent=world.district)
    task = make_task(campaign=world.campaign, category=world.category, unit=bare,
                     title="占道整治", due=D(2023, 7, 3))  # fmt: skip
    client = client_for(world.coordinator)
    assert "无填报员账号" in _preview(client)
    response = client.post(URL, {"items": [str(task.pk)], "text": "请办理",
                                 "batch": _batch(_preview(client))}, follow=True)  # fmt: skip
    assert "没有填报员账号" in response.content.decode()
    assert Reminder.objects.filter(task=task).exists() and not Message.objects.exists()
    assert AuditEntry.objects.filter(task_id=task.pk, action=AuditAction.CHASE).exists()


def test_the_board_offers_it_beside_the_report_chase(world, items, client_for):
    text = client_for(world.coordinator).get("/reminders/filing/").content.decode()
    assert (
        f'href="/reminders/overdue/?campaign={world.campaign.pk}">一键催办（3项逾期事项）' in text
    )


def test_only_the_districts_coordinators_chase_its_items(world, items, client_for):
    assert can_chase_items(world.coordinator) and not can_chase_items(world.leader)
    for user in (world.leader, world.reporter_a, world.reporter_b, world.inspector):
        assert client_for(user).get(URL).status_code == 403
        response = client_for(user).post(URL, {"items": [str(items["roads"].pk)], "text": "x"})
        assert response.status_code == 403
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    outsider, _ = make_user("yi", unit=other, role=Role.COORDINATOR, name="乙专班")
    client = client_for(outsider)
    assert "兴业大道征地拆迁" not in client.get(URL).content.decode()
    assert client.get(f"{URL}?campaign={world.campaign.pk}").status_code == 404
    assert client_for(world.coordinator).put(URL).status_code == 405
    assert overdue_items(outsider, world.campaign, D(2023, 7, 20)) == []
    assert not Reminder.objects.exists()


def test_the_task_page_shows_the_chases_and_its_history_reads_well(world, items, client_for):
    client = client_for(world.coordinator)
    _send(client, [items["decision"].pk], text="请尽快落实")
    for user in (world.coordinator, world.reporter_a, world.leader):
        text = client_for(user).get(f"/tasks/{items['decision'].pk}/").content.decode()
        assert "已催办1次" in text and re.search(r"（最近\d{4}-\d{2}-\d{2}）", text)
    history = re.search(r'<table class="history">(.*?)</table>', text, re.S).group(1)
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", history))
    assert "周专班 催办 提醒记录：请尽快落实 专班催办（第1次）" in row


def test_the_preview_runs_a_fixed_number_of_queries(world, items, client_for):
    client = client_for(world.coordinator)
    _send(client, [items["river"].pk])

    def grow(offset=0):
        for n in range(offset, offset + 5):
            unit = Unit.objects.create(name=f"单位{n}", kind=UnitKind.BUREAU, parent=world.district)
            make_user(f"rep{n}", unit=unit, role=Role.REPORTER, name=f"填报{n}")
            for m in range(3):
                task = make_task(campaign=world.campaign, category=world.category, unit=unit,
                                 title=f"任务{n}-{m}", due=D(2023, 6, 1 + m))  # fmt: skip
                audit_record(actor=world.coordinator, obj=task, action=AuditAction.CHASE,
                             task_id=task.pk)  # fmt: skip

    assert_same_queries(get_page(client, URL), grow, at_most=16, warm_up=True)
    board = get_page(client, "/reminders/filing/")
    assert_same_queries(board, lambda: grow(offset=10), warm_up=True)


def test_sending_runs_a_fixed_number_of_queries_whatever_the_items_and_units(world, items):
    UnitRobot.objects.create(
        unit=world.unit_a, channel=Channel.WECOM, webhook="https://qyapi.weixin.qq.com/a"
    )

    def send():
        for model in (Reminder, Message, Delivery):
            model.objects.all().delete()
        chosen = list(Task.objects.filter(due_date__lt=D(2023, 7, 20), state=TaskState.ACTIVE))
        assert item_chase_send(by=world.coordinator, items=chosen, text="请办理",
                               batch=uuid.uuid4().hex)  # fmt: skip

    def grow():
        more = [Unit.objects.create(name=f"单位{n}", kind=UnitKind.BUREAU, parent=world.district)
                for n in range(3)]  # fmt: skip
        for n, unit in enumerate(more):
            make_user(f"rep{n}", unit=unit, role=Role.REPORTER, name=f"填报{n}")
            UnitRobot.objects.create(
                unit=unit, channel=Channel.WECOM, webhook="https://qyapi.weixin.qq.com/x"
            )
        for n in range(9):
            unit = [world.unit_a, world.unit_b, *more][n % 5]
            make_task(campaign=world.campaign, category=world.category, unit=unit,
                      title=f"事项{n}", due=D(2023, 6, 1 + n))  # fmt: skip

    assert_same_queries(send, grow, warm_up=True)
    assert Reminder.objects.count() == 12 and Message.objects.count() == 5
    assert Delivery.objects.filter(channel=Channel.WECOM).count() == 4


def test_list_task_and_finding_origins_are_all_tracked_items(world, items):
    """The preview's rows are tasks.Task of every origin, read through tasks.access."""
    Task.objects.filter(pk=items["river"].pk).update(origin=TaskOrigin.FINDING)
    groups = overdue_items(world.coordinator, world.campaign, D(2023, 7, 20))
    origins = {i.task.origin for g in groups for i in g.items}
    assert origins == {TaskOrigin.LIST, TaskOrigin.DECISION, TaskOrigin.FINDING}


def test_the_chase_is_queued_by_email_and_once_to_the_units_robot(
    world, items, client_for, settings
):
    settings.SHIGAN_EMAIL_ENABLED = True
    world.reporter_a.email = "wang@example.cn"
    world.reporter_a.save()
    robot = UnitRobot.objects.create(
        unit=world.unit_a, channel=Channel.DINGTALK, webhook="https://oapi.dingtalk.com/robot/send"
    )
    make_user("reporter_a2", unit=world.unit_a, role=Role.REPORTER, name="孙填报")
    client = client_for(world.coordinator)
    batch = _batch(_preview(client))
    form = {"items": [str(items["roads"].pk), str(items["decision"].pk)], "text": "请办理"}
    client.post(URL, {**form, "batch": batch})
    client.post(URL, {**form, "batch": batch})  # resubmitted: nothing queued twice
    key = f"itemchase:{batch}:{world.unit_a.pk}"
    queued = {d.key: d for d in Delivery.objects.all()}
    assert set(queued) == {f"{key}:email:{world.reporter_a.pk}", f"{key}:robot:{robot.pk}"}
    assert queued[f"{key}:robot:{robot.pk}"].channel == Channel.DINGTALK
    assert "兴业大道征地拆迁" in queued[f"{key}:email:{world.reporter_a.pk}"].body
