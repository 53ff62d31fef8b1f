"""Importing a village's sheet of service records through core.xlsx (open_book, find_sheet,
RowReader, cell_error): every row is checked, and either every record is entered (待确认, to be
confirmed by someone else) or none, with each error naming its row and column in Chinese."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from openpyxl.utils.datetime import from_excel

from shigan.core import clock, params
from shigan.core.files import max_upload_bytes
from shigan.core.models import AuditSource
from shigan.core.xlsx import cells
from shigan.core.xlsx.cells import BadCell
from shigan.core.xlsx.reading import Unreadable, find_sheet, open_book
from shigan.core.xlsx.rows import FAILED, RowReader, by_row
from shigan.grassroots.models import PracticeActivity
from shigan.orgs.models import Unit

from .models import (
    HOUR_UNITS,
    Account,
    AccountKind,
    ServiceRecord,
    hours_example,
    hours_problem,
)
from .services import service_enter
from .xlsx import ACTIVITY, BENEFICIARY, CONTENT, HOURS, NAME, PHONE, REQUIRED_COLUMNS, SERVICE_DATE

NO_HEADER = "未找到表头：表中应有“姓名”和“服务时长（小时）”列。请使用系统下载的导入模板。"
BENEFICIARY_MAX = ServiceRecord._meta.get_field("beneficiary").max_length
SERIAL = (18264, 73050)  # Excel serials of 1950-01-01 and 2099-12-31


@dataclass
class ImportResult:
    rows: int = 0
    saved: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"发现{len(self.errors)}处错误，未导入任何记录，请修改后重新导入。"
        if not self.saved:
            return "表中没有服务记录，未导入任何数据。"
        return f"已导入{self.saved}条服务记录（待确认），经他人确认后计入存折。"


def _date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not SERIAL[0] <= value <= SERIAL[1]:
            raise BadCell("不是有效的日期")
        day = from_excel(value).date()
    else:
        try:
            day = params.parse_date(cells.key(value))
        except params.BadValue:
            raise BadCell("不是有效的日期（应如2023-05-10）") from None
    if day is None:
        raise BadCell("请填写服务日期")
    if day > clock.today():
        raise BadCell("晚于今天：不能导入尚未发生的服务")
    return day


def _hours(value: object) -> Decimal:
    hours = cells.decimal(value, percent=False, units=HOUR_UNITS, example=hours_example())
    if hours is None:
        raise BadCell("请填写服务时长")
    if problem := hours_problem(hours):
        raise BadCell(problem)
    return hours


def _required(value: object) -> str:
    if not (text := cells.plain(value)):
        raise BadCell("必须填写")
    return text


def _beneficiary(value: object) -> str:
    text = _required(value)
    if len(text) > BENEFICIARY_MAX:
        raise BadCell(f"超过{BENEFICIARY_MAX}个字")
    return text


class ServiceRowReader(RowReader):
    def account(self, accounts: dict[str, list[Account]]) -> Account | None:
        name = self.read(NAME, _required)
        if name is FAILED:
            return None
        found = accounts.get(name, [])
        if len(found) > 1:
            phone = self.read(PHONE, cells.plain)
            found = [a for a in found if phone and a.phone == phone]
        if len(found) != 1:
            problem = (
                "不是本村（社区）已开户的志愿者"
                if not accounts.get(name)
                else "有同名志愿者，请填写正确的联系电话区分"
            )
            self.fail(NAME, name, problem)
            return None
        return found[0]

    def activity(self, activities: dict[str, PracticeActivity]) -> PracticeActivity | None:
        name = self.read(ACTIVITY, cells.plain)
        if name is FAILED or not name:
            return None
        if name not in activities:
            self.fail(ACTIVITY, name, "不是本区的实践活动")
        return activities.get(name)


def _read_rows(sheet, unit: Unit, activities, result: ImportResult) -> list[dict]:
    accounts: dict[str, list[Account]] = {}
    for account in Account.objects.filter(kind=AccountKind.VOLUNTEER, unit=unit):
        accounts.setdefault(account.name, []).append(account)
    by_name = {a.name: a for a in activities}
    rows = []
    for number in sheet.data_rows():
        result.rows += 1
        reader = ServiceRowReader(sheet, number, result.errors)
        row = {
            "account": reader.account(accounts),
            "date": reader.read(SERVICE_DATE, _date),
            "hours": reader.read(HOURS, _hours),
            "activity": reader.activity(by_name),
            "beneficiary": reader.read(BENEFICIARY, _beneficiary),
            "content": reader.read(CONTENT, _required),
        }
        if not reader.failed:
            rows.append(row)
    return rows


def import_services(*, path_or_file, unit: Unit, by, activities) -> ImportResult:
    """Enter every service record of the sheet for the volunteers of `unit`, or none.
    `activities` are the practice activities a row may name (the user's district's)."""
    result = ImportResult()
    try:
        book = open_book(path_or_file, max_bytes=max_upload_bytes())
    except Unreadable as exc:
        result.errors.append(str(exc))
        return result
    sheet = find_sheet(book, NAME.key, HOURS.key)
    if sheet is None or not sheet.has(HOURS.key):
        result.errors.append(NO_HEADER)
        return result
    missing = [c.key for c in REQUIRED_COLUMNS if not sheet.has(c.key)]
    if missing:
        result.errors += [f"表头缺少“{key}”列，请使用系统下载的导入模板。" for key in missing]
        return result
    rows = _read_rows(sheet, unit, activities, result)
    if result.errors:
        result.errors = by_row(result.errors)
        return result
    with transaction.atomic():
        for row in rows:
            service_enter(by=by, source=AuditSource.IMPORT, **row)
            result.saved += 1
    return result
