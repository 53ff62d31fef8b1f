"""Reads for task lists and the battle map, a fixed number of queries whatever the row count;
and the one rule of what was known on a date (see the comment above known_until)."""

import copy
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce
from django.utils import timezone

from shigan.campaigns.access import campaigns_visible_to, own_level_first
from shigan.campaigns.models import Campaign
from shigan.campaigns.queries import campaigns_current_first
from shigan.core import clock, prepared
from shigan.core.models import AuditAction, AuditEntry, user_display_name
from shigan.orgs.models import Person, Unit
from shigan.orgs.scope import reads_everything

from .access import statement_scope, tasks_visible_to
from .models import (
    ChangeState,
    Milestone,
    ProgressReport,
    Task,
    TaskCategory,
    TaskOrigin,
    TaskState,
)
from .status import StatusFacts, TaskStatus, task_status
from .status_sql import STATUS_FIELD, with_status


def _count(qs: QuerySet) -> Subquery:
    counted = qs.order_by().values("task_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# What was known on a date: the one rule every as-of view (battle map, timeline, export, cockpit,
# meeting decisions, the report) reads through.
#
# - A progress report counts from the moment it was filed (submitted_at), for a month up to
#   the day's; the latest is the one of the latest month (of several for one month, the last
#   filed: a correction).
# - A milestone counts as done from its done date (done_on).
# - A cancellation or completion (办结销号) counts from the day it was approved (closed_on); a
#   due-date extension from the moment it was approved (the audit entry of the approval).
# - A meeting decision or an inspection finding exists from its meeting's or inspection's date
#   (its task's start date), a 办实事 item from its start date; a list task belongs to the
#   campaign's list from the start.
#
# On today or a later day everything recorded so far counts: "today" may be pinned (SHIGAN_TODAY,
# the demo) while records carry the real time of filing.
DUE_DATE_KEY = str(Task._meta.get_field("due_date").verbose_name)
PROGRESS_LATEST_FIRST = ("-period", "-submitted_at", "-id")


def known_until(as_of: datetime.date) -> datetime.datetime | None:
    """The first instant not yet known on `as_of` (the next local midnight); None on today or
    a later day, when everything recorded so far is known."""
    if as_of >= clock.today():
        return None
    next_day = datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(next_day)


def progress_known(as_of: datetime.date) -> Q:
    """Progress reports known on `as_of`: of a month up to as_of's and filed by its end."""
    known = Q(period__lte=clock.month_start(as_of))
    until = known_until(as_of)
    return known & Q(submitted_at__lt=until) if until else known


def change_requests_pending_on(as_of: datetime.date) -> Q:
    """Change requests pending on `as_of`: made by its end and not decided by then."""
    until = known_until(as_of)
    if until is None:
        return Q(state=ChangeState.PENDING)
    return Q(requested_at__lt=until) & (Q(state=ChangeState.PENDING) | Q(decided_at__gte=until))


def milestone_done_by(as_of: datetime.date) -> Q:
    return Q(done_on__lte=as_of)


def tasks_known(tasks: QuerySet, as_of: datetime.date) -> QuerySet:
    """`tasks` without the decisions, findings and 办实事 items that start after `as_of`."""
    if known_until(as_of) is None:
        return tasks
    later = [TaskOrigin.DECISION, TaskOrigin.FINDING, TaskOrigin.PROMISE]
    return tasks.exclude(origin__in=later, start_date__gt=as_of)


def _due_before_later_approval(as_of: datetime.date):
    """The due date the first approval after `as_of` changed (from its audit entry), i.e. the
    due date on `as_of`; NULL when no approval after it changed the due date."""
    until = known_until(as_of)
    if until is None:
        return Value(None, output_field=CharField())
    approvals = AuditEntry.objects.filter(
        record_type=Task._meta.label_lower,
        record_id=OuterRef("pk"),
        action=AuditAction.APPROVE,
        at__gte=until,
        changes__has_key=DUE_DATE_KEY,
    ).order_by("at", "id")
    before = KeyTextTransform("0", KeyTransform(DUE_DATE_KEY, "changes"))
    return Subquery(approvals.annotate(before=before).values("before")[:1])


def _status_annotations(as_of: datetime.date) -> dict:
    """What the status rules read, as annotations for `as_of` (tasks.status_sql)."""
    of_task = {"task": OuterRef("pk")}
    return {
        "ms_total": _count(Milestone.objects.filter(**of_task)),
        "ms_done": _count(Milestone.objects.filter(milestone_done_by(as_of), **of_task)),
        "due_date_then": _due_before_later_approval(as_of),
    }


def tasks_with_status(tasks: QuerySet, as_of: datetime.date | None = None) -> QuerySet:
    """`tasks` annotated with their status on `as_of` (default today) as `status_db`, computed by
    the database (tasks.status_sql), so a filter, a count or an order by status is one query."""
    as_of = as_of or clock.today()
    return with_status(tasks.annotate(**_status_annotations(as_of)), as_of)


def status_counts_db(tasks: QuerySet, as_of: datetime.date | None = None) -> dict[TaskStatus, int]:
    """How many of `tasks` have each status on `as_of`, counted by the database (one query)."""
    counts = {status: 0 for status in TaskStatus}
    for key, n in status_counts_by(tasks, as_of, None).get(None, {}).items():
        counts[key] = n
    return counts


def status_counts_by(
    tasks: QuerySet, as_of: datetime.date | None, fields: str | tuple[str, ...] | None
) -> dict[object, dict[TaskStatus, int]]:
    """Per value of `fields` (a field such as "category_id", keyed by its value; a tuple of fields,
    keyed by the tuple of their values; None: one group keyed None), how many of `tasks` have each
    status on `as_of` (every status present, zeros included), counted by the database in one
    query."""
    annotated = tasks_with_status(tasks.order_by(), as_of)
    names = (fields,) if isinstance(fields, str) else tuple(fields or ())
    grouped: dict[object, dict[TaskStatus, int]] = {}
    for row in annotated.values(STATUS_FIELD, *names).annotate(n=Count("pk")).order_by():
        if isinstance(fields, str):
            key = row[fields]
        else:
            key = tuple(row[name] for name in names) if names else None
        counts = grouped.setdefault(key, {status: 0 for status in TaskStatus})
        counts[TaskStatus(row[STATUS_FIELD])] += row["n"]
    return grouped


def tasks_annotated(tasks: QuerySet, as_of: datetime.date | None = None) -> QuerySet:
    """Tasks with what the status rules and the battle map read, as known on `as_of` (default
    today), as annotations (one query)."""
    as_of = as_of or clock.today()
    of_task = {"task": OuterRef("pk")}
    undone = (
        Milestone.objects.filter(**of_task)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=as_of))
        .order_by("due_date", "sort_order", "id")
    )
    latest = ProgressReport.objects.filter(progress_known(as_of), **of_task)
    latest = latest.order_by(*PROGRESS_LATEST_FIRST)
    return tasks.select_related("category", "lead_unit", "leader").annotate(
        **_status_annotations(as_of),
        next_ms_due=Subquery(undone.values("due_date")[:1]),
        next_ms_title=Subquery(undone.values("title")[:1]),
        last_progress_text=Subquery(latest.values("text")[:1]),
        last_progress_period=Subquery(latest.values("period")[:1]),
        last_progress_at=Subquery(latest.values("submitted_at")[:1]),
    )


