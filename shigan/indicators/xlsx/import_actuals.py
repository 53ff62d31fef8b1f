"""Importing the actuals template: one figure per row (indicator and month), submitted through
services.actuals_submit with all its rules. Rows with a blank 本月完成 are not reported and
skipped; a reporter may only import figures of his own unit's indicators."""

from dataclasses import dataclass

from shigan.core.models import AuditSource
from shigan.core.xlsx import cells
from shigan.core.xlsx.cells import cell_error
from shigan.core.xlsx.layout import Column
from shigan.core.xlsx.reading import Sheet
from shigan.core.xlsx.rows import by_row
from shigan.indicators.access import can_report_indicator
from shigan.orgs.scope import person_of

from ..services import ActualEntry, ActualsRejected, Problem, actuals_check, actuals_submit
from .layout import ESTIMATE, INDICATOR, NOTE, PERIOD, REASON, VALUE
from .result import ACTUALS, ImportResult
from .rows import IndicatorRowReader, Lookups, load_lookups

FIELD_COLUMNS: dict[str, Column] = {
    "value": VALUE,
    "corrects": VALUE,
    "month": PERIOD,
    "note": NOTE,
    "reason": REASON,
}


@dataclass
class ActualRow:
    row: int
    entry: ActualEntry


def _permitted(reader: IndicatorRowReader, indicator, by) -> bool:
    if by is None or can_report_indicator(by, indicator):
        return True
    person = person_of(by)
    own = f"本单位（{person.unit.name}）" if person else "本单位"
    problem = f"由{indicator.responsible_unit.name}负责，您只能填报{own}的指标"
    reader.fail(INDICATOR, indicator.name, problem)
    return False


def _read(
    reader: IndicatorRowReader, lookups: Lookups, by, default_year: int | None
) -> ActualRow | None:
    value = reader.number(VALUE)
    if value is None:
        return None
    indicator = reader.indicator(lookups)
    if indicator is not None:
        _permitted(reader, indicator, by)
    period = reader.read(PERIOD, lambda raw: cells.month(raw, default_year))
    is_estimate = reader.read(ESTIMATE, cells.yes_no)
    note, reason = reader.read(NOTE), reader.read(REASON)
    if reader.failed or indicator is None:
        return None
    year, month = period
    entry = ActualEntry(
        indicator=indicator, year=year, month=month, value=value, is_estimate=is_estimate,
        note=note, reason=reason,
    )  # fmt: skip
    return ActualRow(reader.row, entry)


def _without_duplicates(rows: list[ActualRow], errors: list[str]) -> list[ActualRow]:
    first: dict[tuple, int] = {}
    kept = []
    for row in rows:
        entry = row.entry
        if entry.key in first:
            when = f"{entry.year}年{entry.month}月"
            problem = f"{when}与第{first[entry.key]}行重复（同一指标同一月份只能填一行）"
            errors.append(cell_error(row.row, INDICATOR.name, entry.indicator.name, problem))
            continue
        first[entry.key] = row.row
        kept.append(row)
    return kept


def _problem_errors(rows: list[ActualRow], problems: dict[int, list[Problem]]) -> list[str]:
    errors = []
    for i, found in problems.items():
        row = rows[i]
        for problem in found:
            column = FIELD_COLUMNS[problem.field]
            shown = cells.display(row.entry.value) if column is VALUE else None
            errors.append(cell_error(row.row, column.name, shown, problem.message))
    return errors


def _read_all(sheet: Sheet, by, year: int | None, result: ImportResult) -> list[ActualRow]:
    lookups = load_lookups(by)
    rows = []
    for number in sheet.data_rows():
        result.rows += 1
        if row := _read(IndicatorRowReader(sheet, number, result.errors), lookups, by, year):
            rows.append(row)
    return _without_duplicates(rows, result.errors)


def import_actuals(sheet: Sheet, *, by, year: int | None) -> ImportResult:
    """Check every row (cells, register, permission, then the submission rules), then submit all
    figures in one batch, or nothing. A file without any figure (a template downloaded and
    imported unchanged before anything was reported) changes nothing and says so."""
    result = ImportResult(kind=ACTUALS)
    rows = _read_all(sheet, by, year, result)
    entries = [row.entry for row in rows]
    if result.errors:
        result.errors += _problem_errors(rows, actuals_check(entries)) if entries else []
    elif entries:
        try:
            written = actuals_submit(entries=entries, by=by, source=AuditSource.IMPORT)
        except ActualsRejected as rejected:
            result.errors += _problem_errors(rows, rejected.problems)
        else:
            result.saved, result.unchanged = len(written), len(entries) - len(written)
    result.errors = by_row(result.errors)
    return result
