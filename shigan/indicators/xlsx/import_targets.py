"""Importing the targets template: per indicator and year, the annual target and last year's
same-period figures. Blank cells leave what is recorded unchanged."""

from dataclasses import dataclass
from decimal import Decimal

from shigan.core.models import AuditSource
from shigan.core.xlsx import cells
from shigan.core.xlsx.cells import cell_error
from shigan.core.xlsx.reading import Sheet
from shigan.core.xlsx.rows import FAILED, by_row

from ..models import Indicator, IndicatorYear, SamePeriodValue
from ..services import same_period_set, target_set
from .layout import ANNUAL_TARGET, INDICATOR, SAME_PERIOD, TARGET_YEAR
from .result import TARGETS, ImportResult
from .rows import IndicatorRowReader, Lookups, load_lookups


@dataclass
class TargetRow:
    row: int
    indicator: Indicator
    year: int
    target: Decimal | None
    same_period: dict[int, Decimal]


def _read(
    reader: IndicatorRowReader, lookups: Lookups, default_year: int | None
) -> TargetRow | None:
    indicator = reader.indicator(lookups)
    year = reader.read(TARGET_YEAR, lambda value: cells.year(value, default_year))
    target = reader.number(ANNUAL_TARGET)
    months = {m: reader.number(column) for m, column in enumerate(SAME_PERIOD, start=1)}
    if reader.failed or indicator is None:
        return None
    same = {m: value for m, value in months.items() if value is not None and value is not FAILED}
    return TargetRow(reader.row, indicator, year, target, same)


def _duplicates(rows: list[TargetRow], errors: list[str]) -> None:
    first: dict[tuple[int, int], int] = {}
    for row in rows:
        key = (row.indicator.pk, row.year)
        if key in first:
            problem = f"与第{first[key]}行重复（同一指标同一年度只能填一行）"
            errors.append(cell_error(row.row, INDICATOR.name, row.indicator.name, problem))
        first.setdefault(key, row.row)


def _write(rows: list[TargetRow], by, result: ImportResult) -> None:
    ids, years = {r.indicator.pk for r in rows}, {r.year for r in rows}
    targets = IndicatorYear.objects.filter(indicator_id__in=ids, year__in=years)
    known_targets = {(t.indicator_id, t.year): t.annual_target for t in targets}
    values = SamePeriodValue.objects.filter(indicator_id__in=ids, year__in=years)
    known_same = {(v.indicator_id, v.year, v.month): v.value for v in values}
    for row in rows:
        key = (row.indicator.pk, row.year)
        if row.target is not None:
            changed = key not in known_targets or known_targets[key] != row.target
            if changed:
                target_set(
                    indicator=row.indicator,
                    year=row.year,
                    annual_target=row.target,
                    by=by,
                    source=AuditSource.IMPORT,
                )
            _count(result, changed)
        for month, value in row.same_period.items():
            changed = known_same.get((*key, month)) != value
            if changed:
                same_period_set(
                    indicator=row.indicator,
                    year=row.year,
                    month=month,
                    value=value,
                    by=by,
                    source=AuditSource.IMPORT,
                )
            _count(result, changed)


def _count(result: ImportResult, changed: bool) -> None:
    if changed:
        result.saved += 1
    else:
        result.unchanged += 1


def import_targets(sheet: Sheet, *, by, year: int | None) -> ImportResult:
    """Check every row, then write all targets and same-period figures, or nothing."""
    result = ImportResult(kind=TARGETS)
    lookups = load_lookups(by)
    rows: list[TargetRow] = []
    for number in sheet.data_rows():
        result.rows += 1
        if row := _read(IndicatorRowReader(sheet, number, result.errors), lookups, year):
            rows.append(row)
    _duplicates(rows, result.errors)
    if result.errors:
        result.errors = by_row(result.errors)
        return result
    _write(rows, by, result)
    return result
