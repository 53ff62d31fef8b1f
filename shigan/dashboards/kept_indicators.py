"""下级对比's indicators by status per row, kept for the day and judged again only where a write
changed them (issue 17): a figure filed or corrected, a target set, or an indicator added
judges again the indicator it is for (the one added) and those whose figure reads it
(indicators.rollup.depending_on: the indicators above it, summed, and the rates whose numerator
or denominator they are), not the 12,640 indicators of a province's scope.

What is kept (one entry per level, viewer's scope and day: campaign_counts.kept_key) is the
month read (indicators.queries.indicator_month), each indicator's responsible unit and status
(three arrays), the rows' counts, and the newest audit entry seen. Each request reads, in one
statement as campaign_counts does (_news), the newest entry, whether one since is of a kind
that changes more than a few indicators (WIDE) and whether another transaction writes; then,
only when entries came since, which indicators the figures and targets written since are for,
and which were added (one query); those and the indicators depending on them are judged again (indicators.rolled
.indicator_statuses on that subset, the same month: three queries) and the rows' counts
corrected by the difference.

Everything else is judged afresh, as before:
- a unit written (its level may have moved: the rows are by level), an indicator changed or
  deleted (its links, aggregation, direction or unit: what depends on what), a figure or target
  deleted — the WIDE entries. An indicator added is not one: nothing reads it yet but what its
  own links name (the sums above it, the rates over them: depending_on), and it has no figure
  to move the month read; linking an existing indicator to it is a change, so WIDE;
- a figure filed for a later month of the year than the month read (the month read moves);
- the next day (the key holds it: 序时进度 moves), the code changed (its digest is in the key),
  the kept entry seen gone (a restore, a test's rolled-back transaction: its time differs).

Figures of other months or years, the same period's figures, key projects and enterprises
written change no status here and are passed over.
"""

import datetime
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import IntegerField, Q, QuerySet, Value

from shigan.core.figures_cache import figures_cache
from shigan.core.models import AuditAction, AuditEntry
from shigan.indicators.calc import IndicatorStatus
from shigan.indicators.models import Actual, Indicator, IndicatorYear
from shigan.indicators.rolled import indicator_statuses
from shigan.indicators.rollup import depending_on
from shigan.orgs.models import Unit

from .campaign_counts import LEDGER_SECONDS, TAIL_REFRESH, _news, kept_key

KEPT_INDICATORS = "levels-indicators"
KEY_VERSION = 2  # 2: each indicator's status kept, not the rows' counts only
STATUSES = list(IndicatorStatus)
_ACTUAL = Actual._meta.label_lower
_YEAR = IndicatorYear._meta.label_lower

_INDICATOR = Indicator._meta.label_lower

# Entries since the kept value's that make everything judged afresh (see the docstring).
WIDE = (
    Q(record_type=Unit._meta.label_lower)
    | Q(record_type=_INDICATOR) & ~Q(action=AuditAction.CREATE)
    | Q(record_type__in=[_ACTUAL, _YEAR], action=AuditAction.DELETE)
)


@dataclass
class KeptStatuses:
    """The newest audit entry seen (id, time), the month read, each indicator's responsible
    unit and status (index in STATUSES) in three arrays, and each row's counts (branch id →
    status → number)."""

    seen: int | None
    seen_at: object
    month: int
    ids: array = field(default_factory=lambda: array("q"))
    units: array = field(default_factory=lambda: array("q"))
    codes: array = field(default_factory=lambda: array("b"))
    counted: dict = field(default_factory=dict)


def kept_indicator_key(parts: tuple, today: datetime.date) -> str:
    return kept_key(f"{KEPT_INDICATORS}:{KEY_VERSION}", parts, today)


