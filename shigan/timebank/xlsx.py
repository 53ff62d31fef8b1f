"""The time bank's workbooks: an account's statement (text written as text by core.xlsx.put,
so a memo starting with = + - @ stays text; the phone masked) and the service-record import
template, whose columns the importer (imports.py) reads back by the same headers."""

from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook

from shigan.core.csv_export import columns_csv, csv_response
from shigan.core.masking import mask_phone
from shigan.core.xlsx.layout import (
    DATE_FORMAT,
    NUMBER_FORMAT,
    Column,
    finish,
    workbook_bytes,
    write_headers,
    write_note,
    write_row,
    write_title,
)

from .models import hours_text
from .queries import Statement

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE = Column("日期", 12, number_format=DATE_FORMAT)
KIND = Column("类型", 8)
MEMO = Column("摘要", 40)
CREDIT = Column("存入（小时）", 12, number_format=NUMBER_FORMAT)
DEBIT = Column("支出（小时）", 12, number_format=NUMBER_FORMAT)
BALANCE = Column("余额（小时）", 12, number_format=NUMBER_FORMAT)
STATEMENT_COLUMNS = [DATE, KIND, MEMO, CREDIT, DEBIT, BALANCE]

NAME = Column("姓名", 10)
PHONE = Column("联系电话", 14, label="联系电话")
SERVICE_DATE = Column("服务日期", 12, number_format=DATE_FORMAT)
HOURS = Column("服务时长（小时）", 12, label="服务时长", number_format=NUMBER_FORMAT)
ACTIVITY = Column("实践活动", 20)
BENEFICIARY = Column("服务对象", 16)
CONTENT = Column("服务内容", 40)
IMPORT_COLUMNS = [NAME, PHONE, SERVICE_DATE, HOURS, ACTIVITY, BENEFICIARY, CONTENT]
REQUIRED_COLUMNS = [NAME, SERVICE_DATE, HOURS, BENEFICIARY, CONTENT]


def xlsx_response(wb: Workbook, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def statement_workbook(statement: Statement, *, year: int) -> Workbook:
    account = statement.account
    wb = Workbook()
    ws = wb.active
    ws.title = "时间存折明细"
    width = len(STATEMENT_COLUMNS)
    write_title(ws, f"{account.name}时间存折明细（{year}年）", width)
    unit = account.unit.name if account.unit_id else ""
    note = f"{unit}  联系电话：{mask_phone(account.phone)}" if account.is_volunteer else ""
    write_note(ws, f"{note}  期初余额：{hours_text(statement.opening)}小时".strip(), width, row=2)
    first = write_headers(ws, STATEMENT_COLUMNS, row=3)
    for offset, values in enumerate(statement_rows(statement)):
        write_row(ws, first + offset, STATEMENT_COLUMNS, values)
    finish(ws, first_data_row=first, frozen_column="A")
    return wb


def statement_rows(statement: Statement) -> list[list]:
    """期初, one row per posting, 期末 (STATEMENT_COLUMNS)."""
    rows = [[statement.start, "期初", "期初余额", None, None, float(statement.opening)]]
    for line in statement.lines:
        amount = float(line.amount)
        memo = line.transaction.memo + ("（已冲正）" if line.reversed else "")
        rows.append([
            line.date, line.transaction.get_kind_display(), memo,
            amount if amount > 0 else None, -amount if amount < 0 else None, float(line.balance),
        ])  # fmt: skip
    rows.append([statement.end, "期末", "期末余额", float(statement.credits),
                 float(statement.debits), float(statement.closing)])  # fmt: skip
    return rows


def statement_response(statement: Statement, *, year: int) -> HttpResponse:
    wb = statement_workbook(statement, year=year)
    filename = f"{statement.account.name}时间存折明细{year}.xlsx"
    return xlsx_response(wb, filename, f"timebank-{statement.account.pk}-{year}.xlsx")


def statement_csv_response(statement: Statement, *, year: int) -> HttpResponse:
    """The statement's rows as a CSV (the workbook's title and note are its file name's)."""
    body = columns_csv(STATEMENT_COLUMNS, statement_rows(statement))
    filename = f"{statement.account.name}时间存折明细{year}.csv"
    return csv_response(body, filename, f"timebank-{statement.account.pk}-{year}.csv")


def _names(columns: list[Column]) -> str:
    return "、".join(c.label or c.key for c in columns)


def import_template() -> Workbook:
    """The import sheet: its note names every column a row must fill (REQUIRED_COLUMNS, the
    importer's own list) and those it may leave blank."""
    optional = [c for c in IMPORT_COLUMNS if c not in REQUIRED_COLUMNS]
    wb = Workbook()
    ws = wb.active
    ws.title = "服务记录"
    width = len(IMPORT_COLUMNS)
    write_title(ws, "时间存折服务记录导入表", width)
    write_note(
        ws,
        f"每行一条服务记录；必填：{_names(REQUIRED_COLUMNS)}（{_names(optional)}可不填）；"
        "姓名须为本村（社区）已开户的志愿者（同名时填写联系电话区分）；"
        "服务时长以0.5小时为单位，最多24小时；导入后为“待确认”，经他人确认后计入存折。",
        width,
        row=2,
    )
    first = write_headers(ws, IMPORT_COLUMNS, row=3)
    finish(ws, first_data_row=first, frozen_column="B")
    return wb
