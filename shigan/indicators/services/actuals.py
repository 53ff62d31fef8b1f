"""Writes for indicators: monthly actuals (append-only as core.corrections has it, keyed by
indicator, year and month; with the note and correction rules), annual targets and last year's
same-period figures. Every write is audited.

Permission is the caller's to check (indicators.access); the
rules here hold whoever submits.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.corrections import CorrectionProblem, correction_problem
from shigan.core.models import AuditAction, AuditSource
from shigan.core.params import YEAR_RANGE
from shigan.core.text import clean_text
from shigan.orgs.models import Unit

from ..calc import NOTE_DEVIATION, cumulative_projection, deviation, plain
from ..models import Actual, Indicator, IndicatorYear, SamePeriodValue
from ..models.indicators import VALUE_DIGITS, VALUE_PLACES, MeasureUnit
from ..queries import actuals_latest

Key = tuple[int, int, int]  # (indicator id, year, month)
LIMIT = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)


@dataclass
class ActualEntry:
    """One figure to submit. `unit` defaults to the indicator's responsible unit; `corrects`, when
    given, must be the month's current entry (a stale form is refused)."""

    indicator: Indicator
    year: int
    month: int
    value: Decimal
    is_estimate: bool = False
    note: str = ""
    unit: Unit | None = None
    corrects: Actual | None = None
    reason: str = ""
    # Said in the audit beside a correction's reason, e.g. that the figure is last month's
    # carried forward (同上月).
    audit_note: str = ""

    @property
    def key(self) -> Key:
        return (self.indicator.pk, self.year, self.month)


@dataclass(frozen=True)
class Problem:
    """A broken rule: `field` is value, month, note, reason or corrects."""

    field: str
    message: str


class ActualsRejected(ValidationError):
    """Raised with every problem of a batch, keyed by the entry's position; nothing was written."""

    def __init__(self, problems: dict[int, list[Problem]]):
        self.problems = problems
        super().__init__({str(i): [p.message for p in found] for i, found in problems.items()})


@dataclass
class _Known:
    current: dict[Key, Actual]
    same_period: dict[Key, Decimal]
    batch: dict[Key, Decimal]
    today: datetime.date


def _load(entries: Sequence[ActualEntry]) -> _Known:
    indicator_ids = {entry.indicator.pk for entry in entries}
    years = {entry.year for entry in entries}
    same = SamePeriodValue.objects.filter(indicator_id__in=indicator_ids, year__in=years)
    return _Known(
        current=actuals_latest(indicator_ids, years),
        same_period={(s.indicator_id, s.year, s.month): s.value for s in same},
        batch={entry.key: entry.value for entry in entries},
        today=clock.today(),
    )


def _month(year: int, month: int) -> str:
    return f"{year}年{month}月"


def _is_unchanged(entry: ActualEntry, current: Actual | None) -> bool:
    return (
        current is not None
        and current.value == entry.value
        and current.is_estimate == entry.is_estimate
        and current.note == entry.note
    )


def _period_problems(entry: ActualEntry, today: datetime.date) -> list[Problem]:
    low, high = YEAR_RANGE
    if not low <= entry.year <= high:
        return [Problem("month", f"{entry.year}年超出允许的年份范围（{low}—{high}年）")]
    if not 1 <= entry.month <= 12:
        return [Problem("month", f"月份{entry.month}不在1-12之间")]
    if (entry.year, entry.month) > (today.year, today.month):
        return [Problem("month", f"不能填报未来月份（{_month(entry.year, entry.month)}）")]
    return []


def value_problem(value: Decimal) -> str | None:
    """What is wrong with a figure for storage (too large, too many decimals), or None."""
    if not value.is_finite() or abs(value) >= LIMIT:
        return "数值超出范围"
    if value.normalize().as_tuple().exponent < -VALUE_PLACES:
        return f"最多保留{VALUE_PLACES}位小数"
    return None


def may_be_negative(indicator: Indicator) -> bool:
    """Only a rate (增速, 增长率, 变化 in %) can fall below zero; a count, an area or an amount
    cannot, and a negative one read as a completion rate below zero is a false alarm."""
    return indicator.measure_unit == MeasureUnit.PERCENT


