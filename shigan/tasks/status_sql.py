"""The status rules of tasks.status as one SQL expression, so that filtering, counting and
sorting by status happen in the database (one query, whatever the task count).

The rules themselves stay defined once, in tasks.status: this module translates each rule of
`task_status()` into a condition over the same facts, tries them in `RULE_ORDER` (first match
wins, as there) and reads the same constants (NEARING_DAYS, SCHEDULE_TOLERANCE). Equivalence is
proved by a property-based test over random tasks, milestones, closures, approved extensions and
days (tests/test_status_sql.py): for every task and day the database's status is the Python one.

The schedule rule compares fractions; here it is multiplied out into integers, exact on both
databases. With d milestones done of n, a span of s days (start to due, both counted) of which
e have elapsed by the end of the day, and the tolerance p/q, the task is behind when

    d/n < e/s - p/q   ⇔   q·d·s < n·(q·e - p·s)        (n, s, q > 0)

and without milestones (n = d = 0) the right form reads 0 < 0, false: no milestone, no schedule
rule, as in task_status(), without a second count.

where e ≤ s holds whenever the rule is reached (a task past its due date matched 逾期 first), so
the clamp of time_elapsed_share() to 1 never applies.
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThan, LessThan, LessThanOrEqual

from .models import Milestone, TaskState
from .status import NEARING_DAYS, RULE_ORDER, SCHEDULE_TOLERANCE, TaskStatus

# The annotation the status is read from (tasks.queries.tasks_with_status).
STATUS_FIELD = "status_db"


class DaysBetween(Func):
    """Whole days from `earlier` to `later` (later − earlier), for dates, on both databases."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL: date − date is int
        later, earlier = self.source_expressions
        later_sql, later_params = compiler.compile(later)
        earlier_sql, earlier_params = compiler.compile(earlier)
        return f"(({later_sql})::date - ({earlier_sql})::date)", (*later_params, *earlier_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        later, earlier = self.source_expressions
        later_sql, later_params = compiler.compile(later)
        earlier_sql, earlier_params = compiler.compile(earlier)
        sql = f"CAST(julianday({later_sql}) - julianday({earlier_sql}) AS INTEGER)"
        return sql, (*later_params, *earlier_params)


def _date(day: datetime.date) -> Value:
    return Value(day, output_field=DateField())


def _int(expression) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=IntegerField())


def due_date_then() -> Coalesce:
    """The due date on the day (tasks.queries: before any later approved extension), from the
    `due_date_then` annotation (NULL when no later approval changed it)."""
    return Coalesce(Cast("due_date_then", DateField()), F("due_date"), output_field=DateField())


def _undone_milestone_due(lookup: str, day: datetime.date, today: datetime.date) -> Exists:
    """Whether the task has a milestone not done by `today` whose due date is `lookup` `day`."""
    undone = Q(done_on__isnull=True) | Q(done_on__gt=today)
    due = {f"due_date__{lookup}": day}
    return Exists(Milestone.objects.filter(undone, task=OuterRef("pk"), **due))


def rule_conditions(today: datetime.date) -> dict[TaskStatus, Q]:
    """Each rule of tasks.status.task_status as a condition over a task annotated by
    tasks.queries.tasks_with_status(…, today) (ms_total, ms_done, due_date_then)."""
    day = _date(today)
    horizon = _date(today + datetime.timedelta(days=NEARING_DAYS - 1))
    due = due_date_then()
    closed = Q(closed_on__isnull=True) | Q(closed_on__lte=today)
    span = _int(DaysBetween(due, F("start_date")) + 1)
    elapsed = _int(DaysBetween(day, F("start_date")) + 1)
    tolerance_num, tolerance_den = SCHEDULE_TOLERANCE.numerator, SCHEDULE_TOLERANCE.denominator
    done_scaled = _int(tolerance_den * F("ms_done") * span)
    due_scaled = _int(F("ms_total") * (tolerance_den * elapsed - tolerance_num * span))
    # "The next unfinished milestone is due before the day / within the horizon" is "some
    # unfinished milestone is": an EXISTS, one index probe, instead of reading the next one's date.
    milestone_passed = Q(_undone_milestone_due("lt", today, today))
    return {
        TaskStatus.CANCELLED: Q(state=TaskState.CANCELLED) & closed,
        TaskStatus.DONE: Q(state=TaskState.COMPLETED) & closed,
        TaskStatus.NOT_STARTED: Q(start_date__gt=today),
        TaskStatus.OVERDUE: Q(GreaterThan(day, due)),
        TaskStatus.BEHIND: milestone_passed | Q(LessThan(done_scaled, due_scaled)),
        TaskStatus.NEARING: Q(LessThanOrEqual(due, horizon))
        | Q(_undone_milestone_due("lte", today + datetime.timedelta(days=NEARING_DAYS - 1), today)),
    }


def status_expression(today: datetime.date) -> Case:
    """The status of each task on `today` as a SQL CASE: the rules in RULE_ORDER, first match
    wins, 正常 when none matches."""
    conditions = rule_conditions(today)
    whens = [
        When(conditions[status], then=Value(status.value))
        for status in RULE_ORDER
        if status in conditions
    ]
    default = next(s for s in RULE_ORDER if s not in conditions)
    return Case(*whens, default=Value(default.value), output_field=CharField())


def with_status(annotated: QuerySet, today: datetime.date) -> QuerySet:
    """`annotated` (tasks.queries' annotations for `today`) with the status as `status_db`."""
    return annotated.annotate(**{STATUS_FIELD: status_expression(today)})
