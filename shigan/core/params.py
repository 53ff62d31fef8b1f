"""The one parser for ids, years, dates, months (periods) and numbers, whether they come from a
query string, a form field, a workbook cell or the command line.

Strict on purpose: only ASCII digits (a superscript "²" or an Arabic-Indic "٣" is not a digit
here, although `str.isdigit()` and `Decimal()` accept them), thousands separators only in groups
of three ("33,000", never "1,2,3"), years within YEAR_RANGE (so date arithmetic never leaves
Python's calendar) and ids that fit a 64-bit column on every database.

Two ways to call each: `parse_*` raises BadValue, whose text is the Chinese message naming the
value; `*_or_none` answers None for a missing or malformed value (query-string filters ignore
what they do not understand).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from . import clock

YEAR_RANGE = (1990, 2100)
# 18 digits fit a signed 64-bit integer (SQLite's and PostgreSQL's bigint) with room to spare.
ID_PATTERN = r"[0-9]{1,18}"
SHOWN_MAX = 40

_ID = re.compile(ID_PATTERN)
_YEAR = re.compile(r"([0-9]{4})\s*(?:年度?)?")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_PERIOD = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[+-]?\.[0-9]+")
NUMBER_DIGITS = 15  # an amount beyond this is a typing slip, and no column holds it
# What a Chinese IME types for a number: full-width digits, sign, point, comma and percent, and
# the ideographic space, folded to ASCII. Only these: NFKC would also turn a superscript "²" or
# a circled "①" into a digit, and those stay refused.
_FULL_WIDTH_NUMBER = {0xFF10 + i: 0x30 + i for i in range(10)} | {
    0xFF0B: "+", 0xFF0D: "-", 0xFF0E: ".", 0xFF0C: ",", 0xFF05: "%", 0x3000: " ",
}  # fmt: skip
_NUMBER_LIKE = set("0123456789,.+-%")


class BadValue(ValueError):
    """A value that does not parse; str() is the Chinese message naming the value."""


def shown(raw: object) -> str:
    """The value as a message quotes it: stripped, and cut when very long."""
    text = str(raw).strip()
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"


def _bad(raw: object, problem: str) -> BadValue:
    return BadValue(f"“{shown(raw)}”{problem}")


def _text(raw: object) -> str:
    return "" if raw is None else str(raw).strip()


def parse_id(raw: object) -> int | None:
    """A record id; None when blank. Raises BadValue for anything but 1–18 ASCII digits."""
    text = _text(raw)
    if not text:
        return None
    if not _ID.fullmatch(text):
        raise _bad(raw, "不是有效的编号")
    return int(text)


def id_or_none(raw: object) -> int | None:
    try:
        return parse_id(raw)
    except BadValue:
        return None


def _check_year(year: int, raw: object) -> None:
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise _bad(raw, f"超出允许的年份范围（{YEAR_RANGE[0]}—{YEAR_RANGE[1]}年）")


def parse_year(raw: object) -> int | None:
    """A year such as 2023 (also "2023年", "2023年度"); None when blank."""
    text = _text(raw)
    if not text:
        return None
    match = _YEAR.fullmatch(text)
    if not match:
        raise _bad(raw, "不是有效的年度")
    _check_year(int(match.group(1)), raw)
    return int(match.group(1))


def year_or_none(raw: object) -> int | None:
    try:
        return parse_year(raw)
    except BadValue:
        return None


def year_or_this_year(raw: object) -> int:
    """A `?year=` filter: the year named, this year (core.clock) when missing or malformed."""
    return year_or_none(raw) or clock.today().year


def parse_date(raw: object) -> datetime.date | None:
    """YYYY-MM-DD (month and day may have one digit); None when blank."""
    if isinstance(raw, datetime.date):
        _check_year(raw.year, raw)
        return raw if not isinstance(raw, datetime.datetime) else raw.date()
    text = _text(raw)
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if not match:
        raise _bad(raw, "不是有效的日期（应为 YYYY-MM-DD，如2023-07-31）")
    year, month, day = (int(g) for g in match.groups())
    _check_year(year, raw)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _bad(raw, "不是存在的日期") from None


def date_or_none(raw: object) -> datetime.date | None:
    try:
        return parse_date(raw)
    except BadValue:
        return None


def date_or_default(raw: object, default: datetime.date) -> tuple[datetime.date, str]:
    """For a query parameter: the date, or `default` and the message saying why it was used."""
    try:
        return parse_date(raw) or default, ""
    except BadValue as exc:
        return default, f"日期{exc}，已按{default:%Y-%m-%d}显示。"


def parse_period(raw: object) -> datetime.date | None:
    """A month as YYYY-MM, returned as its first day; None when blank."""
    text = _text(raw)
    if not text:
        return None
    match = _PERIOD.fullmatch(text)
    if not match:
        raise _bad(raw, "不是有效的月份（应为 YYYY-MM，如2023-07）")
    year, month = int(match.group(1)), int(match.group(2))
    _check_year(year, raw)
    if not 1 <= month <= 12:
        raise _bad(raw, "不是有效的月份（月份应为1—12）")
    return datetime.date(year, month, 1)


def period_or_none(raw: object) -> datetime.date | None:
    try:
        return parse_period(raw)
    except BadValue:
        return None


def period_or_this_month(raw: object) -> datetime.date:
    """A `?period=YYYY-MM` filter: the month named, this month when missing or malformed."""
    return period_or_none(raw) or clock.month_start(clock.today())


NUMBER_EXAMPLE = "30000"  # the example a refused number's message gives, unless the field's


def _not_a_number(raw: object, text: str, example: str = NUMBER_EXAMPLE) -> BadValue:
    if any(0xFF01 <= ord(c) <= 0xFF5E for c in text):  # full-width letters left after folding
        return _bad(raw, "不是数字（请使用半角数字）")
    if set(text) <= _NUMBER_LIKE:  # digits, but misplaced separators ("1,2,3", "1.2.3")
        return _bad(raw, "不是数字")
    return _bad(raw, f"不是数字，请填写阿拉伯数字，如{example}")


def parse_number(
    raw: object,
    *,
    percent: bool = False,
    units: tuple[str, ...] = (),
    example: str = NUMBER_EXAMPLE,
) -> Decimal | None:
    """A decimal number as typed: digits, an optional sign and decimal point, thousands
    separators only in groups of three; full-width ones ("３３，０００") are read as their
    ASCII forms, any other digit (superscript, Arabic-Indic) is refused. With `percent`, a
    trailing % (or ％) is allowed and dropped; a trailing one of `units` (the field's own unit,
    "1.5小时" for hours) likewise. `example` is the refusal's 如… (the field's kind of number:
    "1.5" for hours). None when blank."""
    text = _text(raw).translate(_FULL_WIDTH_NUMBER).replace(" ", "")
    if not text:
        return None
    if percent and text[-1] == "%":
        text = text[:-1]
    unit = next((u for u in units if text.lower().endswith(u.lower()) and len(text) > len(u)), "")
    text = text[: len(text) - len(unit)]
    if not _NUMBER.fullmatch(text):
        raise _not_a_number(raw, text, example)
    digits = text.replace(",", "").lstrip("+-")
    if len(digits.split(".")[0].lstrip("0")) > NUMBER_DIGITS:
        raise _bad(raw, f"超出允许的位数（整数部分最多{NUMBER_DIGITS}位）")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise _bad(raw, "不是数字") from None
