"""Reading one cell as a number, yes/no, a year or a month, or text; and the Chinese error
message naming row, column and value. A parser raises BadCell with what is wrong."""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from openpyxl.utils.datetime import from_excel

YES = {"是", "预计", "√", "✓", "y", "yes", "true", "1"}
NO = {"否", "", "×", "n", "no", "false", "0"}
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
MONTH_PATTERNS = [
    re.compile(r"(?P<y>\d{4})年(?:1[-—~至])?(?P<m>\d{1,2})月(?:\d{1,2}日)?"),
    re.compile(r"(?P<y>\d{4})[./-](?P<m>\d{1,2})(?:[./-]\d{1,2})?"),
    re.compile(r"(?:1[-—~至])?(?P<m>\d{1,2})月"),
]
# Excel serial numbers of 1950-01-01 and 2099-12-31: a number in between where a month is
# expected is a date whose format was not recognised.
SERIAL_RANGE = (18264, 73050)


class BadCell(Exception):
    """A cell that cannot be read as expected; the message is the Chinese problem text."""


def cell_error(row: int, label: str, value: object, problem: str) -> str:
    """第17行“本月完成”列：“三万”不是数字 — the value is left out when it is blank."""
    shown = display(value)
    quoted = f"“{shown}”" if shown else ""
    return f"第{row}行“{label}”列：{quoted}{problem}"


def display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def text(value: object) -> str:
    return unicodedata.normalize("NFKC", display(value)).strip()


def decimal(value: object, *, percent_format: bool = False) -> Decimal | None:
    """A number (None when blank). Text like "33,000" or "95%" is accepted; a cell formatted as a
    percentage (Excel stores 95% as 0.95) gives 95."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, datetime.date | datetime.time):
        raise BadCell("不是数字")
    if isinstance(value, int | float):
        # Excel keeps 15 significant digits; beyond them a float is binary noise (0.1 + 0.2).
        number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
        return number * 100 if percent_format else number
    raw = text(value).replace(",", "").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if not NUMBER.fullmatch(raw):
        raise BadCell("不是数字")
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise BadCell("不是数字") from None


def yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise BadCell("应填“是”或“否”")


def year(value: object, default: int | None) -> int:
    if value is None or text(value) == "":
        if default is None:
            raise BadCell("请填写年度")
        return default
    if isinstance(value, datetime.date):
        return value.year
    match = re.fullmatch(r"(\d{4})\s*年?(度)?", text(value))
    if not match or not 1990 <= int(match.group(1)) <= 2100:
        raise BadCell("不是有效的年度")
    return int(match.group(1))


def _serial_date(number: float) -> datetime.date:
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise BadCell("不是有效的月份")
    return from_excel(number).date()


def month(value: object, default_year: int | None) -> tuple[int, int]:
    """(year, month) from a date, an Excel serial number, "2023年7月", "2023-07", "1-7月" or 7
    (the last two with `default_year`)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.year, value.month
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= 12 and float(value).is_integer():
            return _with_year(default_year, int(value))
        day = _serial_date(value)
        return day.year, day.month
    raw = re.sub(r"\s+", "", text(value))
    for pattern in MONTH_PATTERNS:
        if match := pattern.fullmatch(raw):
            found = match.groupdict()
            y = int(found["y"]) if found.get("y") else default_year
            return _with_year(y, int(found["m"]))
    raise BadCell("不是有效的月份（应如“2023年7月”）" if raw else "请填写填报月份")


def _with_year(y: int | None, m: int) -> tuple[int, int]:
    if y is None:
        raise BadCell("未写明年份（应如“2023年7月”）")
    if not 1 <= m <= 12:
        raise BadCell("不是有效的月份")
    return y, m
