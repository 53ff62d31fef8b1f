"""Each campaign's tasks counted by status on today, per lead unit's level and decision or not,
and its tasks owing the month's report per lead unit (filing_lines), kept in the figures' cache
(core.figures_cache) for the day and recomputed only for the campaigns written since: what
下级对比 (dashboards.levels: its task, decision and 逾期未报 columns) and an upper level's
cockpit (dashboards.lens, its task and decision cards; its late card through levels.late_units)
count over every campaign of a subtree. At province scale that is 92,000 tasks, whose statuses
(tasks.status_sql, a CASE over milestone subqueries) cost the database ~0.4–0.7 s on every
request; a write in one district now recomputes that district's campaign only. 下级对比's
indicators are kept the same way (dashboards.kept_indicators, with _news and kept_key).

The figures are kept in one cache entry per day (a ledger: campaign → its figures; in the
figures' cache, out of reach of the default cache's churn, which culls entries at random when
full; `shigan warm` keeps it before the day's first request, dashboards.warm), with the
audit trail's newest entry id when they were read (`seen`). Every change a status depends on is
written by a service and audited (CONVENTIONS), an entry about a task, its milestones, progress
reports, change requests, decision or hand-downs carrying the task's id (core.AuditEntry
.task_id), as tasks.changes.last_change reads them. So a campaign's counts are still those of
the database while no entry newer than `seen` is about one of its tasks; one statement reads the
entries since `seen` (the tail) with their tasks' campaigns, and those campaigns are recomputed
(one statement for all of them). Besides:

- the day: the ledger's key holds it (a status moves at midnight without a write); the code's
  digest too (core.code_version), as the task list's cache;
- entries not about one task that change what is counted: a unit's (its level may have moved:
  the counts are by level), a task, milestone or decision changed or deleted through the admin
  without its task's id, a task moved to another campaign (its entry joins to the new one only)
  — any of them in the tail and the whole ledger is read anew;
- the ledger's `seen` entry must still be the one it saw (its time): after a restore of an older
  backup, or a test's rolled-back transaction, the ids start again and the ledger is dropped; a
  campaign's counts hold its year and creation time, so a campaign id given again is not
  mistaken for the one counted;
- writes that bypass the services (the ORM in tests, a data fix in a shell) write no entry:
  the kept figures do not see them until the next day (tests that write so empty the caches,
  core.figures_cache.clear_caches);
- PostgreSQL takes ids before commit: the tail is read with tasks.changes' rule (no other
  transaction writing, else nothing is kept — a write committing later then is still newer than
  `seen`), and `seen` is read in the same statement.

A ledger is kept again whenever a campaign was recomputed or dropped, or the tail grew past
TAIL_REFRESH entries (so the tail read stays short), unless another transaction was writing.
Two workers may keep theirs one after the other: the later wins, and each campaign's counts in
it are those of the database at its `seen`, so at worst a campaign is counted again.

Only today is kept: a past date reads the figures as known then (tasks.queries.tasks_known),
computed as before (dashboards.levels).
"""

import datetime
import hashlib
from array import array
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.code_version import code_digest
from shigan.core.figures_cache import figures_cache
from shigan.core.models import AuditAction, AuditEntry
from shigan.meetings.models import Decision
from shigan.orgs.models import Unit
from shigan.tasks.changes import _WRITING
from shigan.tasks.models import Milestone, ProgressReport, Task, TaskOrigin, TaskState
from shigan.tasks.queries import known_until, status_counts_by, tasks_known
from shigan.tasks.status import TaskStatus

KEY_VERSION = 3  # moves when what is kept changes shape (2: the filing lines; 3: as arrays)
LEDGER_SECONDS = 26 * 3600  # the key holds the day: kept a little longer than one
TAIL_REFRESH = 1000  # a ledger whose tail is longer is kept again, with the newest entry seen
STATUSES = list(TaskStatus)

# Entries without a task of their own that change what is counted (see the docstring).
_WIDE_TYPES = [
    Unit._meta.label_lower,
    Task._meta.label_lower,
    Milestone._meta.label_lower,
    Decision._meta.label_lower,
]
_CAMPAIGN_KEY = str(Task._meta.get_field("campaign").verbose_name)

Group = tuple[int, bool]  # (the lead unit's level, a meeting decision's task)


@dataclass
class Ledger:
    """What is kept for the day: the newest audit entry seen (id and time) and each campaign's
    figures (campaign id → ((year, creation time), {group: counts in STATUSES order}, its
    filing lines as three arrays: _filing))."""

    seen: int | None
    seen_at: object
    campaigns: dict[int, tuple] = field(default_factory=dict)


def ledger_key(today: datetime.date) -> str:
    return f"shigan:campaigncounts:{KEY_VERSION}:{code_digest()}:{today.isoformat()}"