@dataclass
class TaskRow:
    """One task as the battle map and the task list show it, as known on the day it was built
    for: `due_date` is the due date of that day (before any later approved extension)."""

    task: Task
    status: TaskStatus
    days_left: int
    milestones_total: int
    milestones_done: int
    next_milestone_title: str | None
    next_milestone_due: datetime.date | None
    last_progress_text: str | None
    last_progress_period: datetime.date | None
    last_progress_at: datetime.datetime | None
    milestones: list[Milestone] = field(default_factory=list)
    due_date: datetime.date | None = None

    def __post_init__(self) -> None:
        if self.due_date is None:
            self.due_date = self.task.due_date

    @property
    def status_label(self) -> str:
        return self.status.label


def _due_date_then(task: Task) -> datetime.date:
    raw = getattr(task, "due_date_then", None)
    try:
        return datetime.date.fromisoformat(raw) if raw else task.due_date
    except (TypeError, ValueError):  # an audit entry not written by the approval service
        return task.due_date


def milestones_known(milestones, as_of: datetime.date) -> list[Milestone]:
    """The milestones as known on `as_of`: one done later shows as not done (an unsaved copy)."""
    known = []
    for milestone in milestones:
        if milestone.done_on is not None and milestone.done_on > as_of:
            milestone = copy.copy(milestone)
            milestone.done_on = None
        known.append(milestone)
    return known


def row_for(task: Task, today: datetime.date) -> TaskRow:
    """The row of a task annotated by tasks_annotated(…, today)."""
    due = _due_date_then(task)
    facts = StatusFacts(
        state=task.state,
        start_date=task.start_date,
        due_date=due,
        milestones_total=task.ms_total,
        milestones_done=task.ms_done,
        next_milestone_due=task.next_ms_due,
        closed_on=task.closed_on,
    )
    return TaskRow(
        task=task,
        status=task_status(facts, today),
        days_left=(due - today).days,
        milestones_total=task.ms_total,
        milestones_done=task.ms_done,
        next_milestone_title=task.next_ms_title,
        next_milestone_due=task.next_ms_due,
        last_progress_text=task.last_progress_text,
        last_progress_period=task.last_progress_period,
        last_progress_at=task.last_progress_at,
        due_date=due,
    )


