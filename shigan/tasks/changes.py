"""A campaign's last change: what moves whenever anything a page about its tasks may show has
changed, so that a cache keyed on it is never stale rather than expired on change (the battle
map's fragments, dashboards.map_cache; the task list's band and filter options, tasks.list_cache).

Every change goes through a service and is audited (CONVENTIONS); an entry about a task, its
milestones, progress reports, change requests and hand-downs carries the task's id
(AuditEntry.task_id). The last change reads only what the campaign's pages show, so a change in
another campaign leaves it as it was (issue 18: at city scale, any change anywhere made every
cached map new):

- the campaign's tasks: their count (a task added, also by a bulk load writing its entries
  after, or deleted) and the newest audit entry about any of them (a task edited, closed, a
  progress report filed or corrected, a milestone done, a change request made or decided, an
  extension approved, a hand-down answered: what the statuses and rows are computed from);
- the tasks handed down from them to subordinate districts (Task.upper_task: the roll-ups the
  table shows): their count and newest audit entry;
- the campaign itself (name, organiser, leading group), its categories (count and their newest
  audit entry: a rename or a new order), the lead units and the leaders its tasks name and its
  organiser (their latest update: a rename moves it);

one query, each part read through an index of the campaign's tasks (the hand-downs through a
join from them). The newest audit entry about the campaign's tasks is first looked for among the
newest entries of all (ids within AUDIT_WINDOW of the newest, read backwards by id from it
and stopping at the first about the campaign: tens of microseconds when it is recent, where a maximum over every entry of 10,000 tasks costs 4–10 ms); only when none of them is about
the campaign is the maximum taken over the campaign's own entries. Both give the same id: every
entry newer than the window's oldest was read, so one found there is the newest of all. The
statement is built once per campaign and process (its text names no data).

On PostgreSQL ids and timestamps are taken before commit: a write holding audit id 100 may commit
after one holding 101, and figures read between the two would sit under a key that the later
commit does not move. So the same statement asks whether any other transaction of this database
is writing (pg_stat_activity: a backend with an xid); if one is, the change is not settled and
nothing computed under it is kept (unsettled, may_keep) — figures read after that check include
every write then in progress once it has committed, or a later commit moves the key (a
transaction reads pg_stat_activity once: its later reads repeat the first). SQLite has
one writer at a time, committed in order: always settled. What the viewer reads
(role, unit, oversight, leading group seats) is not the campaign's: reader_scope gives it, and
a key for one viewer holds both. Read both before the figures they key: a write committed in
between is then in the figures, never missing from them.
"""

import datetime
import functools
import hashlib
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditEntry
from shigan.orgs.models import LeadingGroupMember, Person, Unit
from shigan.orgs.scope import person_of, role_of, visible_unit_ids

from .models import Task, TaskCategory


@dataclass(frozen=True)
class Change:
    """The campaign's last change (see above), and its task count: a campaign of no more tasks
    than the map's threshold is never collapsed, so its map needs no cache."""

    campaign_updated: datetime.datetime | None
    task_audit: int | None
    children: tuple
    categories: tuple
    named: tuple  # latest update of the lead units, organiser and leaders shown
    tasks: int
    settled: bool = True  # no other transaction of the database writing (see above)


def _one(queryset, function: str, column: str = "pk") -> Subquery:
    """`function` (MAX, COUNT) of `column` over `queryset` as a scalar subquery: a plain Func,
    so the ORM adds no GROUP BY and the database aggregates the whole set into one row."""
    counted = function == "COUNT" or column == "pk"
    field = IntegerField() if counted else queryset.model._meta.get_field(column)
    value = Func(F(column), function=function, output_field=field)
    return Subquery(queryset.order_by().annotate(v=value).values("v")[:1])


UNSETTLED_PREFIX = "shigan:unsettled:"
_WRITING = (
    "NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
    "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())"
)


AUDIT_WINDOW = 2000


def _newest_entry(task_ids, about: Exists) -> Coalesce:
    """The largest id of the audit entries whose task is one of `task_ids` (a queryset of ids;
    `about`: the same, asked of one entry's task_id by its primary key): looked for among the
    AUDIT_WINDOW newest entries first (read backwards along the primary key, each one's task
    looked up by its own), else the maximum over the tasks' own entries (the task_id index).
    COALESCE evaluates its second argument only when the first is NULL (SQLite and PostgreSQL
    alike)."""
    audit = AuditEntry.objects.all()
    # The window as a range of ids above the newest one's less AUDIT_WINDOW (its newest entries:
    # fewer where ids were skipped, still every entry newer than its oldest): read backwards
    # along the primary key from the newest, it stops at the first entry about the campaign.
    # `id IN (the AUDIT_WINDOW newest ids)` gave the same id but first listed them all (~0.4 ms
    # of SQLite's on every request, issue 18).
    start = ExpressionWrapper(_one(audit, "MAX") - AUDIT_WINDOW, output_field=IntegerField())
    recent = Subquery(
        AuditEntry.objects.filter(pk__gt=start).filter(about).order_by("-pk").values("pk")[:1]
    )
    return Coalesce(recent, _one(audit.filter(task_id__in=task_ids), "MAX"))


def _settled():
    """True unless another transaction of this database holds a transaction id (is writing);
    SQLite's writers commit one at a time, in order."""
    if connection.vendor == "postgresql":
        return RawSQL(_WRITING, [], output_field=BooleanField())
    return Value(True, output_field=BooleanField())


def unsettled(key: str, change: Change) -> str:
    """`key` as given, or marked so that may_keep refuses it when `change` is not settled."""
    return key if change.settled else UNSETTLED_PREFIX + key


