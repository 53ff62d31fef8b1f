"""What the reminder rules (rules.py) fire for in one campaign on one day: the facts read in a
fixed number of queries whatever the campaign's size, the rules applied in Python.

`campaign_firings(campaign, today)` returns every firing due that day, already-fired ones
included; services/remind.py keeps the new ones (the unique round of each record)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.workdays import WorkCalendar
from shigan.grassroots.models import Concern
from shigan.grassroots.steps import nearing_until
from shigan.meetings.cadence import PeriodState
from shigan.meetings.models import MeetingSeries
from shigan.meetings.queries import series_cadence_in
from shigan.orgs.models import Oversight, Person, Role, Unit
from shigan.orgs.workdays import calendar_for
from shigan.tasks.models import ChangeRequest, ChangeState, Task, TaskState
from shigan.tasks.queries import TaskRow, task_rows, unit_filing
from shigan.tasks.status import TaskStatus

from .. import rules
from ..models import RuleKind
from ..rules import RuleSetting, rule_settings
from .filing import reporter_accounts


@dataclass
class Firing:
    """One rule firing about one record, with the line it reads as and who receives it."""

    kind: str
    record_type: str
    record_id: int
    anchor: str
    round: int
    text: str
    link: str
    recipients: list = field(default_factory=list)
    task: Task | None = None
    unit: Unit | None = None
    # A repeating rule's word for its count: the recorded text ends "（第 N 次催办）", N counted
    # from the reminders actually sent for the same record and anchor (services/remind.py).
    ordinal: str = ""

    @property
    def key(self) -> tuple:
        return (self.kind, self.record_type, self.record_id, self.anchor, self.round)


@dataclass
class Facts:
    """What the rules read of one campaign on one day."""

    campaign: Campaign
    today: datetime.date
    calendar: WorkCalendar
    settings: dict[str, RuleSetting]
    rows: list[TaskRow]
    reporters: dict[int, list]
    overseers: dict[int, list]
    coordinators: list


def _day(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def _overseers(unit_ids) -> dict[int, list]:
    """The accounts of the leaders overseeing (分管) each unit, by unit id: one query."""
    found: dict[int, list] = defaultdict(list)
    links = Oversight.objects.filter(
        unit_id__in=unit_ids, leader__user__isnull=False, leader__user__is_active=True
    ).select_related("leader__user")
    for link in links.order_by("leader__sort_order", "leader_id"):
        found[link.unit_id].append(link.leader.user)
    return found


def _coordinators(district_id: int | None) -> list:
    """The active coordinator accounts of the district (who approve and convene): one query."""
    people = Person.objects.filter(
        role=Role.COORDINATOR, user__isnull=False, user__is_active=True
    ).select_related("user")
    if district_id is not None:
        people = people.filter(unit__district_id=district_id)
    return [p.user for p in people.order_by("sort_order", "id")]


def campaign_facts(campaign: Campaign, today: datetime.date) -> Facts:
    """The open items with their status, the recipients and the timing: six queries (and one
    per year of the district's calendar read)."""
    district_id = campaign.organiser.district_id
    tasks = Task.objects.filter(campaign=campaign, state=TaskState.ACTIVE, start_date__lte=today)
    rows = task_rows(tasks.select_related("leader__user"), today)
    units = {row.task.lead_unit_id for row in rows}
    return Facts(
        campaign=campaign,
        today=today,
        calendar=calendar_for(district_id),
        settings=rule_settings(campaign),
        rows=rows,
        reporters=reporter_accounts(list(Unit.objects.filter(pk__in=units))),
        overseers=_overseers(units),
        coordinators=_coordinators(district_id),
    )


def _item(kind, row: TaskRow, anchor, text, recipients, round_=1, ordinal="") -> Firing:
    task = row.task
    return Firing(
        kind=kind, record_type=Task._meta.label_lower, record_id=task.pk, anchor=anchor,
        round=round_, text=text, link=task.get_absolute_url(), recipients=recipients,
        task=task, unit=task.lead_unit, ordinal=ordinal,
    )  # fmt: skip


def _unit_people(facts: Facts, unit_id: int) -> tuple[list, str]:
    """The unit's reporter accounts; when it has none, the district's coordinators, with a note
    saying why they receive it (a reminder reaching nobody would be silently lost)."""
    reporters = facts.reporters.get(unit_id)
    if reporters:
        return reporters, ""
    return facts.coordinators, "（该单位无填报员账号，请专班转告或开通账号）"


def _leader_account(task: Task) -> list:
    """The responsible leader's account when nobody with an account oversees the lead unit."""
    leader = task.leader
    user = leader.user if leader is not None and leader.user_id else None
    return [user] if user is not None and user.is_active else []


def _nearing(facts: Facts, row: TaskRow) -> Firing | None:
    setting, today, cal = facts.settings[RuleKind.NEARING], facts.today, facts.calendar
    title = row.task.title
    recipients, note = _unit_people(facts, row.task.lead_unit_id)
    due = row.due_date
    milestone = row.next_milestone_due
    if (
        milestone is not None
        and milestone < due
        and rules.nearing_date(milestone, today, setting.days, cal)
    ):
        left = cal.workdays_between(today, milestone)
        when = "今天到期" if milestone == today else f"还剩{left}个工作日"
        text = f"临期：「{title}」的节点「{row.next_milestone_title}」计划{_day(milestone)}完成（{when}）{note}"
        return _item(RuleKind.NEARING, row, f"ms:{milestone}", text, recipients)
    if rules.nearing_date(due, today, setting.days, cal):
        left = cal.workdays_between(today, due)
        when = "今天到期" if due == today else f"还剩{left}个工作日"
        text = f"临期：「{title}」将于{_day(due)}到期（{when}）{note}"
        return _item(RuleKind.NEARING, row, f"due:{due}", text, recipients)
    return None  # fmt: skip


def _overdue(facts: Facts, row: TaskRow) -> list[Firing]:
    today, cal, due = facts.today, facts.calendar, row.due_date
    task, found = row.task, []
    late = rules.overdue_workdays(due, today, cal)
    setting = facts.settings[RuleKind.OVERDUE]
    round_ = rules.overdue_round(due, today, setting, cal) if setting.enabled else None
    if round_ is not None:
        reporters, note = _unit_people(facts, task.lead_unit_id)
        text = (
            f"逾期：「{task.title}」已于{_day(due)}到期，{_late(due, today, late)}，"
            f"请尽快办结或申请调整时限{note}"
        )
        found.append(_item(RuleKind.OVERDUE, row, str(due), text, reporters, round_, "催办"))
    setting = facts.settings[RuleKind.ESCALATION]
    if setting.enabled and rules.escalation_due(due, today, setting, cal):
        leaders = (
            facts.overseers.get(task.lead_unit_id) or _leader_account(task) or facts.coordinators
        )
        text = f"督办：「{task.title}」（牵头单位：{task.lead_unit}）{_late(due, today, late)}，请督促办理"
        found.append(_item(RuleKind.ESCALATION, row, str(due), text, leaders))
    return found


def _late(due: datetime.date, today: datetime.date, workdays: int) -> str:
    """ "逾期31天（21个工作日）": calendar days as the battle map counts them, and the working
    days the rules count."""
    return f"逾期{(today - due).days}天（{workdays}个工作日）"


def _behind(facts: Facts, row: TaskRow) -> Firing | None:
    if row.status != TaskStatus.BEHIND:
        return None
    task = row.task
    if row.next_milestone_due is not None and row.next_milestone_due < facts.today:
        why = f"节点「{row.next_milestone_title}」计划{_day(row.next_milestone_due)}完成，尚未完成"
    else:
        why = f"已完成节点{row.milestones_done}/{row.milestones_total}，落后于序时进度"
    recipients, note = _unit_people(facts, task.lead_unit_id)
    text = f"滞后：「{task.title}」{why}{note}"
    return _item(RuleKind.BEHIND, row, f"{facts.today:%Y-%m}", text, recipients)


def item_firings(facts: Facts) -> list[Firing]:
    """The tracked-item rules (临期, 逾期催办, 督办, 滞后) over the campaign's open items."""
    found = []
    for row in facts.rows:
        if row.status == TaskStatus.OVERDUE:
            found += _overdue(facts, row)
            continue
        if facts.settings[RuleKind.NEARING].enabled and (firing := _nearing(facts, row)):
            found.append(firing)
        if facts.settings[RuleKind.BEHIND].enabled and (firing := _behind(facts, row)):
            found.append(firing)
    return found


def report_firings(facts: Facts) -> list[Firing]:
    """逾期未报: units whose last month's report is incomplete after the deadline (two queries)."""
    setting = facts.settings[RuleKind.REPORT_MISSING]
    period = clock.month_start(clock.month_start(facts.today) - datetime.timedelta(days=1))
    round_ = rules.report_missing_round(period, facts.today, setting, facts.calendar)
    if (
        not setting.enabled
        or round_ is None
        or period < clock.month_start(facts.campaign.start_date)
    ):
        return []
    deadline = rules.filing_deadline(period, facts.calendar, setting.days)
    filings = unit_filing(
        facts.campaign, clock.month_end(period), Task.objects.all(), known_on=facts.today
    )
    missing = [f for f in filings if f.missing > 0]
    reporters = reporter_accounts([f.unit for f in missing])
    link = f"{reverse('monthly:report')}?period={period:%Y-%m}"
    found = []
    for f in missing:
        people = reporters.get(f.unit.pk)
        note = "" if people else "（该单位无填报员账号，请专班转告或开通账号）"
        found.append(
            Firing(
                kind=RuleKind.REPORT_MISSING, record_type=Unit._meta.label_lower,
                record_id=f.unit.pk, anchor=f"{period:%Y-%m}", round=round_, link=link,
                unit=f.unit, recipients=people or facts.coordinators, ordinal="催报",
                text=f"逾期未报：{f.unit} {period.year}年{period.month}月工作进展已过报送截止日"
                f"（{_day(deadline)}），尚有{f.missing}项未报送{note}",
            )
        )  # fmt: skip
    return found


def cadence_firings(facts: Facts) -> list[Firing]:
    """会议频次不足: the current period without a meeting ending within `days` working days, or
    the period just ended without one (two queries)."""
    setting, today, cal = facts.settings[RuleKind.CADENCE_BEHIND], facts.today, facts.calendar
    if not setting.enabled:
        return []
    found = []
    for cadence in series_cadence_in(facts.campaign, today, MeetingSeries.objects.all()):
        current = [p for p in cadence.periods if p.start <= today <= p.end]
        ended = [p for p in cadence.periods if p.end < today]
        due = []
        if current and current[-1].state == PeriodState.PENDING:
            if cal.workdays_between(today, current[-1].end) <= setting.days:
                due.append((current[-1], f"尚未召开（期末{_day(current[-1].end)}）"))
        if ended and ended[-1].state == PeriodState.MISSED:
            due.append((ended[-1], "未召开（缺会）"))
        series = cadence.series
        found += [
            Firing(
                kind=RuleKind.CADENCE_BEHIND, record_type=MeetingSeries._meta.label_lower,
                record_id=series.pk, anchor=f"{period.start}:{period.state}", round=1,
                text=f"会议频次：「{series.name}」{period.label}{what}",
                link=reverse("meetings:series_detail", args=[series.pk]),
                recipients=facts.coordinators,
            )
            for period, what in due
        ]  # fmt: skip
    return found


def change_firings(facts: Facts) -> list[Firing]:
    """审批待办: change requests of the campaign pending `days` working days or more (one query)."""
    setting, today, cal = facts.settings[RuleKind.CHANGE_WAITING], facts.today, facts.calendar
    if not setting.enabled:
        return []
    pending = ChangeRequest.objects.filter(
        task__campaign=facts.campaign, state=ChangeState.PENDING
    ).select_related("task__lead_unit", "requested_by__person")
    found = []
    for request in pending.order_by("requested_at", "id"):
        since = min(timezone.localdate(request.requested_at), today)
        round_ = rules.waiting_round(since, today, setting, cal)
        if round_ is None:
            continue
        waited = cal.workdays_between(since, today)
        text = (
            f"待审批：「{request.task.title}」的{request.get_kind_display()}申请"
            f"（{request.task.lead_unit}，{_day(since)}提交）已等待{waited}个工作日"
        )
        found.append(
            Firing(
                kind=RuleKind.CHANGE_WAITING, record_type=ChangeRequest._meta.label_lower,
                record_id=request.pk, anchor=str(request.pk), round=round_, text=text,
                link=reverse("tasks:change_request_list"), recipients=facts.coordinators,
                task=request.task, unit=request.task.lead_unit, ordinal="提醒",
            )
        )  # fmt: skip
    return found


def _concern_people(facts: Facts, unit, reporters, overseers, escalate: bool) -> list:
    if unit is None:  # not yet 转办: the task force handles it
        return facts.coordinators
    if escalate:
        return overseers.get(unit.pk) or facts.coordinators
    return reporters.get(unit.pk) or facts.coordinators


def concern_firings(facts: Facts) -> list[Firing]:
    """The people's concerns (grassroots) on the same rules: 临期 (due today or the next working
    day, grassroots.steps), 逾期催办 to the handling unit's reporters with its rounds, and 督办 to
    the leaders overseeing the handling unit from the first working day past the time limit
    (a concern's limit is days, not weeks). Three queries."""
    today, cal = facts.today, facts.calendar
    concerns = Concern.objects.filter(
        campaign=facts.campaign, closed_on__isnull=True, due_on__lte=nearing_until(today, cal)
    ).select_related("assigned_unit")
    concerns = list(concerns.order_by("due_on", "id"))
    units = [c.assigned_unit for c in concerns if c.assigned_unit is not None]
    reporters = reporter_accounts(units)
    overseers = _overseers({u.pk for u in units})
    found = []
    for concern in concerns:
        found += _concern(facts, concern, reporters, overseers)
    return found


def _concern(facts: Facts, concern: Concern, reporters, overseers) -> list[Firing]:
    today, cal, due, unit = facts.today, facts.calendar, concern.due_on, concern.assigned_unit
    base = {"record_type": Concern._meta.label_lower, "record_id": concern.pk,
            "link": concern.get_absolute_url(), "unit": unit}  # fmt: skip
    what = f"诉求{concern.number}（{concern.content[:30]}）"
    if due >= today:
        if not facts.settings[RuleKind.NEARING].enabled:
            return []
        text = f"临期：{what}办理时限{_day(due)}" + ("（今天到期）" if due == today else "")
        people = _concern_people(facts, unit, reporters, overseers, False)
        return [Firing(kind=RuleKind.NEARING, anchor=f"due:{due}", round=1, text=text,
                       recipients=people, **base)]  # fmt: skip
    found, late = [], rules.overdue_workdays(due, today, cal)
    setting = facts.settings[RuleKind.OVERDUE]
    round_ = rules.overdue_round(due, today, setting, cal) if setting.enabled else None
    if round_ is not None:
        found.append(Firing(
            kind=RuleKind.OVERDUE, anchor=str(due), round=round_, ordinal="催办",
            text=f"逾期：{what}已于{_day(due)}到期，{_late(due, today, late)}，请尽快办理答复",
            recipients=_concern_people(facts, unit, reporters, overseers, False), **base,
        ))  # fmt: skip
    if facts.settings[RuleKind.ESCALATION].enabled and late >= 1:
        found.append(Firing(
            kind=RuleKind.ESCALATION, anchor=str(due), round=1,
            text=f"督办：{what}（承办单位：{unit or '未转办'}）超过办理时限，{_late(due, today, late)}",
            recipients=_concern_people(facts, unit, reporters, overseers, True), **base,
        ))  # fmt: skip
    return found


def campaign_firings(campaign: Campaign, today: datetime.date) -> list[Firing]:
    """Every firing of every enabled rule in `campaign` on `today` (a fixed number of queries:
    facts, filings, cadence, change requests); none on the district's rest days (weekends,
    holidays, its own days off): what would fire then fires on the next working day."""
    if not calendar_for(campaign.organiser.district_id).is_workday(today):
        return []
    facts = campaign_facts(campaign, today)
    return (
        item_firings(facts)
        + concern_firings(facts)
        + report_firings(facts)
        + cadence_firings(facts)
        + change_firings(facts)
    )