def task_rows(
    tasks: QuerySet,
    today: datetime.date,
    *,
    statuses: set[str] | None = None,
    with_milestones: bool = False,
) -> list[TaskRow]:
    """Rows for `tasks` with their computed status as known on `today`, optionally filtered by
    status in the database (tasks.status_sql).

    Two queries (three with milestones) for any number of tasks.
    """
    qs = tasks_annotated(tasks, today)
    if statuses:
        qs = with_status(qs, today).filter(**{f"{STATUS_FIELD}__in": list(statuses)})
    if with_milestones:
        qs = qs.prefetch_related("milestones")
    rows = []
    for task in qs:
        row = row_for(task, today)
        if with_milestones:
            row.milestones = milestones_known(task.milestones.all(), today)
        rows.append(row)
    return rows


def status_counts(rows: list[TaskRow]) -> dict[TaskStatus, int]:
    counts = {status: 0 for status in TaskStatus}
    for row in rows:
        counts[row.status] += 1
    return counts


def campaign_choices(user) -> list[Campaign]:
    """Campaigns whose tasks the user can open (battle map, task list, cockpit), the current one
    first (his own level's first): all of their level's and the levels' below for coordinators
    and inspectors, otherwise those holding a task he may read — a leader overseeing a unit of
    a level below reads that level's campaign through its tasks (one query).

    The statement depends on the viewer's scope only, and is compiled once per scope and process
    (core.prepared: building it cost the task list ~2 ms of Python a request, issue 18), keyed on
    tasks.access.statement_scope; the rows are read each time, never kept."""
    key = ("campaign_choices", statement_scope(user))
    try:
        return prepared.rows(key, lambda: _campaign_choices(user))
    except EmptyResultSet:  # campaigns.none(): an account without a role
        return []


def _campaign_choices(user) -> QuerySet:
    if reads_everything(user):
        campaigns = campaigns_visible_to(user, Campaign.objects.all())
    else:
        visible = tasks_visible_to(user, Task.objects.all()).values("campaign_id")
        campaigns = own_level_first(user, Campaign.objects.filter(id__in=visible))
    return campaigns_current_first(campaigns)


@dataclass
class FilterOptions:
    units: list[Unit]
    leaders: list[Person]
    categories: list[TaskCategory]


def task_filter_options(visible: QuerySet) -> FilterOptions:
    """Lead units, leaders and categories occurring among the visible tasks (two queries)."""
    return FilterOptions(
        units=list(Unit.objects.filter(id__in=visible.values("lead_unit_id"))),
        leaders=list(Person.objects.filter(id__in=visible.values("leader_id"))),
        categories=list(TaskCategory.objects.filter(id__in=visible.values("category_id"))),
    )


def unit_tasks_for_report(unit_id: int) -> QuerySet:
    """The active tasks a unit leads, as its monthly report form lists them."""
    return (
        Task.objects.filter(lead_unit_id=unit_id, state="active")
        .select_related("campaign", "category")
        .order_by("campaign_id", F("category__sort_order"), "number", "id")
    )


def reported_this_period(task_ids: list[int], period: datetime.date) -> dict[int, ProgressReport]:
    """The current report per task for one month (core.corrections: a resubmission is a
    correction, with its reason), in one query."""
    reports = ProgressReport.objects.filter(task_id__in=task_ids, period=period)
    return {task_id: report for (task_id,), report in reports.current_by("task_id").items()}


# Figures the cockpit, the battle map and the report state, computed here once. The scope is the
# caller's argument: the tasks a user reads (tasks.access) narrowed by a page's filters, or the
# tasks the district's report is about; the campaign and the as-of rule are applied here.


def campaign_tasks_on(campaign: Campaign, as_of: datetime.date, scope: QuerySet) -> QuerySet:
    """The campaign's tasks among `scope` as they stood on `as_of` (tasks_known)."""
    return tasks_known(scope.filter(campaign=campaign), as_of)


@dataclass
class TaskTally:
    """Tasks with their computed status on a date, counted by status."""

    rows: list[TaskRow]
    counts: dict[TaskStatus, int]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def late(self) -> int:
        """Overdue and behind (逾期、滞后)."""
        return self.counts[TaskStatus.OVERDUE] + self.counts[TaskStatus.BEHIND]


def task_tally(
    campaign: Campaign, as_of: datetime.date, scope: QuerySet, *, with_milestones: bool = False
) -> TaskTally:
    """The campaign's tasks among `scope` with their status as known on `as_of`, in the scope's
    order, counted by status (task_rows: two queries, three with milestones)."""
    tasks = campaign_tasks_on(campaign, as_of, scope)
    rows = task_rows(tasks, as_of, with_milestones=with_milestones)
    return TaskTally(rows, status_counts(rows))


