"""Which months a unit's monthly report may be filed for, and a coordinator opening a past one
(services.periods), called directly."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shigan.core.models import AuditEntry
from shigan.indicators.models import Accumulation, Indicator, MeasureUnit
from shigan.indicators.services import ActualEntry, actuals_check
from shigan.tasks.models import PeriodOpening, ProgressReport, Task, TaskState
from shigan.tasks.services.periods import (
    PeriodState,
    period_open,
    period_state,
    task_months,
    task_period_error,
)
from shigan.tasks.services.progress import ReportEntry, monthly_report_submit, progress_submit
from shigan.testing import make_task

D = datetime.date
TODAY = D(2023, 7, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


@pytest.fixture
def may_task(world) -> Task:
    """Unit A's task running from 2023-05-10 to 2023-09-15."""
    return make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="油茶基地建设",
        start=D(2023, 5, 10),
        due=D(2023, 9, 15),
    )


def submit(world, task, period, text="本月进展"):
    return progress_submit(
        task=task,
        unit=task.lead_unit,
        period=period,
        by=world.reporter_a,
        text=text,
        milestones_reached={},
        uploads=[],
    )


def refusal(world, task, period) -> str:
    with pytest.raises(ValidationError) as refused:
        submit(world, task, period)
    assert ProgressReport.objects.count() == 0
    return " ".join(refused.value.messages)


def open_month(world, period, reason="系统故障未能按时填报", unit=None):
    return period_open(
        unit=unit or world.unit_a, period=period, by=world.coordinator, reason=reason
    )


def test_this_month_and_the_previous_one_are_open_by_default(world, may_task):
    assert submit(world, may_task, D(2023, 7, 1)).period == D(2023, 7, 1)
    assert submit(world, may_task, D(2023, 6, 1)).period == D(2023, 6, 1)


def test_a_month_before_the_tasks_start_month_is_refused_naming_both_months(world, may_task):
    open_month(world, D(2023, 4, 1))
    assert "2023年4月早于任务开始月份（2023年5月），不能填报" in refusal(
        world, may_task, D(2023, 4, 1)
    )


@pytest.mark.parametrize("period", [D(1900, 1, 1), D(1, 1, 1)])
def test_a_month_long_before_the_task_is_refused(world, may_task, period):
    month = f"{period.year}年1月"
    assert f"{month}早于任务开始月份（2023年5月），不能填报" in refusal(world, may_task, period)


def test_a_month_after_a_closed_tasks_due_month_is_refused(world, monkeypatch):
    task = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="春季植树",
        start=D(2023, 3, 1),
        due=D(2023, 6, 30),
    )
    task.state = TaskState.COMPLETED
    task.save(update_fields=["state"])
    message = task_period_error(task, D(2023, 7, 1))
    assert message == "2023年7月晚于任务完成时限所在月份（2023年6月），任务已办结，不能填报。"
    assert task_period_error(task, D(2023, 6, 1)) is None


def test_an_overdue_task_in_progress_keeps_reporting_after_its_due_month(world):
    task = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="春季植树",
        start=D(2023, 3, 1),
        due=D(2023, 6, 30),
    )
    report = submit(world, task, D(2023, 7, 1), "因雨季延误，七月补种完成八成")
    assert report.period == D(2023, 7, 1)


def test_a_future_month_is_refused(world, may_task):
    assert "不能填报未来月份（2023年8月）的进展" in refusal(world, may_task, D(2023, 8, 1))


def test_an_older_month_is_closed_until_a_coordinator_opens_it(world, may_task):
    message = refusal(world, may_task, D(2023, 5, 1))
    assert "2023年5月已过填报期（本月和上月可以填报），如需补报或更正，请联系专班" in message
    open_month(world, D(2023, 5, 1))
    report = submit(world, may_task, D(2023, 5, 1), "补报五月进展")
    assert report.period == D(2023, 5, 1)
    note = AuditEntry.objects.get(record_type="tasks.progressreport").note
    assert "补报2023年5月" in note and "系统故障未能按时填报" in note


def test_an_opening_is_for_one_unit_only(world):
    open_month(world, D(2023, 5, 1), unit=world.unit_b)
    assert "已过填报期" in refusal(world, world.task_a, D(2023, 5, 1))


def test_opening_is_audited_with_its_reason(world):
    opening = open_month(world, D(2023, 3, 1))
    assert (opening.unit, opening.period, opening.opened_by) == (
        world.unit_a,
        D(2023, 3, 1),
        world.coordinator,
    )
    entry = AuditEntry.objects.get(record_type="tasks.periodopening")
    assert entry.actor == world.coordinator and entry.action == "create"
    assert entry.note == "开放原因：系统故障未能按时填报"


