"""Which months a unit's monthly report may be filed for (填报月份), and opening a past one.

- Never a future month.
- A task only for the months from its start month to the month of its due date (a task without
  dates: its campaign's year); a task still in progress after its due date (逾期) keeps
  reporting until it is closed, since its reports explain the delay.
- This month and the previous one are open by default; an earlier month only once a coordinator
  has opened it for the unit (period_open, audited). Corrections follow the same rule: they are
  filings for the month they correct.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shigan.core import clock
from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.core.params import YEAR_RANGE
from shigan.orgs.models import Unit

from ..models import PeriodOpening, Task, TaskState


def month_label(period: datetime.date) -> str:
    return f"{period.year}年{period.month}月"


def previous_month(day: datetime.date) -> datetime.date:
    first = clock.month_start(day)
    return clock.month_start(first - datetime.timedelta(days=1))


@dataclass(frozen=True)
class PeriodState:
    """A month of a unit's report as of `today`: future, open by default, opened or closed."""

    period: datetime.date
    today: datetime.date
    opening: PeriodOpening | None = None

    @property
    def is_future(self) -> bool:
        return self.period > clock.month_start(self.today)

    @property
    def open_by_default(self) -> bool:
        return not self.is_future and self.period >= previous_month(self.today)

    @property
    def is_open(self) -> bool:
        return self.open_by_default or (not self.is_future and self.opening is not None)

    def error(self) -> str | None:
        """Why nothing can be filed for the month, or None."""
        month = month_label(self.period)
        if self.is_future:
            return f"不能填报未来月份（{month}）的进展。"
        if not self.is_open:
            return (
                f"{month}已过填报期（本月和上月可以填报），"
                "如需补报或更正，请联系专班为本单位开放该月份。"
            )
        return None

    def note(self) -> str:
        """What a report filed under an opening says in the history ("" when none was needed)."""
        if self.open_by_default or self.opening is None:
            return ""
        opened = timezone.localtime(self.opening.opened_at)
        return (
            f"补报{month_label(self.period)}：专班于{opened:%Y-%m-%d}开放，"
            f"原因：{self.opening.reason}"
        )


def period_state(unit: Unit, period: datetime.date, today: datetime.date) -> PeriodState:
    """The month's state for the unit; reads the openings only for a month before the default
    window (no query for this month or the previous one)."""
    state = PeriodState(period=period, today=today)
    if state.is_future or state.open_by_default:
        return state
    opening = PeriodOpening.objects.filter(unit=unit, period=period).first()
    return PeriodState(period=period, today=today, opening=opening)


def task_months(task: Task) -> tuple[datetime.date, datetime.date]:
    """The first and last month (first days) a task can be reported for."""
    if task.start_date and task.due_date:
        return clock.month_start(task.start_date), clock.month_start(task.due_date)
    year = task.campaign.year
    return datetime.date(year, 1, 1), datetime.date(year, 12, 1)


def task_period_error(task: Task, period: datetime.date) -> str | None:
    """Why `task` cannot be reported for `period` (outside its months), or None."""
    first, last = task_months(task)
    if period < first:
        return f"{month_label(period)}早于任务开始月份（{month_label(first)}），不能填报。"
    if period > last and task.state != TaskState.ACTIVE:
        return (
            f"{month_label(period)}晚于任务完成时限所在月份（{month_label(last)}），"
            f"任务{task.get_state_display()}，不能填报。"
        )
    return None


def _open_errors(unit: Unit, period: datetime.date, reason: str, today: datetime.date):
    month = month_label(period)
    if not YEAR_RANGE[0] <= period.year <= YEAR_RANGE[1]:
        return f"{month}超出允许的年份范围（{YEAR_RANGE[0]}—{YEAR_RANGE[1]}年）。"
    state = PeriodState(period=period, today=today)
    if state.is_future:
        return f"{month}是未来月份，不能开放补报。"
    if state.open_by_default:
        return f"{month}在默认填报期内（本月和上月），无需开放。"
    if not reason:
        return "请填写开放补报的原因。"
    opened = PeriodOpening.objects.filter(unit=unit, period=period).first()
    if opened is not None:
        at = timezone.localtime(opened.opened_at)
        return f"{unit}的{month}已于{at:%Y-%m-%d %H:%M}开放补报，无需重复开放。"
    return None


@transaction.atomic
def period_open(*, unit: Unit, period: datetime.date, by, reason: str) -> PeriodOpening:
    """Open a past month (before the previous one) of `unit`'s monthly report for late filing
    and corrections, audited with the reason. Raises ValidationError (a Chinese message) and
    writes nothing for a future month, a month open by default, a month already opened, or a
    missing reason."""
    period, reason = clock.month_start(period), reason.strip()
    if problem := _open_errors(unit, period, reason, clock.today()):
        raise ValidationError(problem)
    try:
        # The unique constraint settles two coordinators opening the same month at once.
        with transaction.atomic():
            opening = PeriodOpening.objects.create(
                unit=unit, period=period, reason=reason, opened_by=by
            )
    except IntegrityError:
        raise ValidationError(f"{unit}的{month_label(period)}已开放补报。") from None
    audit_record(actor=by, obj=opening, action=AuditAction.CREATE, note=f"开放原因：{reason}")
    return opening


def _name(user) -> str:
    try:
        return user.person.name
    except ObjectDoesNotExist:  # an account without a person (a superuser)
        return user.get_username()


def period_openings(unit: Unit) -> list[PeriodOpening]:
    """The unit's openings, latest month first, each with `opener` (who opened it); one query."""
    openings = list(PeriodOpening.objects.filter(unit=unit).select_related("opened_by__person"))
    for opening in openings:
        opening.opener = _name(opening.opened_by)
    return openings