def _value_problems(entry: ActualEntry) -> list[Problem]:
    if entry.value < 0 and not may_be_negative(entry.indicator):
        return [Problem("value", f"不能为负数（{plain(entry.value)}）")]
    problem = value_problem(entry.value)
    return [Problem("value", problem)] if problem else []


def _previous(entry: ActualEntry, known: _Known) -> Decimal | None:
    key = (entry.indicator.pk, entry.year, entry.month - 1)
    if key in known.batch:
        return known.batch[key]
    current = known.current.get(key)
    return current.value if current else None


def _month_reasons(entry: ActualEntry, previous: Decimal | None) -> list[str]:
    if previous is None:
        return []
    value, limit = entry.value, f"{plain(NOTE_DEVIATION * 100)}%"
    if not entry.indicator.is_cumulative:
        far = (deviation(value, previous) or 0) > NOTE_DEVIATION
        return [f"与上月的{plain(previous)}相差超过{limit}"] if far else []
    if value < previous:
        return [f"累计数{plain(value)}低于上月累计的{plain(previous)}"]
    projected = cumulative_projection(previous, entry.month)
    if (deviation(value, projected) or 0) > NOTE_DEVIATION:
        shown = plain(projected.quantize(Decimal("0.01")))
        return [f"与按上月累计{plain(previous)}同等进度推算的{shown}相差超过{limit}"]
    return []


def _note_problems(entry: ActualEntry, known: _Known) -> list[Problem]:
    if entry.note:
        return []
    reasons = _month_reasons(entry, _previous(entry, known))
    same = known.same_period.get(entry.key)
    if (deviation(entry.value, same) or 0) > NOTE_DEVIATION:
        reasons.append(f"与上年同期的{plain(same)}相差超过{plain(NOTE_DEVIATION * 100)}%")
    if not reasons:
        return []
    return [Problem("note", "；".join(reasons) + "，请填写说明")]


def _correction_problems(entry: ActualEntry, current: Actual | None) -> list[Problem]:
    # An entry naming no earlier one corrects the month's current figure (the form shows it).
    match correction_problem(current, entry.corrects, entry.reason, implicit=True):
        case CorrectionProblem.FOREIGN:
            return [Problem("corrects", "所更正的填报不属于该指标该月份")]
        case CorrectionProblem.STALE:
            return [Problem("corrects", "所更正的数已有更新的填报，请刷新后核对再提交")]
        case CorrectionProblem.NO_REASON:
            estimate = "（预计）" if current.is_estimate else ""
            when = _month(entry.year, entry.month)
            return [
                Problem(
                    "reason",
                    f"{when}已填报{plain(current.value)}{estimate}，再次填报即为更正，请填写更正原因",
                )
            ]
    return []


def _entry_problems(entry: ActualEntry, known: _Known) -> list[Problem]:
    if problems := _period_problems(entry, known.today):
        return problems
    current = known.current.get(entry.key)
    if problems := _value_problems(entry):
        # A figure that cannot be stored is not compared with last month's (no note asked for).
        return problems + _correction_problems(entry, current)
    return _correction_problems(entry, current) + _note_problems(entry, known)


def _problems(entries: Sequence[ActualEntry], known: _Known) -> dict[int, list[Problem]]:
    problems: dict[int, list[Problem]] = {}
    seen: set[Key] = set()
    for i, entry in enumerate(entries):
        found = [Problem("month", "同一指标同一月份重复填报")] if entry.key in seen else []
        seen.add(entry.key)
        if not found and not _is_unchanged(entry, known.current.get(entry.key)):
            found = _entry_problems(entry, known)
        if found:
            problems[i] = found
    return problems


def actuals_check(entries: Sequence[ActualEntry]) -> dict[int, list[Problem]]:
    """Every problem of a batch by entry position, writing nothing. Entries identical to their
    month's current figure are not checked (submitting them changes nothing)."""
    _normalise(entries)
    return _problems(entries, _load(entries))


def _normalise(entries: Sequence[ActualEntry]) -> None:
    for entry in entries:
        entry.note, entry.reason = clean_text(entry.note), clean_text(entry.reason)
        entry.value = Decimal(entry.value)