def campaigns_of(year: int) -> dict[int, tuple]:
    """The campaigns of `year`, id → (year, creation time) (one query). All of them, whatever the
    viewer: a campaign organised outside a level's subtree may hold a task led within it
    (下级对比 counts its tasks by their lead unit's level), and a campaign is counted once for
    every viewer — a level's figures take its levels' groups (two ways of choosing only the
    subtree's campaigns cost 12–58 ms a request at province scale, more than the counts)."""
    rows = Campaign.objects.filter(year=year).order_by().values_list("pk", "year", "created_at")
    return {pk: (of_year, created) for pk, of_year, created in rows}


def campaigns_of_year(kept: dict, year: int) -> list[int]:
    """Of campaign_figures' campaigns, those of `year` (as campaigns_of read them)."""
    return [pk for pk, found in kept.items() if found.year == year]


def _wide() -> Q:
    """Entries since the ledger's that change what is counted beyond their task's campaign."""
    return (
        Q(task_id__isnull=True, record_type__in=_WIDE_TYPES)
        | (
            Q(record_type=Task._meta.label_lower, changes__has_key=_CAMPAIGN_KEY)
            & ~Q(action=AuditAction.CREATE)
        )
        | Q(Q(task_id__isnull=False) & ~Exists(Task.objects.filter(pk=OuterRef("task_id"))))
    )


def _news_sql(kept: bool, seen: int | None, wide: Q) -> tuple[str, list]:
    """One row, whatever the audit trail holds: the newest audit entry's id and time, the time
    of the entry `seen`, whether an entry since `seen` is one of `wide` (not asked without
    anything `kept`: every entry would be read for nothing), and whether no other transaction
    writes (tasks.changes)."""
    audit = AuditEntry.objects.all()
    wide = audit.filter(wide)
    if seen is not None:
        wide = wide.filter(pk__gt=seen)
    newest = audit.order_by("-pk")[:1]
    parts = [
        newest.values("pk"),
        newest.values("at"),
        audit.filter(pk=seen or 0).values("at")[:1],
    ]
    if kept:
        parts.append(wide.order_by().values("pk")[:1])
    compiled = [part.query.sql_with_params() for part in parts]
    settled = "TRUE" if connection.vendor != "postgresql" else _WRITING
    columns = ", ".join([*(f"({sql})" for sql, _ in compiled), *(["NULL"] if not kept else [])])
    params = [p for _, part_params in compiled for p in part_params]
    return f"SELECT {columns}, ({settled})", params


@dataclass(frozen=True)
class News:
    newest: int | None
    newest_at: object
    seen_at: object
    wide: bool
    settled: bool


def _news(kept: bool, seen: int | None, wide: Q | None = None) -> News:
    sql, params = _news_sql(kept, seen, _wide() if wide is None else wide)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        newest, newest_at, seen_at, wide, settled = cursor.fetchone()
    return News(newest, newest_at, seen_at, wide is not None, bool(settled))


def _touched(seen: int | None) -> set[int]:
    """The campaigns of the tasks the audit entries since `seen` are about (one query)."""
    entries = AuditEntry.objects.filter(task_id__isnull=False)
    if seen is not None:
        entries = entries.filter(pk__gt=seen)
    tasks = Task.objects.filter(pk__in=entries.values("task_id"))
    return set(tasks.order_by().values_list("campaign_id", flat=True).distinct())


