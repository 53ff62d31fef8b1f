"""Exports in the 台账 layout: the indicator table and the key projects with their four rates."""

import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from shigan.core import palette
from shigan.core.csv_export import columns_csv
from shigan.core.xlsx import put
from shigan.core.xlsx.layout import (
    BORDER,
    CENTER,
    DATE_FORMAT,
    NUMBER_FORMAT,
    PCT_FORMAT,
    Column,
    finish,
    write_headers,
    write_row,
    write_title,
)

from ..calc import IndicatorStatus
from ..queries import IndicatorRow, ProjectRate
from .layout import INDICATOR, MEASURE_UNIT, RESPONSIBLE_UNIT, SERIAL

# The --seq-* variables of shigan/static/shigan/app.css, the one colour definition.
STATUS_FILLS = {
    IndicatorStatus.GREEN: palette.excel("--seq-green"),
    IndicatorStatus.YELLOW: palette.excel("--seq-yellow"),
    IndicatorStatus.RED: palette.excel("--seq-red"),
    IndicatorStatus.GREY: palette.excel("--seq-grey"),
    IndicatorStatus.MISSING: palette.excel("--seq-grey"),
}

# The export's own header, by which the importer tells it from the targets template.
TABLE_VALUE = Column("完成情况/完成值", 13, number_format=NUMBER_FORMAT)
TABLE_COLUMNS = [
    Column("序号", 6),
    INDICATOR,
    MEASURE_UNIT,
    RESPONSIBLE_UNIT,
    Column("年度目标", 13, number_format=NUMBER_FORMAT),
    TABLE_VALUE,
    Column("完成情况/是否预计", 9),
    Column("完成进度/占年计划（%）", 11, number_format=PCT_FORMAT),
    Column("完成进度/序时进度（%）", 11, number_format=PCT_FORMAT),
    Column("完成进度/与序时进度差（百分点）", 13, number_format=PCT_FORMAT),
    Column("上年同期/同期数", 13, number_format=NUMBER_FORMAT),
    Column("上年同期/增减", 12, number_format=NUMBER_FORMAT),
    Column("上年同期/增减（%）", 11, number_format=PCT_FORMAT),
    Column("状态", 12),
]
STATUS_COLUMN = len(TABLE_COLUMNS)


def period_text(year: int, month: int) -> str:
    return f"{year}年1-{month}月" if month > 1 else f"{year}年1月"


def _table_values(i: int, row: IndicatorRow) -> list:
    ind = row.indicator
    return [
        i, ind.name, ind.get_measure_unit_display(), ind.responsible_unit.name, row.target,
        row.value, "是" if row.is_estimate else ("否" if row.value is not None else None),
        row.completion_pct, row.time_progress_pct, row.gap_points, row.same_period,
        row.change_abs, row.change_pct, row.status.label,
    ]  # fmt: skip


def _paint_status(ws: Worksheet, row: int, status: IndicatorStatus) -> None:
    cell = ws.cell(row=row, column=STATUS_COLUMN)
    cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[status])
    cell.font = Font(bold=True, color="000000" if status != IndicatorStatus.RED else "FFFFFF")
    cell.alignment = CENTER


def indicator_table_workbook(rows: list[IndicatorRow], *, year: int, month: int) -> Workbook:
    """The indicator table of queries.indicator_table, one sheet, title, two-level headers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "指标完成情况"
    write_title(ws, f"{period_text(year, month)}主要指标完成情况表", len(TABLE_COLUMNS))
    first = write_headers(ws, TABLE_COLUMNS, row=2)
    for i, row in enumerate(rows, start=1):
        write_row(ws, first + i - 1, TABLE_COLUMNS, _table_values(i, row))
        _paint_status(ws, first + i - 1, row.status)
    finish(ws, first_data_row=first)
    return wb


def indicator_table_csv(rows: list[IndicatorRow]) -> bytes:
    """The workbook's header and rows as a CSV."""
    return columns_csv(TABLE_COLUMNS, (_table_values(i, r) for i, r in enumerate(rows, start=1)))


