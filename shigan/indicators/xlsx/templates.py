"""Downloadable import templates: annual targets with last year's same-period figures, and one
month's actuals prefilled with the indicators the user may report."""

import datetime

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from shigan.core.xlsx.layout import (
    Column,
    column_letter,
    finish,
    write_headers,
    write_note,
    write_row,
    write_title,
)

from ..models import MeasureUnit, SamePeriodValue
from ..queries import indicator_report_rows, indicators_annotated
from .layout import (
    ACTUAL_COLUMNS,
    ACTUALS_TITLE,
    ESTIMATE,
    MEASURE_UNIT,
    PERIOD,
    TARGET_COLUMNS,
    TARGETS_TITLE,
)

SPARE_ROWS = 200
TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
TARGETS_NOTE = (
    "填表说明：1. 指标须为系统已登记的指标，计量单位、责任单位与登记一致；2. 年度目标和上年同期数"
    "填数值，累计指标的上年同期数填上年1至该月的累计数；3. 空白单元格不修改已有数据；4. 灰色列仅供参考。"
)
ACTUALS_NOTE = (
    "填表说明：1. 累计指标填年初以来累计数，时点指标填月末数；2. 预计数在“是否预计”列选“是”；"
    "3. 累计数低于上月、或与上月、上年同期相差超过50%的，须在“说明”列写明原因；4. 已填报月份"
    "再次填写不同数值即为更正，须填写“更正原因”，原数据保留；5. 本月完成为空的行不导入；"
    "6. 灰色列仅供参考。"
)


def _validations(ws: Worksheet, columns: list[Column], last_row: int) -> None:
    first = HEADER_ROW + 2

    def cells(column: Column) -> str:
        letter = column_letter(columns, column)
        return f"{letter}{first}:{letter}{last_row}"

    units = DataValidation(
        type="list", formula1='"' + ",".join(MeasureUnit.labels) + '"', allow_blank=True
    )
    units.error, units.errorTitle = "请从列表中选择计量单位。", "计量单位"
    units.add(cells(MEASURE_UNIT))
    ws.add_data_validation(units)
    numbers = DataValidation(type="decimal", operator="between", formula1="-1E12", formula2="1E12")
    numbers.allow_blank = True
    numbers.error, numbers.errorTitle = "请填写数字（不要带单位或文字）。", "数值"
    for column in columns:
        if column.number_format and column is not PERIOD and not column.reference:
            numbers.add(cells(column))
    ws.add_data_validation(numbers)
    if ESTIMATE in columns:
        estimate = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        estimate.error, estimate.errorTitle = "请选择“是”或“否”。", "是否预计"
        estimate.add(cells(ESTIMATE))
        ws.add_data_validation(estimate)


def _sheet(title: str, note: str, columns: list[Column], name: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    ws.title = name
    write_title(ws, title, len(columns), row=TITLE_ROW)
    write_note(ws, note, len(columns), row=NOTE_ROW)
    write_headers(ws, columns, row=HEADER_ROW)
    return wb, ws


def _target_values(i: int, ind, year: int, same: dict) -> list:
    months = [same.get((ind.pk, m)) for m in range(1, 13)]
    return [
        i, ind.name, ind.get_measure_unit_display(), ind.responsible_unit.name, year,
        ind.annual_target, *months,
    ]  # fmt: skip


def targets_template(indicators: QuerySet, year: int) -> Workbook:
    """The targets template for `year`, prefilled with each indicator's current target and
    same-period figures (two queries)."""
    wb, ws = _sheet(f"{year}年{TARGETS_TITLE}", TARGETS_NOTE, TARGET_COLUMNS, "年度目标")
    rows = list(indicators_annotated(indicators, year, 1))
    values = SamePeriodValue.objects.filter(indicator__in=[r.pk for r in rows], year=year)
    same = {(v.indicator_id, v.month): v.value for v in values}
    first = HEADER_ROW + 2
    for i, ind in enumerate(rows, start=1):
        write_row(ws, first + i - 1, TARGET_COLUMNS, _target_values(i, ind, year, same))
    _validations(ws, TARGET_COLUMNS, first + len(rows) + SPARE_ROWS)
    finish(ws, first_data_row=first)
    return wb


def _actual_values(i: int, row, period: datetime.date) -> list:
    ind, current = row.indicator, row.current
    return [
        i,
        ind.name,
        ind.get_measure_unit_display(),
        ind.get_accumulation_display(),
        ind.responsible_unit.name,
        period,
        row.previous.value if row.previous else None,
        current.value if current else None,
        ("是" if current.is_estimate else "否") if current else None,
        current.note if current else None,
        None,
    ]


def actuals_template(indicators: QuerySet, year: int, month: int) -> Workbook:
    """The actuals template for one month, one row per indicator, prefilled with the month's
    current figures (so that re-importing it unchanged changes nothing) and last month's."""
    title = f"{year}年{month}月{ACTUALS_TITLE}"
    wb, ws = _sheet(title, ACTUALS_NOTE, ACTUAL_COLUMNS, "完成情况")
    period = datetime.date(year, month, 1)
    first = HEADER_ROW + 2
    rows = indicator_report_rows(indicators, year, month)
    for i, row in enumerate(rows, start=1):
        write_row(ws, first + i - 1, ACTUAL_COLUMNS, _actual_values(i, row, period))
    _validations(ws, ACTUAL_COLUMNS, first + len(rows) + SPARE_ROWS)
    finish(ws, first_data_row=first)
    return wb