def _count(campaign_ids: list[int], today: datetime.date) -> dict[int, dict[Group, tuple]]:
    """The tasks of the campaigns by campaign, lead unit's level, decision or not and status on
    `today` (tasks.status_sql; one query whatever the number of campaigns). A decision's task
    is one of a meeting decision (origin DECISION with its decision), as meetings.queries
    .decision_rows_in reads them."""
    decided = Exists(Decision.objects.filter(task_id=OuterRef("pk")))
    tasks = Task.objects.filter(campaign_id__in=campaign_ids).annotate(
        decided=Case(
            When(Q(origin=TaskOrigin.DECISION) & Q(decided), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    fields = ("campaign_id", "lead_unit__district_id", "decided")
    counted: dict[int, dict[Group, tuple]] = {pk: {} for pk in campaign_ids}
    for (campaign_id, level_id, is_decision), counts in status_counts_by(
        tasks, today, fields
    ).items():
        counted[campaign_id][(level_id, bool(is_decision))] = tuple(counts[s] for s in STATUSES)
    return counted


@dataclass(frozen=True)
class CampaignFigures:
    """One campaign's figures of the day: its tasks by (lead unit's level, decision's task or
    not) and status, and the tasks owing the month's report per lead unit (filing_lines)."""

    year: int
    statuses: dict[Group, dict[TaskStatus, int]]
    filing: tuple  # (lead unit ids, tasks due a report, with one): three arrays, or empty


def campaign_figures(campaigns: dict[int, object], today: datetime.date) -> dict:
    """For each of `campaigns` (id → (year, creation time): campaigns_of), its CampaignFigures on
    `today`, exactly as status_counts_by and filing_lines count them now: from the day's ledger
    where no write since touched the campaign, the others counted (see the docstring). Two
    queries, two more when a campaign is counted."""
    key = ledger_key(today)
    ledger = figures_cache.get(key)
    news = _news(ledger is not None, ledger.seen if ledger else None)
    kept: dict = {}
    changed = ledger is None
    if ledger is not None:
        if news.wide or ledger.seen_at != news.seen_at:
            changed = True  # read anew: every campaign
        else:
            touched = _touched(ledger.seen) if news.newest != ledger.seen else set()
            kept = {pk: v for pk, v in ledger.campaigns.items() if pk not in touched}
            changed = len(kept) < len(ledger.campaigns)
    valid = {pk: v[1:] for pk, v in kept.items() if campaigns.get(pk, v[0]) == v[0]}
    missing = [pk for pk in campaigns if pk not in valid]
    if missing:
        filing = _filing(missing, today)
        for pk, counts in _count(missing, today).items():
            valid[pk] = (counts, filing.get(pk, ()))
            kept[pk] = (campaigns[pk], *valid[pk])
        changed = True
    tail = (news.newest or 0) - ((ledger.seen or 0) if ledger else 0)
    if news.settled and (changed or tail > TAIL_REFRESH):
        figures_cache.set(key, Ledger(news.newest, news.newest_at, kept), LEDGER_SECONDS)
    return {pk: _figures(campaigns[pk][0], *valid[pk]) for pk in campaigns}


def _figures(year: int, counts: dict, filing: dict) -> CampaignFigures:
    statuses = {group: dict(zip(STATUSES, n, strict=True)) for group, n in counts.items()}
    return CampaignFigures(year, statuses, filing)


def campaign_counts(
    campaigns: dict[int, object], today: datetime.date
) -> dict[int, dict[Group, dict[TaskStatus, int]]]:
    """campaign_figures' tasks by (lead unit's level, decision's task or not) and status."""
    return {pk: found.statuses for pk, found in campaign_figures(campaigns, today).items()}


def report_period(as_of: datetime.date) -> datetime.date:
    """The month being reported on `as_of`: the one before (its reports are due early in
    as_of's month), as the filing board shows by default."""
    return clock.month_start(clock.month_start(as_of) - datetime.timedelta(days=1))


def filing_lines(tasks: QuerySet, as_of: datetime.date, fields: tuple[str, ...]) -> QuerySet:
    """Per value of `fields`, the tasks of `tasks` due a report for the month reported on
    `as_of` (report_period) and how many have one — the filing board's rule over unit_filing's
    tasks: the campaigns of the month's year, active at the month's end (or closed after it),
    started by then, as known then; a report counts once filed, on a past date by its end. One
    query (values with `due` and `filed`)."""
    period = report_period(as_of)
    next_month = clock.month_start(period + datetime.timedelta(days=31))
    reports = ProgressReport.objects.filter(task_id=OuterRef("pk"), period=period)
    until = known_until(as_of)
    if until is not None:
        reports = reports.filter(submitted_at__lt=until)
    known_on = min(as_of, clock.month_end(period))
    tasks = tasks_known(tasks.filter(campaign__year=period.year), known_on)
    tasks = tasks.filter(
        Q(state=TaskState.ACTIVE) | Q(closed_on__gt=known_on), start_date__lt=next_month
    )
    return (
        tasks.annotate(reported=Exists(reports))
        .values(*fields)
        .annotate(due=Count("id"), filed=Count("id", filter=Q(reported=True)))
        .order_by()
    )


def _filing(campaign_ids: list[int], today: datetime.date) -> dict[int, tuple]:
    """filing_lines of the campaigns' tasks per campaign and lead unit (one query), each
    campaign's as three arrays (lead units, tasks due, with a report): a province's 18,000
    lines read back as a few objects, not 18,000 tuples for the garbage collector to walk."""
    lines = filing_lines(
        Task.objects.filter(campaign_id__in=campaign_ids), today, ("campaign_id", "lead_unit_id")
    ).values_list("campaign_id", "lead_unit_id", "due", "filed")
    found: dict[int, tuple] = {}
    for campaign_id, unit_id, due, filed in lines:
        arrays = found.get(campaign_id)
        if arrays is None:
            arrays = found[campaign_id] = (array("q"), array("q"), array("q"))
        arrays[0].append(unit_id)
        arrays[1].append(due)
        arrays[2].append(filed)
    return found


def kept_key(name: str, parts: tuple, today: datetime.date) -> str:
    """Where a value of `name` and `parts` is kept for `today` (dashboards.kept_indicators)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"shigan:kept:{name}:{KEY_VERSION}:{code_digest()}:{today.isoformat()}:{digest}"
