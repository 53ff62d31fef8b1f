"""Concerns as workbooks (core.xlsx's 台账 layout): the export of a list (the requester's numbers
masked) and the hotline's import — its template, and reading a filled sheet all or nothing, every
problem named by row, column and value."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils.datetime import from_excel

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.csv_export import columns_csv
from shigan.core.params import BadValue, parse_date
from shigan.core.xlsx.cells import BadCell, plain, text
from shigan.core.xlsx.layout import (
    DATE_FORMAT,
    Column,
    finish,
    norm,
    workbook_bytes,
    write_headers,
    write_note,
    write_row,
    write_title,
)
from shigan.core.xlsx.names import suggestion
from shigan.core.xlsx.reading import Unreadable, find_sheet, open_book
from shigan.core.xlsx.rows import RowReader, by_row
from shigan.orgs.models import Unit

from .models import Concern, ConcernCategory, ConcernKind, ConcernSource
from .services.concerns import ID_NUMBER as ID_NUMBER_PATTERN
from .services.concerns import PHONE as PHONE_NUMBER
from .services.concerns import ConcernInput, concern_create

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

RECEIVED = Column("受理日期", 12, number_format=DATE_FORMAT)
SOURCE = Column("来源", 8)
KIND = Column("类型", 10)
CATEGORY = Column("类别", 12)
NAME = Column("诉求人", 10)
PHONE = Column("联系电话", 14)
ID_NUMBER = Column("身份证号", 20)
CONTENT = Column("诉求内容", 40)
PARTIES = Column("纠纷当事人", 16)
UNIT = Column("承办单位", 16)
IMPORT_COLUMNS = [RECEIVED, SOURCE, KIND, CATEGORY, NAME, PHONE, ID_NUMBER, CONTENT, PARTIES, UNIT]
IMPORT_NOTE = (
    "每行一件诉求。必填：受理日期（如2023-07-31）、类别、诉求人、诉求内容；来源填热线、来信、网上或"
    "企业反映（空为热线）；类型填群众诉求或矛盾纠纷（空为群众诉求，矛盾纠纷须填纠纷当事人）；承办单位"
    "可空（由专班转办）。编号和办理时限由系统按类别时限计算。整表无误才导入，有错不导入任何一行。"
)
EXPORT_COLUMNS = [
    Column("编号", 11), RECEIVED, SOURCE, KIND, CATEGORY, NAME, PHONE, ID_NUMBER, CONTENT,
    UNIT, Column("当前环节", 8), Column("办理时限", 12, number_format=DATE_FORMAT),
    Column("办结日期", 12, number_format=DATE_FORMAT), Column("状态", 8), Column("满意度", 8),
]  # fmt: skip
IMPORT_SOURCES = {
    s.label: s.value
    for s in (ConcernSource.HOTLINE, ConcernSource.LETTER, ConcernSource.ONLINE,
              ConcernSource.ENTERPRISE)
}  # fmt: skip
KINDS = {k.label: k.value for k in ConcernKind}
NAME_MAX = Concern._meta.get_field("requester_name").max_length


def xlsx_response(wb: Workbook, filename: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"concerns.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _sheet(title: str, note: str, columns: list[Column]) -> tuple[Workbook, object, int]:
    wb = Workbook()
    ws = wb.active
    ws.title = "诉求"
    write_title(ws, title, len(columns), row=1)
    write_note(ws, note, len(columns), row=2)
    first = write_headers(ws, columns, row=3)
    return wb, ws, first


def concerns_template(campaign: Campaign) -> Workbook:
    """The blank import sheet."""
    wb, ws, first = _sheet(f"{campaign.year}年群众诉求导入表", IMPORT_NOTE, IMPORT_COLUMNS)
    finish(ws, first_data_row=first)
    return wb


def concerns_workbook(campaign: Campaign, rows) -> Workbook:
    """The list as a workbook: every text written as text (a typed "=…" stays text), the
    requester's numbers masked."""
    wb, ws, first = _sheet(f"{campaign.year}年群众诉求台账", "联系电话、身份证号已脱敏。",
                           EXPORT_COLUMNS)  # fmt: skip
    for i, row in enumerate(rows):
        write_row(ws, first + i, EXPORT_COLUMNS, concern_values(row))
    finish(ws, first_data_row=first)
    return wb


def concern_values(row) -> list:
    """A concern's cells in the export (EXPORT_COLUMNS), the requester's numbers masked."""
    c = row.concern
    return [
        c.number, c.received_on, c.get_source_display(), c.get_kind_display(),
        c.category.name, c.requester_name, row.phone, row.id_number, c.content,
        c.assigned_unit.name if c.assigned_unit else "", c.get_step_display(), c.due_on,
        c.closed_on, row.status.label, c.get_satisfaction_display(),
    ]  # fmt: skip


def concerns_csv(rows) -> bytes:
    """The workbook's header and rows as a CSV (numbers masked alike)."""
    return columns_csv(EXPORT_COLUMNS, (concern_values(row) for row in rows))


