"""`shigan remind` over the test world: each rule reaches the right people only, one digest per
person per day, a second run on the same day sends nothing, the item's history records every
催办 and 督办, the run's queries do not grow with the campaign."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import Concern, ConcernCategory, ConcernSource
from shigan.meetings.models import MeetingSeries
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.reminders.models import (
    Channel,
    Delivery,
    DeliveryState,
    Digest,
    Message,
    MessageKind,
    Notice,
    Reminder,
    ReminderRule,
    RuleKind,
    UnitRobot,
)
from shigan.reminders.queries.firing import campaign_firings
from shigan.reminders.services import digests_build, firings_record, remind_run
from shigan.reminders.tests.fake_robot import running_robot
from shigan.tasks.models import ChangeKind, ChangeRequest, ProgressReport, Task
from shigan.testing import make_task, make_user

D = datetime.date


def _run(day, **kw):
    return remind_run(today=day, now=timezone.now(), **kw)


def _inbox(user) -> list[Message]:
    return list(Message.objects.filter(recipient=user).order_by("id"))


JUNE_30 = D(2023, 6, 30)


def _overdue_task(world, due=JUNE_30, unit=None, title="兴业大道征地拆迁"):
    return make_task(
        campaign=world.campaign, category=world.category, unit=unit or world.unit_a,
        title=title, start=D(2023, 1, 1), due=due,
    )  # fmt: skip


def test_each_reporter_gets_one_digest_with_his_units_items_only(world):
    # Aug 25 2023: 兴业大道's milestone (Aug 31) is 4 working days away (临期); 清凉河 has done
    # none of its one milestone with 65% of its time gone (滞后); nobody filed July (due Aug 7).
    report = _run(D(2023, 8, 25))
    assert report.fired[RuleKind.NEARING] == 1
    assert report.fired[RuleKind.BEHIND] == 1
    assert report.fired[RuleKind.REPORT_MISSING] == 2
    [mine] = _inbox(world.reporter_a)
    [theirs] = _inbox(world.reporter_b)
    assert "兴业大道建设" in mine.body and "完成整体方案" in mine.body and "区交通局" in mine.body
    assert "清凉河" not in mine.body and "区水务局" not in mine.body
    assert "清凉河治理二期" in theirs.body and "兴业大道" not in theirs.body
    assert mine.title == "8月25日提醒：临期提醒1项、逾期未报1项"
    assert mine.kind == MessageKind.REPORT_CHASE  # the most pressing line: 逾期未报, a 催报
    assert Digest.objects.get(recipient=world.reporter_a).message == mine
    assert _inbox(world.leader) == [] and _inbox(world.coordinator) == []


def test_a_second_run_on_the_same_day_sends_nothing(world):
    _overdue_task(world)
    first = _run(D(2023, 7, 10))
    counts = (Reminder.objects.count(), Notice.objects.count(), Message.objects.count())
    second = _run(D(2023, 7, 10))
    assert first.total > 0 and first.digests > 0
    assert second.total == 0 and second.digests == 0
    assert (Reminder.objects.count(), Notice.objects.count(), Message.objects.count()) == counts
    call_command("remind", "--date", "2023-07-10")
    assert Message.objects.count() == counts[2]


def test_overdue_items_are_chased_again_every_five_working_days_and_escalated(world):
    task = _overdue_task(world)  # due Friday June 30
    _run(D(2023, 7, 3))  # 1 working day late: 催办 1
    _run(D(2023, 7, 6))  # 4: nothing new
    assert not Reminder.objects.filter(fired_on=D(2023, 7, 6)).exists()
    _run(D(2023, 7, 7))  # 5: 督办 to the leader overseeing 区交通局
    _run(D(2023, 7, 10))  # 6: 催办 2
    chases = Reminder.objects.filter(task=task, kind=RuleKind.OVERDUE).order_by("fired_on")
    assert [r.fired_on for r in chases] == [D(2023, 7, 3), D(2023, 7, 10)]
    assert chases[1].text.endswith("（第2次催办）")
    escalation = Reminder.objects.get(task=task, kind=RuleKind.ESCALATION)
    assert escalation.fired_on == D(2023, 7, 7)
    assert list(escalation.recipients.all()) == [world.leader]
    [leader_message] = _inbox(world.leader)
    assert (
        leader_message.kind == MessageKind.ESCALATION and "兴业大道征地拆迁" in leader_message.body
    )
    history = AuditEntry.objects.filter(task_id=task.pk).order_by("at", "id")
    actions = [e.action for e in history if e.record_type == "reminders.reminder"]
    assert actions == [AuditAction.CHASE, AuditAction.ESCALATE, AuditAction.CHASE]
    assert all(e.actor is None and e.note for e in history)
    # reporter_a: one digest on each of July 3 and 10 (7 July's was the leader's)
    assert [d.day for d in Digest.objects.filter(recipient=world.reporter_a).order_by("day")] == [
        D(2023, 7, 3),
        D(2023, 7, 10),
    ]


def test_an_extension_restarts_the_rounds_and_the_text_counts_every_chase(world):
    task = _overdue_task(world)
    _run(D(2023, 7, 3))
    Task.objects.filter(pk=task.pk).update(due_date=D(2023, 7, 14))
    _run(D(2023, 7, 17))  # 1 working day after the new due date
    rounds = Reminder.objects.filter(task=task, kind=RuleKind.OVERDUE).order_by("id")
    assert [(r.anchor, r.round, r.text[-7:]) for r in rounds] == [
        ("2023-06-30", 1, "（第1次催办）"),
        ("2023-07-14", 1, "（第2次催办）"),  # the item's 2nd 催办, whatever its due date
    ]


def test_escalation_goes_to_the_responsible_leader_then_the_coordinators(world):
    nobody = Unit.objects.create(name="区住建局", kind=UnitKind.BUREAU, parent=world.district)
    led = _overdue_task(world, unit=nobody, title="老旧小区改造")
    led.leader = world.leader_person
    led.save()
    orphan = _overdue_task(world, unit=nobody, title="背街小巷整治")
    _run(D(2023, 7, 7))
    assert list(Reminder.objects.get(task=led, kind=RuleKind.ESCALATION).recipients.all()) == [
        world.leader
    ]
    assert list(Reminder.objects.get(task=orphan, kind=RuleKind.ESCALATION).recipients.all()) == [
        world.coordinator
    ]


def test_a_person_with_todays_digest_gets_later_reminders_tomorrow(world):
    _overdue_task(world)
    _run(D(2023, 7, 3))
    late = _overdue_task(world, due=D(2023, 6, 29), title="交通标志更新")
    firings = [f for f in campaign_firings(world.campaign, D(2023, 7, 3)) if f.task == late]
    firings_record(campaign=world.campaign, firings=firings, day=D(2023, 7, 3))
    assert digests_build(day=D(2023, 7, 3)) == []
    assert Message.objects.filter(recipient=world.reporter_a).count() == 1
    [(digest, reminders)] = digests_build(day=D(2023, 7, 4))
    assert digest.recipient == world.reporter_a and [r.task for r in reminders] == [late]


def test_disabled_rules_and_campaign_timing(world):
    _overdue_task(world)
    ReminderRule.objects.create(
        campaign=world.campaign, kind=RuleKind.OVERDUE, days=3, repeat_days=0
    )
    ReminderRule.objects.create(
        campaign=world.campaign, kind=RuleKind.ESCALATION, days=5, enabled=False
    )
    assert _run(D(2023, 7, 4)).fired[RuleKind.OVERDUE] == 0  # 2 working days late
    assert _run(D(2023, 7, 5)).fired[RuleKind.OVERDUE] == 1  # 3
    later = _run(D(2023, 7, 20)).fired  # once only, no escalation
    assert later[RuleKind.OVERDUE] == 0 and later[RuleKind.ESCALATION] == 0


def test_a_filed_unit_is_not_chased_and_a_closed_campaign_is_quiet(world):
    filed = ProgressReport.objects.create(
        task=world.task_a, unit=world.unit_a, period=D(2023, 7, 1), text="7月进展",
        submitted_by=world.reporter_a,
    )  # fmt: skip
    at = timezone.make_aware(datetime.datetime(2023, 8, 3, 9))
    ProgressReport.objects.filter(pk=filed.pk).update(submitted_at=at)
    _run(D(2023, 8, 8))  # the day after the deadline
    missing = Reminder.objects.filter(kind=RuleKind.REPORT_MISSING)
    assert [r.unit for r in missing] == [world.unit_b]
    assert missing[0].text.startswith(
        "逾期未报：区水务局 2023年7月工作进展已过报送截止日（8月7日）"
    )
    assert _run(D(2024, 1, 10)).total == 0  # the 2023 campaign has ended


def test_change_requests_and_meeting_cadence_remind_the_coordinators(world):
    request = ChangeRequest.objects.create(
        task=world.task_b, kind=ChangeKind.EXTEND, reason="汛期", requested_by=world.reporter_b,
        proposed_due_date=D(2024, 3, 31),
    )  # fmt: skip
    ChangeRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.make_aware(datetime.datetime(2023, 9, 27, 10))
    )
    MeetingSeries.objects.create(
        name="领导小组会议", campaign=world.campaign, cadence="quarterly",
        organiser=world.district, active_from=D(2023, 1, 1),
    )  # fmt: skip
    _run(D(2023, 9, 22))  # Q3 has no meeting and ends in 4 working days
    _run(D(2023, 10, 8))  # the request has waited 3 working days; Q3 ended without one
    texts = [r.text for r in Reminder.objects.filter(notices__recipient=world.coordinator)]
    assert "会议频次：「领导小组会议」2023年第三季度尚未召开（期末9月30日）" in texts
    assert "会议频次：「领导小组会议」2023年第三季度未召开（缺会）" in texts
    assert any(t.startswith("待审批：「清凉河治理二期」的调整时限申请") for t in texts)
    assert (
        not Message.objects.filter(recipient__in=[world.reporter_a, world.reporter_b])
        .filter(body__contains="待审批")
        .exists()
    )


def test_dry_run_writes_nothing(world, capsys):
    _overdue_task(world)
    report = _run(D(2023, 7, 7), dry_run=True)
    assert report.fired == {RuleKind.OVERDUE: 1, RuleKind.ESCALATION: 1, RuleKind.BEHIND: 1}
    assert not Reminder.objects.exists() and not Message.objects.exists()
    call_command("remind", "--dry-run", "--date", "2023-07-07")
    out = capsys.readouterr().out
    assert "预演" in out and "兴业大道征地拆迁" in out and "→ 1人" in out
    assert not AuditEntry.objects.filter(record_type="reminders.reminder").exists()


def test_a_bad_date_is_a_clear_error(world):
    with pytest.raises(CommandError, match="--date"):
        call_command("remind", "--date", "2023-13-01")


def _grow(world):
    """Five more units, each with a reporter and three overdue items (within one insert batch
    of SQLite's 999 parameters: bulk inserts are split into batches beyond that)."""
    first = Unit.objects.count()
    for i in range(first, first + 5):
        unit = Unit.objects.create(name=f"区第{i}局", kind=UnitKind.BUREAU, parent=world.district)
        make_user(f"grown{i}", unit=unit, role=Role.REPORTER, name=f"填报{i}")
        for j in range(3):
            _overdue_task(world, unit=unit, title=f"第{i}局事项{j}")


def test_the_dry_runs_queries_do_not_grow_with_the_campaign(world):
    _overdue_task(world)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            _run(D(2023, 7, 7), dry_run=True)
        counts.append(len(captured))
        _grow(world)
    assert counts[0] == counts[1]


def test_the_runs_queries_do_not_grow_with_the_campaign(world):
    _overdue_task(world)

    def count():
        with CaptureQueriesContext(connection) as captured:
            _run(D(2023, 7, 7))
        return len(captured)

    first = count()
    _grow(world)
    Reminder.objects.all().delete()
    Message.objects.all().delete()
    assert count() == first


def test_the_run_sends_each_digest_by_email_and_each_units_robot_once(world, settings, mailoutbox):
    settings.SHIGAN_EMAIL_ENABLED = True
    settings.SHIGAN_QUIET_HOURS = ""
    world.reporter_a.email = "wang@example.gov.cn"
    world.reporter_a.save()
    _overdue_task(world)
    robots = running_robot(settings)
    fake = next(robots)
    try:
        UnitRobot.objects.create(
            unit=world.unit_a, channel=Channel.DINGTALK, webhook=fake.webhook()
        )
        report = _run(D(2023, 7, 7))
        again = _run(D(2023, 7, 7))
    finally:
        next(robots, None)
    assert report.sent == 2 and report.failed == 0 and again.sent == 0
    [email] = mailoutbox
    assert email.to == ["wang@example.gov.cn"] and "兴业大道征地拆迁" in email.body
    [posted] = fake.received
    text = posted.body["markdown"]["text"]
    assert "兴业大道征地拆迁" in text and "清凉河" not in text  # unit B's item is not unit A's
    assert "督办" not in text  # the leader's escalation is not posted to the unit's group
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_nothing_fires_on_rest_days_and_the_next_working_day_catches_up(world):
    _overdue_task(world, due=D(2023, 9, 27))
    assert _run(D(2023, 10, 2)).total == 0  # National Day holiday
    assert _run(D(2023, 10, 7)).fired[RuleKind.OVERDUE] == 1  # the 调休 Saturday is worked
    assert _run(D(2023, 10, 14)).total == 0  # an ordinary Saturday


def test_the_count_includes_chases_by_hand_and_reads_days_as_the_map_does(world):
    task = _overdue_task(world)
    Reminder.objects.create(
        kind=RuleKind.MANUAL_CHASE, campaign=world.campaign, task=task, unit=world.unit_a,
        record_type="tasks.task", record_id=task.pk, anchor="b" * 32, fired_on=D(2023, 7, 3),
        text="专班催办", sent_by=world.coordinator,
    )  # fmt: skip
    _run(D(2023, 7, 31))
    chase = Reminder.objects.get(task=task, kind=RuleKind.OVERDUE)
    # June 30 to July 31: 31 days, 21 working days; one 催办 by hand before.
    assert "已于6月30日到期，逾期31天（21个工作日）" in chase.text
    assert chase.text.endswith("（第2次催办）")


def test_a_unit_without_a_reporter_account_is_reported_to_the_coordinators(world):
    nobody = Unit.objects.create(name="区住建局", kind=UnitKind.BUREAU, parent=world.district)
    _overdue_task(world, unit=nobody, title="老旧小区改造")
    _run(D(2023, 7, 3))
    chase = Reminder.objects.get(kind=RuleKind.OVERDUE)
    assert list(chase.recipients.all()) == [world.coordinator]
    assert "该单位无填报员账号" in chase.text


def test_the_command_says_a_rest_day_and_refuses_a_future_date(world, capsys, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-10-10")
    call_command("remind", "--date", "2023-10-02")
    assert "2023-10-02是本区县的休息日，不发提醒。" in capsys.readouterr().out
    with pytest.raises(CommandError, match="未来日期"):
        call_command("remind", "--date", "2023-10-11")
    call_command("remind", "--date", "2023-10-11", "--dry-run")  # a preview may look ahead
    assert not Reminder.objects.exists()


def _concern(world, *, due, unit, closed_on=None):
    category = ConcernCategory.objects.get_or_create(
        district=world.district, name="一般诉求", defaults={"time_limit_workdays": 5}
    )[0]
    return Concern.objects.create(
        campaign=world.campaign, number=f"2023-{Concern.objects.count() + 1:04d}",
        source=ConcernSource.HOTLINE, category=category, requester_name="张三",
        requester_phone="13800001234", content="路灯不亮", received_on=due - datetime.timedelta(days=7),
        due_on=due, assigned_unit=unit, closed_on=closed_on,
    )  # fmt: skip


def test_concerns_past_their_time_limit_are_chased_and_escalated_to_the_overseer(world):
    open_one = _concern(world, due=D(2023, 9, 28), unit=world.unit_a)
    _concern(world, due=D(2023, 9, 28), unit=world.unit_a, closed_on=D(2023, 9, 27))
    _run(D(2023, 9, 28))  # due today: 临期 to the handling unit's reporter
    [nearing] = Reminder.objects.filter(record_type="grassroots.concern")
    assert nearing.kind == RuleKind.NEARING and nearing.record_id == open_one.pk
    assert "今天到期" in nearing.text and list(nearing.recipients.all()) == [world.reporter_a]
    assert "13800001234" not in nearing.text and "张三" not in nearing.text
    _run(D(2023, 10, 7))  # the first working day after (National Day; the 调休 Saturday)
    later = Reminder.objects.filter(record_type="grassroots.concern", fired_on=D(2023, 10, 7))
    assert {r.kind: list(r.recipients.all()) for r in later} == {
        RuleKind.OVERDUE: [world.reporter_a],
        RuleKind.ESCALATION: [world.leader],  # 李副区长 oversees 区交通局
    }
    assert all(r.link == f"/grassroots/concerns/{open_one.pk}/" for r in later)
