"""Reading one cell as a number, yes/no, a year or a month, or text; and the Chinese error
message naming row, column and value. A parser raises BadCell with what is wrong.

Free text (names, notes, reasons) is read exactly as written, only stripped of surrounding
whitespace as the services strip what they store, so that a downloaded workbook imported
unchanged compares equal. Only keys matched against a fixed vocabulary (是/否, years, months)
are folded from full-width to ASCII; never NFKC, which turns "²" into "2".
"""

import datetime
import re
from decimal import Decimal

from openpyxl.utils.datetime import from_excel

from shigan.core.params import NUMBER_EXAMPLE, BadValue, parse_number, shown
from shigan.core.text import clean_text

YES = {"是", "预计", "√", "✓", "y", "yes", "true", "1"}
NO = {"否", "", "×", "n", "no", "false", "0"}
MONTH_PATTERNS = [
    re.compile(r"(?P<y>[0-9]{4})年(?:1[-—~至])?(?P<m>[0-9]{1,2})月(?:[0-9]{1,2}日)?"),
    re.compile(r"(?P<y>[0-9]{4})[./-](?P<m>[0-9]{1,2})(?:[./-][0-9]{1,2})?"),
    re.compile(r"(?:1[-—~至])?(?P<m>[0-9]{1,2})月"),
]
YEAR_PATTERN = re.compile(r"([0-9]{4})\s*年?(度)?")
# Excel serial numbers of 1950-01-01 and 2099-12-31: a number in between where a month is
# expected is a date whose format was not recognised.
SERIAL_RANGE = (18264, 73050)
# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space, as typed with a Chinese IME.
HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}
# ECMA-376 ST_Xstring: a character XML cannot hold is stored as _xHHHH_ (core.xlsx.ooxml_escape).
OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


class BadCell(Exception):
    """A cell that cannot be read as expected; the message is the Chinese problem text."""


def cell_error(row: int, label: str, value: object, problem: str) -> str:
    """第17行“本月完成”列：“三万”不是数字 — the value is left out when it is blank."""
    visible = display(value)
    quoted = f"“{visible}”" if visible else ""
    return f"第{row}行“{label}”列：{quoted}{problem}"


def display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _unescape(match: re.Match) -> str:
    char = chr(int(match.group(1), 16))
    return match.group(0) if 0xD800 <= ord(char) <= 0xDFFF else char


def text(value: object) -> str:
    """Free text exactly as written (OOXML escapes undone), without surrounding whitespace and
    invisible characters (core.text.clean_text: a cell holding a zero-width space is blank)."""
    if isinstance(value, str):
        return clean_text(OOXML_ESCAPED.sub(_unescape, value))
    return display(value)


def key(value: object) -> str:
    """Text for matching a fixed vocabulary: full-width letters and digits folded to ASCII."""
    return text(value).translate(HALF_WIDTH).strip()


def decimal(
    value: object,
    *,
    percent_format: bool = False,
    percent: bool = True,
    units: tuple[str, ...] = (),
    example: str = NUMBER_EXAMPLE,
) -> Decimal | None:
    """A number (None when blank). A numeric cell is taken as it is; a cell formatted as a
    percentage (Excel stores 95% as 0.95) gives 95. Text goes through the one strict parser,
    core.params.parse_number: ASCII digits, thousands in groups of three ("33,000"), and with
    `percent` a trailing % ("95%"). Full-width digits ("３３０００") are read as ASCII ones,
    superscripts and other digits refused, in a workbook as on the monthly web form."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, datetime.date | datetime.time):
        raise BadCell("不是数字")
    if isinstance(value, int | float):
        # Excel keeps 15 significant digits; beyond them a float is binary noise (0.1 + 0.2).
        number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
        return number * 100 if percent_format else number
    try:
        return parse_number(value, percent=percent, units=units, example=example)
    except BadValue as bad:
        # The message names the value; cell_error names it once more with row and column.
        raise BadCell(str(bad).removeprefix(f"“{shown(value)}”")) from None


def yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raw = key(value).lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise BadCell("应填“是”或“否”")


def year(value: object, default: int | None) -> int:
    if value is None or key(value) == "":
        if default is None:
            raise BadCell("请填写年度")
        return default
    if isinstance(value, datetime.date):
        return value.year
    match = YEAR_PATTERN.fullmatch(key(value))
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
    raw = re.sub(r"\s+", "", key(value))
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


CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


def plain(value: object) -> str:
    """Text where text is expected (a name, a post, a phone number): a number typed into the cell
    reads as written (101, not 101.0); a date or yes/no value is refused, since the text the
    person meant cannot be told from it."""
    if isinstance(value, bool):
        raise BadCell("是逻辑值，不是文字：请将单元格设为文本格式后重新填写")
    if isinstance(value, datetime.date | datetime.time):
        raise BadCell("是日期，不是文字：请将单元格设为文本格式后重新填写")
    return text(value)


def code(value: object) -> str:
    """A stable code (单位编码, 人员编码): letters, digits and . _ - (at most 32), full-width ones
    folded; a whole number typed as a number reads as its digits ("101", not "101.0")."""
    if isinstance(value, float) and not value.is_integer():
        raise BadCell("不是有效的编码：编码不能是小数，请将单元格设为文本格式后填写")
    raw = key(plain(value))
    if raw and not CODE.fullmatch(raw):
        raise BadCell("不是有效的编码：只能由字母、数字和“.”“_”“-”组成，最多32个字符")
    return raw


def whole_number(value: object) -> int | None:
    """A non-negative whole number (排序), None when blank."""
    number = decimal(value, percent=False)
    if number is None:
        return None
    if number != number.to_integral_value() or not 0 <= number < 2**31:
        raise BadCell("不是有效的排序号（应为0或正整数）")
    return int(number)
