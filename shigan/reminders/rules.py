"""The reminder rules — the one place they are defined.

Every rule reads facts as they stand on a day and says which records it fires for: the anchor
(what the firing is about: a due date, a month, a period), the round (the 2nd 催办 is round 2)
and the line a digest shows. Counting is in working days on the campaign district's calendar
(core.workdays: national holidays, 调休, the district's own overrides); `workdays_between(a, b)`
counts the working days after `a` up to and including `b`. Timing is per campaign
(ReminderRule), else RULE_DEFAULTS. Open items only (推进中, not yet 办结 or 取消). Nothing fires
on the district's rest days (weekends, public holidays, its own days off; a 调休 Saturday is a
working day): a run then sends nothing and the next working day's run fires what is due.

- 临期提醒 NEARING: an item whose due date, or its next unfinished milestone's, is today or
  within `days` working days after today. Once per date (a new milestone fires afresh).
- 逾期催办 OVERDUE: an item past its due date (as extended by an approved request) for `days`
  working days or more; again every `repeat_days` working days while it stays overdue (round
  1 + (overdue - days) // repeat_days). An extension gives a new due date: the count restarts.
- 滞后提醒 BEHIND: an item whose status (tasks.status) is 滞后: once a month while it is.
- 逾期未报 REPORT_MISSING: a unit that has not filed last month's report (every task it leads
  that reports that month) after the deadline, the `days`-th working day of this month (the
  filing schedule: FILING_DEADLINE_WORKDAY by default); again every `repeat_days` working days.
- 会议频次不足 CADENCE_BEHIND: a meeting series (monthly or quarterly, meetings.cadence) whose
  current period has no meeting yet and ends within `days` working days, or whose last period
  ended without one (缺会). Once per period and state.
- 审批待办 CHANGE_WAITING: a change request pending for `days` working days or more; again every
  `repeat_days` working days.
- 逾期督办 ESCALATION: an item overdue for `days` working days or more is put to the leaders
  overseeing (分管) its lead unit, else its responsible leader, else the district's coordinators
  (whoever has an account). Once per due date.

A repeating rule's record reads "（第 N 次催办）": N counts the reminders actually sent for the
same record and anchor, not the rounds the dates allow (a first run late in a month says 第1次).
"""

import datetime
from dataclasses import dataclass

from shigan.core.workdays import WorkCalendar

from .models import ReminderRule, RuleKind

FILING_DEADLINE_WORKDAY = 5


@dataclass(frozen=True)
class RuleDefault:
    days: int
    repeat_days: int | None  # None: the rule fires once per anchor, no repeat to set
    days_label: str
    repeat_label: str = ""


RULE_DEFAULTS: dict[str, RuleDefault] = {
    RuleKind.NEARING: RuleDefault(5, None, "到期前几个工作日内提醒"),
    RuleKind.OVERDUE: RuleDefault(
        1, 5, "逾期满几个工作日开始催办", "之后每隔几个工作日再催办（0为只催一次）"
    ),
    RuleKind.BEHIND: RuleDefault(0, None, "（滞后事项每月提醒一次，无需设置）"),
    RuleKind.REPORT_MISSING: RuleDefault(
        FILING_DEADLINE_WORKDAY,
        2,
        "月度进展报送截止：次月第几个工作日",
        "逾期未报后每隔几个工作日再提醒（0为只提醒一次）",
    ),
    RuleKind.CADENCE_BEHIND: RuleDefault(5, None, "本期尚未开会、距期末几个工作日内提醒"),
    RuleKind.CHANGE_WAITING: RuleDefault(
        3, 3, "变更申请待审批满几个工作日提醒专班", "之后每隔几个工作日再提醒（0为只提醒一次）"
    ),
    RuleKind.ESCALATION: RuleDefault(5, None, "逾期满几个工作日报分管领导督办"),
}
# The most a rule's `days` or `repeat_days` may be (a year of working days).
MAX_RULE_DAYS = 250


@dataclass(frozen=True)
class RuleSetting:
    kind: str
    enabled: bool
    days: int
    repeat_days: int

    @property
    def label(self) -> str:
        return RuleKind(self.kind).label


def rule_settings(campaign) -> dict[str, RuleSetting]:
    """The campaign's timing of every rule (its ReminderRule rows over the defaults): one query."""
    stored = {r.kind: r for r in ReminderRule.objects.filter(campaign=campaign)}
    settings = {}
    for kind, default in RULE_DEFAULTS.items():
        row = stored.get(kind)
        settings[kind] = RuleSetting(
            kind=kind,
            enabled=row.enabled if row else True,
            days=row.days if row else default.days,
            repeat_days=(row.repeat_days if row else default.repeat_days or 0)
            if default.repeat_days is not None
            else 0,
        )
    return settings


def repeat_round(elapsed: int, repeat_days: int) -> int:
    """The round of a repeating rule `elapsed` working days after its first firing."""
    return 1 + elapsed // repeat_days if repeat_days else 1


def nearing_date(
    due: datetime.date, today: datetime.date, days: int, calendar: WorkCalendar
) -> bool:
    """Whether `due` is today or within `days` working days after today: before the
    (days + 1)-th working day after today (the same as workdays_between(today, due) <= days,
    without counting day by day up to a far date)."""
    return today <= due < calendar.add_workdays(today, days + 1)


def overdue_workdays(due: datetime.date, today: datetime.date, calendar: WorkCalendar) -> int:
    """The working days an item due on `due` has been overdue on `today` (0 on its due day and
    on the rest days right after it)."""
    return max(calendar.workdays_between(due, today), 0) if today > due else 0


def overdue_round(
    due: datetime.date, today: datetime.date, setting: RuleSetting, calendar: WorkCalendar
) -> int | None:
    """The 催办 round due on `today` for an item due on `due`, None when it is not yet due."""
    late = overdue_workdays(due, today, calendar)
    if today <= due or late < max(setting.days, 1):
        return None
    return repeat_round(late - max(setting.days, 1), setting.repeat_days)


def escalation_due(
    due: datetime.date, today: datetime.date, setting: RuleSetting, calendar: WorkCalendar
) -> bool:
    return today > due and overdue_workdays(due, today, calendar) >= max(setting.days, 1)


def filing_deadline(
    period: datetime.date, calendar: WorkCalendar, workday: int = FILING_DEADLINE_WORKDAY
) -> datetime.date:
    """The last day a month's report counts as on time: the `workday`-th working day of the next
    month on `calendar`, or that month's last day when it has fewer working days."""
    following = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    deadline = calendar.nth_workday_of_month(following.year, following.month, max(workday, 1))
    if deadline is None:
        after = (following.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        deadline = after - datetime.timedelta(days=1)
    return deadline


def report_missing_round(
    period: datetime.date, today: datetime.date, setting: RuleSetting, calendar: WorkCalendar
) -> int | None:
    """The round of 逾期未报 due on `today` for `period`'s report, None before the deadline."""
    deadline = filing_deadline(period, calendar, setting.days)
    if today <= deadline:
        return None
    late = calendar.workdays_between(deadline, today)
    if late < 1:
        return None  # the rest days right after the deadline: the first working day fires
    return repeat_round(late - 1, setting.repeat_days)


def waiting_round(
    since: datetime.date, today: datetime.date, setting: RuleSetting, calendar: WorkCalendar
) -> int | None:
    """The round of 审批待办 for a request made on `since`, None while it waits less."""
    waited = calendar.workdays_between(since, today)
    if waited < max(setting.days, 1):
        return None
    return repeat_round(waited - max(setting.days, 1), setting.repeat_days)