def _write(entry: ActualEntry, current: Actual | None, by, source: str) -> Actual:
    actual = Actual.append(
        current=current,
        reason=entry.reason,
        indicator=entry.indicator,
        year=entry.year,
        month=entry.month,
        value=entry.value,
        is_estimate=entry.is_estimate,
        note=entry.note,
        unit=entry.unit or entry.indicator.responsible_unit,
        submitted_by=by if getattr(by, "pk", None) else None,
    )
    note = "；".join(part for part in (entry.audit_note, actual.correction_note) if part)
    audit_record(actor=by, obj=actual, action=AuditAction.SUBMIT, note=note, source=source)
    return actual


@transaction.atomic
def actuals_submit(
    *, entries: Sequence[ActualEntry], by, source: str = AuditSource.SYSTEM
) -> list[Actual]:
    """Submit a batch of monthly figures, all or nothing; returns the entries written.

    Rules: no future month; a month that already has a figure gets a correction of its current
    entry, which needs a reason (the earlier entry is kept); a cumulative figure lower than last
    month's, or any figure more than NOTE_DEVIATION off last month's (cumulative: last month's
    carried on pro rata) or off last year's same period, needs a note. An entry identical to the
    current figure is skipped. Raises ActualsRejected with every problem and writes nothing.
    """
    # Serialises two submissions for the same indicators (PostgreSQL); SQLite's IMMEDIATE
    # transaction already holds the write lock.
    indicator_ids = {entry.indicator.pk for entry in entries}
    list(Indicator.objects.select_for_update().filter(pk__in=indicator_ids).values("pk"))
    _normalise(entries)
    known = _load(entries)
    if problems := _problems(entries, known):
        raise ActualsRejected(problems)
    return [
        _write(entry, known.current.get(entry.key), by, source)
        for entry in entries
        if not _is_unchanged(entry, known.current.get(entry.key))
    ]


def actual_submit(
    *,
    indicator: Indicator,
    year: int,
    month: int,
    value: Decimal,
    is_estimate: bool,
    note: str,
    by,
    unit: Unit,
    corrects: Actual | None = None,
    reason: str = "",
) -> Actual:
    """Submit one monthly figure (see actuals_submit for the rules). Returns the new entry, or the
    current one when nothing changed. Raises ValidationError keyed by field."""
    entry = ActualEntry(
        indicator=indicator, year=year, month=month, value=value, is_estimate=is_estimate,
        note=note, unit=unit, corrects=corrects, reason=reason,
    )  # fmt: skip
    try:
        written = actuals_submit(entries=[entry], by=by)
    except ActualsRejected as rejected:
        errors: dict[str, list[str]] = {}
        for problem in rejected.problems[0]:
            errors.setdefault(problem.field, []).append(problem.message)
        raise ValidationError(errors) from None
    if written:
        return written[0]
    return actuals_latest({indicator.pk}, {year})[entry.key]


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    year: int,
    annual_target: Decimal | None,
    by,
    source: str = AuditSource.SYSTEM,
    note: str = "",
) -> IndicatorYear:
    """Set an indicator's annual target for `year` (None: no target). Audited (with `note`); an
    unchanged target writes nothing."""
    row, created = IndicatorYear.objects.get_or_create(
        indicator=indicator, year=year, defaults={"annual_target": annual_target}
    )
    if created:
        audit_record(actor=by, obj=row, action=AuditAction.CREATE, source=source, note=note)
    elif row.annual_target != annual_target:
        before = snapshot(row)
        row.annual_target = annual_target
        row.save(update_fields=["annual_target", "updated_at"])
        audit_record(
            actor=by, obj=row, action=AuditAction.UPDATE, before=before, source=source, note=note
        )
    return row


@transaction.atomic
def same_period_set(
    *,
    indicator: Indicator,
    year: int,
    month: int,
    value: Decimal,
    by,
    source: str = AuditSource.SYSTEM,
) -> SamePeriodValue:
    """Set last year's figure for month `month` (compared with that month of `year`). Audited;
    an unchanged figure writes nothing."""
    row, created = SamePeriodValue.objects.get_or_create(
        indicator=indicator, year=year, month=month, defaults={"value": value}
    )
    if created:
        audit_record(actor=by, obj=row, action=AuditAction.CREATE, source=source)
    elif row.value != value:
        before = snapshot(row)
        row.value = value
        row.save(update_fields=["value", "updated_at"])
        audit_record(actor=by, obj=row, action=AuditAction.UPDATE, before=before, source=source)
    return row