@dataclass
class UnitFiling:
    """A lead unit's monthly report for one month: its tasks that report for the month and how
    many of them have a report (filed by the as-of day)."""

    unit: Unit
    due: int
    filed: int
    # With `with_filers`: when the unit's last task got its first report of the month (the day
    # the month was complete, or its latest filing so far) and who filed that report.
    filed_at: datetime.datetime | None = None
    filed_by: str = ""

    @property
    def missing(self) -> int:
        return self.due - self.filed


def unit_filing(
    campaign: Campaign,
    as_of: datetime.date,
    scope: QuerySet,
    *,
    known_on: datetime.date | None = None,
    with_filers: bool = False,
) -> list[UnitFiling]:
    """Per lead unit of the campaign's tasks among `scope` that report for as_of's month (active
    on as_of, started by the month's end: tasks.services.periods): how many have that month's
    report, known on `known_on` (default as_of: a past month's board passes today, so reports
    filed after the month's end count). Units with reports missing first, each group in the
    organisation's order. Two queries; three `with_filers` (when and by whom each unit filed)."""
    period = clock.month_start(as_of)
    next_month = clock.month_start(period + datetime.timedelta(days=31))
    reports = ProgressReport.objects.filter(task_id=OuterRef("pk"), period=period)
    until = known_until(known_on or as_of)
    if until is not None:
        reports = reports.filter(submitted_at__lt=until)
    tasks = campaign_tasks_on(campaign, as_of, scope).filter(
        Q(state=TaskState.ACTIVE) | Q(closed_on__gt=as_of), start_date__lt=next_month
    )
    per_unit = (
        tasks.annotate(reported=Exists(reports))
        .values("lead_unit_id")
        .annotate(due=Count("id"), filed=Count("id", filter=Q(reported=True)))
        .order_by()
    )
    counts = {row["lead_unit_id"]: (row["due"], row["filed"]) for row in per_unit}
    units = Unit.objects.filter(pk__in=list(counts)).order_by("sort_order", "id")
    rows = [UnitFiling(unit, *counts[unit.pk]) for unit in units]
    if with_filers:
        _add_filers(rows, tasks, period, until)
    return sorted(rows, key=lambda row: row.missing == 0)


def _add_filers(rows: list[UnitFiling], tasks: QuerySet, period, until) -> None:
    """Each unit's filing moment: the latest of its tasks' first reports of the month (a later
    correction does not move it), and who filed that report. One query."""
    reports = ProgressReport.objects.filter(task__in=tasks.values("pk"), period=period)
    if until is not None:
        reports = reports.filter(submitted_at__lt=until)
    first: dict[int, ProgressReport] = {}
    for report in reports.select_related("task", "submitted_by__person").order_by(
        "submitted_at", "id"
    ):
        first.setdefault(report.task_id, report)
    latest: dict[int, ProgressReport] = {}
    for report in first.values():
        unit_id = report.task.lead_unit_id
        if unit_id not in latest or report.submitted_at > latest[unit_id].submitted_at:
            latest[unit_id] = report
    for row in rows:
        report = latest.get(row.unit.pk)
        if report is not None:
            row.filed_at = report.submitted_at
            row.filed_by = user_display_name(report.submitted_by)


def child_task_rows(upper: Task, today: datetime.date) -> list[TaskRow]:
    """The tasks the subordinate districts answered `upper`'s hand-downs with (Task.upper_task),
    with their own status on `today`, by district in the organisation's order (one query, its
    statement compiled once per process and day: core.prepared). Their progress reports stay
    theirs: each row carries its latest, read from the child."""
    key = ("child_task_rows", today, clock.today())
    children = prepared.rows(key, lambda pk: _children_annotated(pk, today), upper.pk)
    return [row_for(task, today) for task in children]


def _children_annotated(upper_pk: int, today: datetime.date) -> QuerySet:
    children = Task.objects.filter(upper_task_id=upper_pk).select_related("lead_unit__district")
    order = ("lead_unit__district__sort_order", "lead_unit__district_id", "id")
    return tasks_annotated(children.order_by(*order), today)


def task_row(pk: int, today: datetime.date) -> TaskRow | None:
    """The row of the task `pk` as task_rows gives it (None if there is none): one query, its
    statement compiled once per process and day (core.prepared: the task page's)."""
    key = ("task_row", today, clock.today())
    found = prepared.rows(key, lambda pk: tasks_annotated(Task.objects.filter(pk=pk), today), pk)
    return row_for(found[0], today) if found else None