@dataclass
class ConcernImport:
    """The outcome: every problem (nothing saved), or the concerns saved."""

    errors: list[str] = field(default_factory=list)
    saved: list = field(default_factory=list)


def _date(value: object) -> datetime.date:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 18264 <= value <= 73050:
            raise BadCell("不是有效日期")
        day = from_excel(value).date()
    else:
        try:
            day = parse_date(value)
        except BadValue:
            raise BadCell("不是有效日期（应如2023-07-31）") from None
    if day is None:
        raise BadCell("请填写受理日期")
    if day > clock.today():
        raise BadCell("晚于今天：不能导入尚未受理的诉求")
    return day


def _phone(value: object) -> str:
    found = plain(value)
    if found and not PHONE_NUMBER.fullmatch(found):
        raise BadCell("不是有效的号码（只能填数字，可含空格或“-”）")
    return found


def _id_number(value: object) -> str:
    found = plain(value).upper()
    if found and not ID_NUMBER_PATTERN.fullmatch(found):
        raise BadCell("不是有效的18位身份证号（末位可为X）")
    return found


def _required(value: object) -> str:
    found = plain(value)
    if not found:
        raise BadCell("必须填写")
    return found


def _name(value: object) -> str:
    found = _required(value)
    if len(found) > NAME_MAX:
        raise BadCell(f"超过{NAME_MAX}个字")
    return found


def _lookup(names: dict, what: str, *, blank=None, listed: bool = False):
    """A parser of a name among `names`; an unknown one is refused naming the district's (or,
    `listed`, every choice when they are a fixed few)."""
    keys = {norm(k): v for k, v in names.items()}
    shown = {norm(k): k for k in names}

    def parse(value: object):
        raw = text(value)
        if not raw:
            if blank is None:
                raise BadCell(f"请填写{what}")
            return blank
        if norm(raw) not in keys and listed:
            raise BadCell(f"不是可选的{what}（{'、'.join(names)}）")
        if norm(raw) not in keys:
            raise BadCell(f"不是本区（县）的{what}{suggestion(raw, shown)}")
        return keys[norm(raw)]

    return parse


class _Registers:
    def __init__(self, campaign: Campaign):
        district_id = campaign.organiser.district_id
        self.categories = {
            c.name: c for c in ConcernCategory.objects.filter(district_id=district_id)
        }
        self.units = {u.name: u for u in Unit.objects.filter(district_id=district_id)}


def _read_row(reader: RowReader, registers: _Registers):
    received = reader.read(RECEIVED, _date)
    source = reader.read(
        SOURCE, _lookup(IMPORT_SOURCES, "来源", blank=ConcernSource.HOTLINE, listed=True)
    )
    kind = reader.read(KIND, _lookup(KINDS, "类型", blank=ConcernKind.REQUEST, listed=True))
    category = reader.read(CATEGORY, _lookup(registers.categories, "诉求类别"))
    name, content = reader.read(NAME, _name), reader.read(CONTENT, _required)
    phone, id_number = reader.read(PHONE, _phone), reader.read(ID_NUMBER, _id_number)
    parties = reader.read(PARTIES, plain)
    unit = reader.read(UNIT, _lookup(registers.units, "单位", blank=""))
    if kind == ConcernKind.DISPUTE and parties == "":
        reader.fail(PARTIES, "", "矛盾纠纷须填写纠纷当事人")
    if reader.failed:
        return None
    item = ConcernInput(kind=kind, category=category, requester_name=name, content=content,
                        requester_phone=phone, requester_id_number=id_number, parties=parties,
                        assigned_unit=unit or None)  # fmt: skip
    return received, source, item


def concerns_import(*, path_or_file, campaign: Campaign, by) -> ConcernImport:
    """Import the hotline's sheet into `campaign`, all or nothing."""
    result = ConcernImport()
    try:
        book = open_book(path_or_file, max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024)
    except Unreadable as error:
        result.errors = [str(error)]
        return result
    sheet = find_sheet(book, RECEIVED.key, CONTENT.key)
    missing = [c.key for c in IMPORT_COLUMNS if sheet is None or not sheet.has(c.key)]
    if missing:
        result.errors = [f"表头缺少“{'”“'.join(missing)}”列：请使用下载的模板填写。"]
        return result
    registers, errors, rows = _Registers(campaign), [], []
    for number in sheet.data_rows():
        read = _read_row(RowReader(sheet, number, errors), registers)
        if read is not None:
            rows.append((number, read))
    if not rows and not errors:
        errors.append("表中没有诉求：请从第一条数据行起填写。")
    result.errors = by_row(errors)
    if not result.errors:
        _save(rows, campaign=campaign, by=by, result=result)
    return result


def _save(rows, *, campaign, by, result: ConcernImport) -> None:
    try:
        with transaction.atomic():
            for number, (received, source, item) in rows:
                try:
                    result.saved.append(concern_create(campaign=campaign, item=item, by=by,
                                                       source=source, received_on=received))  # fmt: skip
                except ValidationError as error:
                    result.errors = [f"第{number}行：{m}" for m in error.messages]
                    raise
    except ValidationError:
        result.saved = []
