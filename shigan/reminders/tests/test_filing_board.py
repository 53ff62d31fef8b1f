"""报送情况 and 一键催报: statuses at the filing deadline (the 5th working day of the next
month: July 7 for June 2023, July 1 and 2 being a weekend), when and by whom a unit filed, the
催报 reaching the not-filed units' reporter accounts only, recorded and audited, never sent twice
by a resubmitted form; coordinators of the district only; bounded queries."""

import datetime
import re

import pytest
from django.utils import timezone

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.orgs.models import Role, Unit, UnitKind, WorkdayOverride
from shigan.orgs.workdays import calendar_for
from shigan.reminders.access import can_chase_reports
from shigan.reminders.models import Chase, Message, MessageKind
from shigan.reminders.queries import FILING_DEADLINE_WORKDAY, filing_deadline
from shigan.tasks.models import ProgressReport, Task
from shigan.tasks.queries import unit_filing
from shigan.testing import make_task, make_user

JUNE = datetime.date(2023, 6, 1)
BOARD = "/reminders/filing/"
CHASE = "/reminders/filing/chase/"


def _file(world, task, at: datetime.datetime, by=None):
    report = ProgressReport.objects.create(
        task=task, unit=task.lead_unit, period=JUNE, text="6月进展",
        submitted_by=by or world.reporter_a,
    )  # fmt: skip
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=timezone.make_aware(at))
    return report


def _statuses(client, period="2023-06") -> dict[str, str]:
    text = client.get(f"{BOARD}?period={period}").content.decode()
    rows = re.findall(r"<tr data-unit=\"\d+\">\s*<td>(.*?)</td>\s*<td[^>]*>(.*?)</td>", text, re.S)
    return {unit: re.sub(r"<[^>]+>", "", status) for unit, status in rows}


def test_the_deadline_is_the_fifth_working_day_of_the_next_month():
    assert FILING_DEADLINE_WORKDAY == 5
    assert filing_deadline(JUNE) == datetime.date(2023, 7, 7)  # July 1-2 a weekend
    # October 1-6 the National Day holiday, Saturday 7 and Sunday 8 worked (调休).
    assert filing_deadline(datetime.date(2023, 9, 1)) == datetime.date(2023, 10, 11)
    # January 1 2024 New Year's Day: 2, 3, 4, 5, 8.
    assert filing_deadline(datetime.date(2023, 12, 1)) == datetime.date(2024, 1, 8)


def test_the_districts_own_days_move_the_deadline(world, client_for, monkeypatch):
    WorkdayOverride.objects.create(
        district=world.district, date=datetime.date(2023, 7, 4), is_workday=False, reason="汛期"
    )
    assert filing_deadline(JUNE, calendar_for(world.district.pk)) == datetime.date(2023, 7, 10)
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-08")
    client = client_for(world.coordinator)
    assert "2023年7月10日" in client.get(f"{BOARD}?period=2023-06").content.decode()
    assert _statuses(client) == {"区交通局": "未报", "区水务局": "未报"}


def test_not_filed_is_overdue_only_after_the_deadline_day(world, client_for, monkeypatch):
    client = client_for(world.coordinator)
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-07")
    assert _statuses(client) == {"区交通局": "未报", "区水务局": "未报"}
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-08")
    assert _statuses(client) == {"区交通局": "逾期未报", "区水务局": "逾期未报"}


