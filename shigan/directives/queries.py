"""Reads for the directive and hand-down pages, a fixed number of queries whatever the number of
points, districts and children; the roll-up itself is tasks.rollup's."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from shigan.orgs.models import Unit
from shigan.orgs.workdays import workdays_between
from shigan.tasks.models import Task
from shigan.tasks.queries import TaskRow, child_task_rows, task_rows
from shigan.tasks.rollup import RollUp, rollup

from .models import Directive, HandDown, HandDownState


def directive_rows(directives: QuerySet) -> QuerySet:
    """Directives with their issuer, number of points and of hand-downs (one query)."""
    return directives.select_related("issuer").annotate(
        point_count=Count("points", distinct=True),
        handdown_count=Count("points__handdowns", distinct=True),
    )


def waiting_workdays(handed_on: datetime.date, today: datetime.date) -> int:
    """Working days a hand-down has waited: those after the day it was handed down up to and
    including `today`, on the national calendar (法定节假日与调休; tasks.rollup's ACCEPT_DAYS). Not
    a district's own overrides: the wait is between two levels, whose local rest days differ.
    No query."""
    return workdays_between(handed_on, today)


def used_point_ids(directive: Directive) -> set[int]:
    """The directive's points a hand-down was made from (they cannot be removed): one query."""
    used = HandDown.objects.filter(point__directive=directive).values_list("point_id", flat=True)
    return set(used)


def _waiting_days(handdown: HandDown, today: datetime.date) -> int:
    return waiting_workdays(handdown.handed_on, today)


def handdowns_pending_on(handdowns: QuerySet, day: datetime.date) -> QuerySet:
    """The hand-downs among `handdowns` waiting (待接收) on `day`: made by then and neither
    answered (accepted, returned) nor withdrawn by then (answered_on, withdrawn_on)."""
    return handdowns.filter(handed_on__lte=day).filter(
        Q(state=HandDownState.PENDING) | Q(answered_on__gt=day) | Q(withdrawn_on__gt=day)
    )


def rollups_for(upper_task_ids, today: datetime.date) -> dict[int, RollUp | None]:
    """Each upper task's roll-up (tasks.rollup) as it stood on `today` (an as-of day): its
    children's status then, less a district's child whose hand-down it accepted later, and its
    hand-downs waiting then (handdowns_pending_on); three queries for any number of tasks."""
    ids = list(upper_task_ids)
    statuses: dict[int, list] = {pk: [] for pk in ids}
    accepted_later = HandDown.objects.filter(
        upper_task_id=OuterRef("upper_task_id"), unit_id=OuterRef("lead_unit__district_id"),
        state=HandDownState.ACCEPTED, answered_on__gt=today,
    )  # fmt: skip
    children = Task.objects.filter(upper_task_id__in=ids).exclude(Exists(accepted_later))
    for row in task_rows(children, today):
        statuses[row.task.upper_task_id].append(row.status)
    waits: dict[int, list[int]] = {pk: [] for pk in ids}
    pending = handdowns_pending_on(HandDown.objects.filter(upper_task_id__in=ids), today)
    for handdown in pending.only("upper_task_id", "handed_on"):
        waits[handdown.upper_task_id].append(_waiting_days(handdown, today))
    return {pk: rollup(statuses[pk], waits[pk]) for pk in ids}


def directive_points(directive: Directive, today: datetime.date) -> list:
    """The directive's points, each with its upper tasks handed down (`groups`: the task, its
    roll-up and its hand-downs by district) (five queries)."""
    handdowns = HandDown.objects.select_related("unit", "upper_task").order_by("unit__sort_order")
    points = list(directive.points.prefetch_related(Prefetch("handdowns", queryset=handdowns)))
    task_ids = {h.upper_task_id for p in points for h in p.handdowns.all()}
    rolled = rollups_for(task_ids, today)
    for point in points:
        groups: dict[int, HandDownGroup] = {}
        for handdown in point.handdowns.all():
            task_id = handdown.upper_task_id
            group = groups.setdefault(
                task_id, HandDownGroup(handdown.upper_task, rolled.get(task_id), [])
            )
            group.handdowns.append(handdown)
        point.groups = list(groups.values())
    return points


@dataclass
class HandDownGroup:
    """An upper task handed down from a point: its roll-up and its hand-downs, one per district."""

    task: Task
    rolled: RollUp | None
    handdowns: list[HandDown]


@dataclass
class DistrictLine:
    """One receiving district of an upper task: its hand-down(s) and the tasks it answered with."""

    unit: Unit
    handdown: HandDown | None
    children: list[TaskRow] = field(default_factory=list)
    waiting_days: int | None = None


@dataclass
class UpperTaskView:
    """An upper task's 下级落实情况: its roll-up and a line per receiving district."""

    task: Task
    rolled: RollUp | None
    lines: list[DistrictLine]
    returned: list[HandDown]  # returned by the district or withdrawn by the upper level


def upper_task_view(task: Task, today: datetime.date) -> UpperTaskView:
    """The upper task's roll-up with, per district it was handed down to, the hand-down and the
    children with their own status and latest progress (three queries)."""
    children = child_task_rows(task, today)
    handdowns = list(
        task.handdowns.select_related("unit", "answered_by__person", "point__directive").order_by(
            "unit__sort_order", "unit_id", "id"
        )
    )
    by_district: dict[int, list[TaskRow]] = {}
    for row in children:
        by_district.setdefault(row.task.lead_unit.district_id, []).append(row)
    lines, returned, waits = [], [], []
    for handdown in handdowns:
        if not handdown.is_open:  # returned or withdrawn: counts for nothing
            returned.append(handdown)
            continue
        line = DistrictLine(handdown.unit, handdown, by_district.pop(handdown.unit_id, []))
        if handdown.state == HandDownState.PENDING:
            line.waiting_days = _waiting_days(handdown, today)
            waits.append(line.waiting_days)
        lines.append(line)
    # Children linked without a hand-down of their district (a link made another way) still
    # count and are listed.
    for rows in by_district.values():
        lines.append(DistrictLine(rows[0].task.lead_unit.district, None, rows))
    rolled = rollup([row.status for row in children], waits)
    return UpperTaskView(task, rolled, lines, returned)


def inbox_handdowns(received: QuerySet, today: datetime.date) -> dict[str, list[HandDown]]:
    """A district's received hand-downs, pending first (each with the working days it has
    waited), then answered or withdrawn (one query)."""
    rows = received.select_related(
        "upper_task__lead_unit", "upper_task__campaign", "point__directive__issuer",
        "handed_by__person", "unit",
    ).order_by("-handed_on", "-id")  # fmt: skip
    pending = [h for h in rows if h.state == HandDownState.PENDING]
    for handdown in pending:
        handdown.waiting_days = _waiting_days(handdown, today)
    answered = [h for h in rows if h.state != HandDownState.PENDING]
    return {"pending": pending, "answered": answered}