def written_since(seen: int | None, year: int, month: int) -> set[int] | None:
    """The indicators whose figure of `month` of `year`, or target of `year`, an audit entry
    since `seen` wrote, and those added since (one query); None when a figure of a later month of `year` was filed
    (the month a summary reads may move: everything is judged afresh)."""
    since = AuditEntry.objects.filter(pk__gt=seen or 0)
    figures = (
        Actual.objects.filter(
            pk__in=since.filter(record_type=_ACTUAL).values("record_id"),
            year=year,
            month__gte=month,
        )
        .order_by()
        .values_list("indicator_id", "month")
    )
    targets = (
        IndicatorYear.objects.filter(
            pk__in=since.filter(record_type=_YEAR).values("record_id"), year=year
        )
        .order_by()
        .values_list("indicator_id", Value(0, output_field=IntegerField()))
    )
    added = (
        Indicator.objects.filter(
            pk__in=since.filter(record_type=_INDICATOR, action=AuditAction.CREATE).values(
                "record_id"
            )
        )
        .order_by()
        .values_list("pk", Value(0, output_field=IntegerField()))
    )
    touched = set()
    for indicator_id, of_month in figures.union(targets, added, all=True):
        if of_month > month:
            return None
        touched.add(indicator_id)
    return touched


def _count(kept: KeptStatuses, branch_of: dict) -> None:
    counted: dict[int, Counter] = defaultdict(Counter)
    for unit_id, code in zip(kept.units, kept.codes, strict=True):
        branch = branch_of.get(unit_id)
        if branch is not None:
            counted[branch][STATUSES[code]] += 1
    kept.counted = dict(counted)


def _judge_again(kept: KeptStatuses, found: list, judged: set[int], branch_of: dict) -> None:
    """The kept statuses with those of `judged` replaced by `found` (judged again), the rows'
    counts corrected by the difference."""
    counted = defaultdict(Counter, kept.counted)
    ids, units, codes = array("q"), array("q"), array("b")
    for pk, unit_id, code in zip(kept.ids, kept.units, kept.codes, strict=True):
        if pk in judged:
            branch = branch_of.get(unit_id)
            if branch is not None:
                _add(counted, branch, STATUSES[code], -1)
            continue
        ids.append(pk), units.append(unit_id), codes.append(code)
    for pk, unit_id, status in found:
        branch = branch_of.get(unit_id)
        if branch is not None:
            _add(counted, branch, status, 1)
        ids.append(pk), units.append(unit_id), codes.append(STATUSES.index(status))
    kept.ids, kept.units, kept.codes, kept.counted = ids, units, codes, dict(counted)


def _add(counted: dict, branch: int, status: IndicatorStatus, n: int) -> None:
    counts = counted[branch] = Counter(counted[branch])
    counts[status] += n
    if not counts[status]:
        del counts[status]


def kept_indicator_counts(
    parts: tuple, today: datetime.date, indicators: QuerySet, branch_of: dict
) -> dict[int, Counter]:
    """The indicators of `indicators` (a viewer's, today) by status per row (`branch_of`: a
    responsible unit's row), as indicator_statuses judges them now: kept for the day under
    `parts` (the viewer's level and scope), judged again where written since (the module's
    rules). One query when nothing was written since, two when something was; the indicators
    written and those depending on them judged again in four more; everything judged afresh
    (four queries) otherwise."""
    key = kept_indicator_key(parts, today)
    kept = figures_cache.get(key)
    news = _news(kept is not None, kept.seen if kept is not None else None, WIDE)
    fresh = kept is None or news.wide or kept.seen_at != news.seen_at
    written: set[int] | None = set()
    if not fresh and news.newest != kept.seen:
        written = written_since(kept.seen, today.year, kept.month)
        fresh = written is None
    if fresh:
        month, found = indicator_statuses(indicators, today.year, today)
        kept = KeptStatuses(news.newest, news.newest_at, month)
        for pk, unit_id, status in found:
            kept.ids.append(pk), kept.units.append(unit_id)
            kept.codes.append(STATUSES.index(status))
        _count(kept, branch_of)
    elif written:
        judged = depending_on(written)
        subset = indicators.filter(pk__in=sorted(judged))
        _, found = indicator_statuses(subset, today.year, today, month=kept.month)
        _judge_again(kept, found, judged, branch_of)
    tail = (news.newest or 0) - (kept.seen or 0)
    if news.settled and (fresh or written or tail > TAIL_REFRESH):
        kept.seen, kept.seen_at = news.newest, news.newest_at
        figures_cache.set(key, kept, LEDGER_SECONDS)
    return kept.counted