@pytest.mark.parametrize(
    "period, reason, message",
    [
        (D(2023, 8, 1), "提前", "2023年8月是未来月份，不能开放补报"),
        (D(2023, 6, 1), "上月", "2023年6月在默认填报期内（本月和上月），无需开放"),
        (D(2023, 7, 1), "本月", "2023年7月在默认填报期内"),
        (D(2023, 4, 1), "  ", "请填写开放补报的原因"),
        (D(1900, 1, 1), "很早", "1900年1月超出允许的年份范围（1990—2100年）"),
    ],
)
def test_opening_is_refused_where_it_makes_no_sense(world, period, reason, message):
    with pytest.raises(ValidationError) as refused:
        open_month(world, period, reason)
    assert message in refused.value.messages[0]
    assert not PeriodOpening.objects.exists() and not AuditEntry.objects.exists()


def test_a_month_cannot_be_opened_twice(world):
    open_month(world, D(2023, 4, 1))
    with pytest.raises(ValidationError) as refused:
        open_month(world, D(2023, 4, 1), "再开一次")
    assert "区交通局的2023年4月已于" in refused.value.messages[0]
    assert PeriodOpening.objects.count() == 1


def test_a_closed_month_refuses_the_whole_monthly_report(world, may_task):
    entries = [ReportEntry(task=may_task, text="五月进展")]
    with pytest.raises(ValidationError) as refused:
        monthly_report_submit(
            unit=world.unit_a, period=D(2023, 5, 1), by=world.reporter_a, entries=entries
        )
    assert "已过填报期" in refused.value.message_dict[NON_FIELD_ERRORS][0]


def test_a_monthly_report_names_the_task_outside_its_months(world, may_task):
    entries = [ReportEntry(task=may_task, text="四月"), ReportEntry(task=world.task_a, text="四月")]
    open_month(world, D(2023, 4, 1))
    with pytest.raises(ValidationError) as refused:
        monthly_report_submit(
            unit=world.unit_a, period=D(2023, 4, 1), by=world.reporter_a, entries=entries
        )
    errors = refused.value.message_dict
    assert "早于任务开始月份（2023年5月）" in errors[str(may_task.pk)][0]
    assert str(world.task_a.pk) not in errors
    assert ProgressReport.objects.count() == 0


def test_the_state_reads_openings_only_for_months_before_the_previous_one(
    world, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert period_state(world.unit_a, D(2023, 6, 1), TODAY).is_open
        assert period_state(world.unit_a, D(2023, 8, 1), TODAY).is_future
    with django_assert_num_queries(1):
        assert not period_state(world.unit_a, D(2023, 5, 1), TODAY).is_open


def test_january_opens_the_previous_december_by_default():
    state = PeriodState(period=D(2022, 12, 1), today=D(2023, 1, 3))
    assert state.open_by_default and state.error() is None
    assert PeriodState(period=D(2022, 11, 1), today=D(2023, 1, 3)).error()


def test_a_task_without_dates_is_reported_within_its_campaigns_year(world):
    task = Task(campaign=world.campaign, start_date=None, due_date=None)
    assert task_months(task) == (D(2023, 1, 1), D(2023, 12, 1))


months = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)).map(
    lambda day: day.replace(day=1)
)


@given(
    start=st.dates(D(2020, 1, 1), D(2026, 12, 31)),
    days=st.integers(0, 900),
    period=months,
    state=st.sampled_from(TaskState.values),
)
def test_a_task_is_reportable_from_its_start_month_to_its_due_month_or_while_in_progress(
    start, days, period, state
):
    task = Task(start_date=start, due_date=start + datetime.timedelta(days=days), state=state)
    before_due = period <= task.due_date.replace(day=1)
    inside = start.replace(day=1) <= period and (before_due or state == TaskState.ACTIVE)
    assert (task_period_error(task, period) is None) == inside


def test_indicator_figures_outside_the_allowed_years_are_refused(world):
    indicator = Indicator.objects.create(
        name="固定资产投资",
        responsible_unit=world.unit_a,
        measure_unit=MeasureUnit.WAN_YUAN,
        accumulation=Accumulation.CUMULATIVE,
    )
    entry = ActualEntry(indicator=indicator, year=1, month=1, value=1)
    assert actuals_check([entry])[0][0].message == "1年超出允许的年份范围（1990—2100年）"