def may_keep(key: str) -> bool:
    """Whether what was computed under `key` may be stored in the cache."""
    return not key.startswith(UNSETTLED_PREFIX)


def last_change(campaign: Campaign) -> Change:
    """What moves whenever anything the campaign's task pages show may have changed, and only
    then (one query; see the module's docstring)."""
    sql, params = _statement(connection.vendor, campaign.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return Change(None, None, (), (), (), 0)
    (campaign_at, task_count, task_audit, *rest) = row
    child_count, child_audit, category_count, category_audit, unit_at, leader_at, settled = rest
    return Change(
        campaign_updated=_moment(campaign_at),
        task_audit=task_audit,
        children=(child_count or 0, child_audit),
        categories=(category_count or 0, category_audit),
        named=(_moment(unit_at), _moment(leader_at)),
        tasks=task_count or 0,
        settled=bool(settled),
    )


def _moment(value):
    """A timestamp as the ORM reads it (SQLite returns text; PostgreSQL a datetime)."""
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    return convert(value, None, connection) if convert else value


@functools.lru_cache(maxsize=256)
def _statement(vendor: str, campaign_pk: int) -> tuple[str, tuple]:
    """last_change's statement for one campaign: the same text each time (it names the campaign
    and no data), so it is built by the ORM once per process and campaign rather than on every
    request (resolving and compiling its subqueries cost several milliseconds of Python)."""
    tasks = Task.objects.filter(campaign_id=campaign_pk)
    task_ids = tasks.values("pk")
    # The hand-downs, read from their side (the upper_task index holds only tasks handed down;
    # each one's upper task looked up by its key) rather than by probing that index once for
    # each of the campaign's 10,000 tasks, which SQLite chose for the join.
    upper = Task.objects.filter(pk=OuterRef("upper_task_id"), campaign_id=campaign_pk)
    children = Task.objects.filter(upper_task_id__isnull=False).filter(Exists(upper))
    categories = TaskCategory.objects.filter(campaign_id=campaign_pk)
    audit = AuditEntry.objects.all()
    category_type = TaskCategory._meta.label_lower
    lead_units = RawSQL(_distinct_sql("lead_unit_id"), [campaign_pk, campaign_pk])
    units = Unit.objects.filter(Q(pk__in=lead_units) | Q(pk=OuterRef("organiser_id")))
    leaders = RawSQL(_distinct_sql("leader_id"), [campaign_pk, campaign_pk])
    parts = {
        "campaign_at": F("updated_at"),
        "task_count": _one(tasks, "COUNT"),
        "task_audit": _newest_entry(task_ids, Exists(tasks.filter(pk=OuterRef("task_id")))),
        "child_count": _one(children, "COUNT"),
        # The hand-downs' own entries, by the join: there are few of them, and a campaign that
        # handed nothing down would read the whole window for nothing.
        "child_audit": _one(audit.filter(task_id__in=children.values("pk")), "MAX"),
        "category_count": _one(categories, "COUNT"),
        "category_audit": _one(
            audit.filter(record_type=category_type, record_id__in=categories.values("pk")), "MAX"
        ),
        "unit_at": _one(units, "MAX", "updated_at"),
        "leader_at": _one(Person.objects.filter(pk__in=leaders), "MAX", "updated_at"),
        "settled": _settled(),
    }
    rows = Campaign.objects.filter(pk=campaign_pk).annotate(**parts).values_list(*parts)
    sql, params = rows.order_by().query.sql_with_params()
    return sql, tuple(params)


def _distinct_sql(column: str) -> str:
    """SQL: the distinct non-null values of the task column `column` (lead_unit_id, leader_id)
    among the campaign's tasks (two parameters: the campaign's id twice), by a loose scan of the
    (campaign, column) index: one probe per distinct value for the next larger one (a recursive
    query, SQLite and PostgreSQL alike) — a district's few dozen units and leaders, where
    `column IN (SELECT column … WHERE campaign_id = …)` reads all 10,000 tasks' entries."""
    quote = connection.ops.quote_name
    table, col = quote(Task._meta.db_table), quote(column)
    campaign = quote("campaign_id")
    return (
        f"WITH RECURSIVE shigan_named(v) AS ("
        f"SELECT (SELECT MIN({col}) FROM {table} WHERE {campaign} = %s) "
        f"UNION ALL SELECT (SELECT MIN(n.{col}) FROM {table} n "
        f"WHERE n.{campaign} = %s AND n.{col} > shigan_named.v) "
        f"FROM shigan_named WHERE shigan_named.v IS NOT NULL) "
        f"SELECT v FROM shigan_named WHERE v IS NOT NULL"
    )


def reader_scope(user) -> tuple:
    """What decides which tasks `user` reads (tasks.access.tasks_visible_to): his account,
    superuser flag, person, role and unit, the units he reads (orgs.scope.visible_unit_ids: a
    coordinator's level subtree, a leader's overseen units with their sub-units — a change of
    oversight or of the unit tree moves it) as a digest, and the leading groups he sits in. For
    a key per viewer beside last_change. No query when the page has already asked whom he reads
    (the campaign picker does); one more for someone who sits in a leading group."""
    person = person_of(user)
    superuser = bool(getattr(user, "is_superuser", False))
    if person is None:
        return (user.pk, superuser, None)
    units = visible_unit_ids(user)
    digest = None
    if units is not None:
        digest = hashlib.sha256(",".join(map(str, sorted(units))).encode()).hexdigest()[:32]
    seats = ()
    if getattr(person, "seats", False):
        rows = LeadingGroupMember.objects.filter(person=person).values_list("pk", "group_id")
        seats = tuple(sorted(rows))
    return (user.pk, superuser, person.pk, role_of(user), person.unit_id, digest, seats)