def test_filed_on_the_deadline_day_is_on_time_and_the_day_after_is_late(
    world, client_for, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    _file(world, world.task_a, datetime.datetime(2023, 7, 7, 23, 50))
    _file(world, world.task_b, datetime.datetime(2023, 7, 8, 0, 10), by=world.reporter_b)
    client = client_for(world.coordinator)
    assert _statuses(client) == {"区交通局": "已报", "区水务局": "已报（逾期报送）"}
    text = client.get(f"{BOARD}?period=2023-06").content.decode()
    assert "2023-07-07 23:50" in text and "王填报" in text
    assert "2023-07-08 00:10" in text and "赵填报" in text


def test_a_unit_with_one_task_of_two_filed_has_not_filed(world, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-03")
    make_task(campaign=world.campaign, category=world.category, unit=world.unit_a, title="第二项")
    _file(world, world.task_a, datetime.datetime(2023, 7, 1, 9, 0))
    assert _statuses(client_for(world.coordinator))["区交通局"] == "未报"


def test_only_the_districts_coordinators_open_the_board(world, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    assert can_chase_reports(world.coordinator) and not can_chase_reports(world.reporter_a)
    for user in (world.reporter_a, world.leader, world.inspector):
        assert client_for(user).get(BOARD).status_code == 403
        assert client_for(user).post(CHASE + "?period=2023-06", {}).status_code == 403
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    other_unit = Unit.objects.create(name="乙县水务站", kind=UnitKind.BUREAU, parent=other)
    make_task(campaign=world.campaign, category=world.category, unit=other_unit, title="乙县任务")
    text = client_for(world.coordinator).get(BOARD + "?period=2023-06").content.decode()
    assert "区交通局" in text and "乙县水务站" not in text


def test_a_bad_or_future_period_is_named_and_this_month_shown(world, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    client = client_for(world.coordinator)
    bad = client.get(BOARD + "?period=2023-13")
    assert bad.status_code == 200 and "2023-13" in bad.content.decode()
    assert "2023年7月" in bad.content.decode()
    assert "未来月份" in client.get(BOARD + "?period=2023-09").content.decode()


def _preview(client, period="2023-06"):
    response = client.get(f"{CHASE}?period={period}")
    assert response.status_code == 200
    return response.content.decode()


def _batch(text: str) -> str:
    return re.search(r'name="batch" value="([0-9a-f]{32})"', text).group(1)


def test_chase_shows_the_text_then_messages_every_reporter_of_the_units_not_filed(
    world, client_for, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-03")
    _file(world, world.task_b, datetime.datetime(2023, 7, 1, 9, 0), by=world.reporter_b)
    second, _ = make_user("reporter_a2", unit=world.unit_a, role=Role.REPORTER, name="孙填报")
    make_user("leader_a", unit=world.unit_a, role=Role.LEADER, name="交通局领导")
    client = client_for(world.coordinator)
    text = _preview(client)
    assert "请于7月7日前报送6月工作进展。" in text
    assert "王填报" in text and "孙填报" in text and "赵填报" not in text
    assert Message.objects.count() == 0  # nothing is sent before the confirmation
    response = client.post(
        f"{CHASE}?period=2023-06", {"text": "请尽快报送6月进展<script>", "batch": _batch(text)}
    )
    assert response.status_code == 302
    sent = Message.objects.order_by("recipient__username")
    assert [m.recipient.username for m in sent] == ["reporter_a", "reporter_a2"]
    assert {m.kind for m in sent} == {MessageKind.REPORT_CHASE}
    assert {m.link for m in sent} == {"/tasks/report/?period=2023-06"}
    assert {m.sender for m in sent} == {world.coordinator}
    chase = Chase.objects.get()
    assert (chase.unit, chase.period, chase.recipients) == (world.unit_a, JUNE, 2)
    assert {m.record_id for m in sent} == {chase.pk}
    assert AuditEntry.objects.filter(record_type="reminders.chase", record_id=chase.pk).exists()
    board = client.get(BOARD + "?period=2023-06").content.decode()
    assert "已催报1次" in board and "请尽快报送6月进展&lt;script&gt;" in board
    assert second.inbox_messages.count() == 1


def test_a_resubmitted_form_sends_nothing_twice(world, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-03")
    client = client_for(world.coordinator)
    form = {"text": "请报送", "batch": _batch(_preview(client))}
    client.post(f"{CHASE}?period=2023-06", form)
    again = client.post(f"{CHASE}?period=2023-06", form, follow=True)
    assert "未再次发送" in again.content.decode()
    assert Chase.objects.count() == 2  # one per unit, once
    assert Message.objects.count() == 2


def test_chasing_again_the_same_day_needs_a_confirmation(world, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-03")
    client = client_for(world.coordinator)
    client.post(f"{CHASE}?period=2023-06", {"text": "第一次", "batch": _batch(_preview(client))})
    text = _preview(client)
    assert "今天已向区交通局、区水务局催报过" in text
    refused = client.post(f"{CHASE}?period=2023-06", {"text": "第二次", "batch": _batch(text)})
    assert refused.status_code == 200 and "如需再次发送" in refused.content.decode()
    assert Message.objects.count() == 2
    sent = client.post(
        f"{CHASE}?period=2023-06", {"text": "第二次", "batch": _batch(text), "again": "on"}
    )
    assert sent.status_code == 302
    assert Message.objects.filter(body="第二次").count() == 2
    assert "已催报2次" in client.get(BOARD + "?period=2023-06").content.decode()


def test_a_blank_or_too_long_text_is_refused(world, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-03")
    client = client_for(world.coordinator)
    batch = _batch(_preview(client))
    blank = client.post(f"{CHASE}?period=2023-06", {"text": "   ", "batch": batch})
    assert "请填写催报内容" in blank.content.decode()
    long = client.post(f"{CHASE}?period=2023-06", {"text": "报" * 501, "batch": batch})
    assert "最多500字" in long.content.decode()
    assert Message.objects.count() == 0


@pytest.mark.parametrize("url", [BOARD + "?period=2023-06", CHASE + "?period=2023-06"])
def test_the_board_and_the_preview_run_a_bounded_number_of_queries(
    world, client_for, monkeypatch, url
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    client = client_for(world.coordinator)
    _file(world, world.task_a, datetime.datetime(2023, 7, 2, 9, 0))
    Chase.objects.create(
        unit=world.unit_b, period=JUNE, text="催", recipients=1, sent_by=world.coordinator,
        batch="a" * 32,
    )  # fmt: skip

    def grow():
        for n in range(6):
            unit = Unit.objects.create(name=f"单位{n}", kind=UnitKind.BUREAU, parent=world.district)
            make_user(f"rep{n}", unit=unit, role=Role.REPORTER, name=f"填报{n}")
            task = make_task(
                campaign=world.campaign, category=world.category, unit=unit, title=f"任务{n}"
            )
            if n % 2:
                _file(world, task, datetime.datetime(2023, 7, 3, 9, 0))
            Chase.objects.create(
                unit=unit, period=JUNE, text="催", recipients=1, sent_by=world.coordinator,
                batch=f"{n:032d}",
            )  # fmt: skip

    assert_same_queries(get_page(client, url), grow, at_most=25, warm_up=True)


def test_sending_runs_a_fixed_number_of_queries(world, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-03")
    client = client_for(world.coordinator)

    def send():
        Chase.objects.all().delete()
        Message.objects.all().delete()
        form = {"text": "请报送", "batch": _batch(_preview(client)), "again": "on"}
        assert client.post(f"{CHASE}?period=2023-06", form).status_code == 302

    def grow():
        for n in range(5):
            unit = Unit.objects.create(name=f"单位{n}", kind=UnitKind.BUREAU, parent=world.district)
            make_user(f"rep{n}", unit=unit, role=Role.REPORTER, name=f"填报{n}")
            make_task(campaign=world.campaign, category=world.category, unit=unit, title=f"任{n}")

    assert_same_queries(send, grow, warm_up=True)
    assert Message.objects.count() == 7


def test_unit_filing_counts_reports_known_on_a_later_day_and_dates_the_first_filing(
    world, monkeypatch
):
    """tasks.queries.unit_filing's known_on and with_filers, which the board reads."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    first = _file(world, world.task_a, datetime.datetime(2023, 7, 3, 9, 0))
    correction = _file(world, world.task_a, datetime.datetime(2023, 7, 10, 9, 0))
    ProgressReport.objects.filter(pk=correction.pk).update(
        corrects=first, correction_reason="补充", submitted_by=world.coordinator
    )
    june_end = datetime.date(2023, 6, 30)
    as_known_then = unit_filing(world.campaign, june_end, Task.objects.all())
    assert [(r.unit.name, r.filed) for r in as_known_then] == [("区交通局", 0), ("区水务局", 0)]
    rows = unit_filing(
        world.campaign, june_end, Task.objects.all(), known_on=datetime.date(2023, 7, 20),
        with_filers=True,
    )  # fmt: skip
    filed = {r.unit.name: (r.filed, r.filed_at, r.filed_by) for r in rows}
    assert filed["区交通局"] == (
        1, timezone.make_aware(datetime.datetime(2023, 7, 3, 9, 0)), "王填报"
    )  # fmt: skip
    assert filed["区水务局"] == (0, None, "")