MONEY = "万元"
PROJECT_COLUMNS = [
    SERIAL,
    Column("项目名称", 28),
    Column("建设企业", 18),
    RESPONSIBLE_UNIT,
    Column("投资情况/合同投资", 12, number_format=NUMBER_FORMAT),
    Column("投资情况/本年计划投资", 12, number_format=NUMBER_FORMAT),
    Column("投资情况/本年完成投资", 12, number_format=NUMBER_FORMAT),
    Column("投资情况/到位资金", 12, number_format=NUMBER_FORMAT),
    Column("开工/计划", 12, number_format=DATE_FORMAT),
    Column("开工/实际", 12, number_format=DATE_FORMAT),
    Column("竣工投产/计划", 12, number_format=DATE_FORMAT),
    Column("竣工投产/实际", 12, number_format=DATE_FORMAT),
    Column("节点完成", 10),
]
MONEY_COLUMNS = range(5, 9)


def _project_values(i: int, project) -> list:
    nodes = f"{project.nodes_done}/{project.nodes_total}" if project.task_id else ""
    return [
        i, project.name, project.enterprise.name if project.enterprise else "",
        project.responsible_unit.name, project.contracted_investment,
        project.planned_investment_this_year, project.completed_investment_this_year,
        project.funds_in_place, project.planned_start, project.actual_start,
        project.planned_completion, project.actual_completion, nodes,
    ]  # fmt: skip


def _units_row(ws: Worksheet, row: int) -> None:
    for col in range(1, len(PROJECT_COLUMNS) + 1):
        cell = put(ws, row, col, MONEY if col in MONEY_COLUMNS else None)
        cell.border, cell.alignment = BORDER, CENTER
        cell.font = Font(size=9, color="595959")


def _totals(projects: list) -> list:
    """The 合计 row: the money columns summed, the rest blank."""
    values = [None] * len(PROJECT_COLUMNS)
    values[1] = "合计"
    for col in MONEY_COLUMNS:
        values[col - 1] = sum((_project_values(0, p)[col - 1] for p in projects), Decimal(0))
    return values


def _totals_row(ws: Worksheet, row: int, projects: list) -> None:
    put(ws, row, 2, "合计").font = Font(bold=True)
    totals = _totals(projects)
    for col in MONEY_COLUMNS:
        put(ws, row, col, totals[col - 1]).number_format = NUMBER_FORMAT
    for col in range(1, len(PROJECT_COLUMNS) + 1):
        ws.cell(row=row, column=col).border = BORDER


def _rates(ws: Worksheet, row: int, rates: list[ProjectRate]) -> None:
    put(ws, row, 2, "项目推进指标").font = Font(bold=True)
    for i, rate in enumerate(rates, start=1):
        put(ws, row + i, 2, rate.name)
        pct = put(ws, row + i, 3, rate.counts if rate.small_base else rate.pct)
        pct.number_format = '0.0"%"'
        note = f"；{rate.small_base_note}" if rate.small_base else ""
        put(ws, row + i, 4, f"计算口径：{rate.definition.definition}{note}")


def key_projects_workbook(
    projects: list, rates: list[ProjectRate], *, year: int, as_of: datetime.date
) -> Workbook:
    """Key projects (from queries.key_projects_annotated) with a units row, totals and the four
    rates with their definitions."""
    wb = Workbook()
    ws = wb.active
    ws.title = "重点项目"
    title = f"{year}年重点项目推进情况表（截至{as_of.year}年{as_of.month}月{as_of.day}日）"
    write_title(ws, title, len(PROJECT_COLUMNS))
    units_row = write_headers(ws, PROJECT_COLUMNS, row=2)
    _units_row(ws, units_row)
    first = units_row + 1
    for i, project in enumerate(projects, start=1):
        write_row(ws, first + i - 1, PROJECT_COLUMNS, _project_values(i, project))
    totals = first + len(projects)
    _totals_row(ws, totals, projects)
    _rates(ws, totals + 2, rates)
    finish(ws, first_data_row=first)
    return wb


def key_projects_csv(projects: list) -> bytes:
    """The workbook's projects and 合计 as a CSV, the money columns' unit in their header (the
    workbook's 万元 row); the four rates, a table of their own, are on the page and workbook."""
    columns = [
        Column(f"{c.key}（{MONEY}）", number_format=c.number_format)
        if i in MONEY_COLUMNS else c
        for i, c in enumerate(PROJECT_COLUMNS, start=1)
    ]  # fmt: skip
    rows = [_project_values(i, p) for i, p in enumerate(projects, start=1)]
    return columns_csv(columns, [*rows, _totals(projects)])
