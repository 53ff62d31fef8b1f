"""Deadlines as district task lists write them (完成时限): "2023年8月底", "2023.8.31", "2023-08-31",
"8月31日前", "8月底前", "三季度末", "年底", "年内", "上半年", "6月", a real date cell or an Excel
date serial — and "长期坚持" / "持续推进", which name no date at all.

`parse_deadline(raw, year=…)` answers a Deadline: its day, or `ongoing` for a phrase without a
fixed date (the caller decides what that means for it); a year left out is `year`, the campaign's.
Anything else raises params.BadValue naming the value, in Chinese. A deadline is the last day the
phrase allows: "8月" and "8月底" are 31 August, "三季度" 30 September, "上半年" 30 June, and "前"
("8月31日前") adds nothing — lists use it to mean "by".

`leading_deadline(text, year=…)` finds such a phrase at the start of a milestone line ("8月底前完成
整体方案", "2023年8月31日：完成整体方案").

Digits typed with a Chinese IME (full-width "８月") are read as ASCII ones here, as workbook
vocabulary is; months, days and quarters may also be Chinese numerals ("八月底", "三季度").
"""

import datetime
import re
from dataclasses import dataclass

from openpyxl.utils.datetime import from_excel

from . import clock
from .params import YEAR_RANGE, BadValue, shown

# Excel serial numbers of 1950-01-01 and 2099-12-31: a whole number in between where a date is
# expected is a date whose cell format was not recognised.
SERIAL_RANGE = (18264, 73050)
FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}
CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}  # fmt: skip
HINT = "（可写如“2023年8月31日”“2023.8.31”“8月底前”“三季度末”“年底”“长期坚持”）"

_N = r"[0-9]{1,2}|[〇零一二两三四五六七八九十]{1,3}"
_Y = r"(?:(?P<y>[0-9]{4})年度?)?"
_BY = r"(?:前|之前|以前|止|为止|以内|内)?"
DASH = r"[-—–~～至到]+"
PATTERNS = [
    # 2023-08-31, 2023.8.31, 2023/8/31, 2023年8月31日 (日 or 号 optional)
    re.compile(rf"(?P<y>[0-9]{{4}})[-./](?P<m>{_N})[-./](?P<d>{_N})"),
    re.compile(rf"{_Y}(?P<m>{_N})月(?P<d>{_N})[日号]?"),
    # 2023.8, 2023-08 (a month: its last day)
    re.compile(rf"(?P<y>[0-9]{{4}})[-./](?P<m>{_N})"),
    # 8.31, 8/31 without a year
    re.compile(r"(?P<m>[0-9]{1,2})[./](?P<d>[0-9]{1,2})"),
    # 8月, 8月底, 8月末, 8月份, 8月中旬, 3-8月 / 3月至8月 (the end of the range)
    re.compile(
        rf"{_Y}(?:(?:{_N})(?:月份?)?{DASH})?(?P<m>{_N})月(?P<part>底|末|份|上旬|中旬|下旬|中)?"
    ),
    # 三季度末, 第三季度, 2023年3季度, 一季度底
    re.compile(rf"{_Y}第?(?P<q>[1-4一二三四])季度?(?:末|底)?"),
    # 上半年, 下半年, 年中, 年底, 年末, 年内, 全年, 2023年底, 2023年内, 2023年
    re.compile(
        r"(?:(?P<y>[0-9]{4})年度?)?(?P<h>上半年|下半年|年中|年底|年末|年内|全年|年终|年度内)"
    ),
    re.compile(r"(?P<y>[0-9]{4})年度?(?P<h>底|末|内|终|中)?"),
]
ONGOING = re.compile(r"(?:长期|持续|常态化?|常年|长效|经常性)(?:坚持|推进|开展|落实|实施|抓好)?")
AMBIGUOUS = re.compile(rf"{_Y}(?P<m>{_N})月(?:前|之前|以前)")
SEPARATORS = "：:，,、；; \t"


@dataclass(frozen=True)
class Deadline:
    """A deadline read from a phrase: `day`, or `ongoing` (长期坚持) with no day."""

    day: datetime.date | None
    ongoing: bool = False


def fold(text: str) -> str:
    """Full-width ASCII (and the ideographic space) to ASCII; surrounding whitespace dropped."""
    return text.translate(FULL_WIDTH).strip()


def cn_number(text: str) -> int:
    """1-31 from ASCII digits or Chinese numerals ("八", "十二", "三十一")."""
    if text.isascii():
        return int(text)
    if "十" not in text:
        return int("".join(str(CN_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def _bad(raw: object, problem: str) -> BadValue:
    return BadValue(f"“{shown(raw)}”{problem}")


def _checked_year(y: int, raw: object) -> int:
    if not YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
        raise _bad(raw, f"超出允许的年份范围（{YEAR_RANGE[0]}—{YEAR_RANGE[1]}年）")
    return y


def _day(y: int, m: int, d: int | None, raw: object) -> datetime.date:
    """Day d of month m (its last day when d is None)."""
    if not 1 <= m <= 12:
        raise _bad(raw, "不是有效的日期（月份应为1—12）")
    if d is None:
        return clock.month_end(datetime.date(y, m, 1))
    try:
        return datetime.date(y, m, d)
    except ValueError:
        raise _bad(raw, "不是存在的日期") from None


def _from_match(found: dict[str, str | None], year: int, raw: object) -> datetime.date:
    y = _checked_year(int(found["y"]), raw) if found.get("y") else year
    if found.get("q"):
        return clock.month_end(datetime.date(y, cn_number(found["q"]) * 3, 1))
    if found.get("m"):
        part = found.get("part")
        d = (
            cn_number(found["d"])
            if found.get("d")
            else {"上旬": 10, "中旬": 20, "中": 15}.get(part)
        )
        return _day(y, cn_number(found["m"]), d, raw)
    if found.get("h") in {"上半年", "年中", "中"}:
        return datetime.date(y, 6, 30)
    return datetime.date(y, 12, 31)


def _serial(number: float, raw: object) -> datetime.date:
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise _bad(raw, "是数字，不是日期（日期请写作“2023年8月31日”或设为日期格式）")
    return from_excel(number).date()


def _phrase(text: str, year: int, raw: object) -> Deadline | None:
    """The deadline `text` (folded, without spaces) states, or None when it is no such phrase."""
    if ONGOING.fullmatch(text):
        return Deadline(None, ongoing=True)
    if AMBIGUOUS.fullmatch(text):
        raise _bad(raw, "含义不明确：是该月1日前还是该月底前？请写作“M月底前”或“M月D日前”")
    bare = re.sub(rf"{_BY}(?:完成)?$", "", text)
    for candidate in dict.fromkeys([text, bare]):
        for pattern in PATTERNS:
            if match := pattern.fullmatch(candidate):
                try:
                    return Deadline(_from_match(match.groupdict(), year, raw))
                except (KeyError, ValueError) as exc:  # a numeral such as "十十"
                    if isinstance(exc, BadValue):
                        raise
                    raise _bad(raw, f"不是可识别的完成时限{HINT}") from None
    return None


def parse_deadline(raw: object, *, year: int) -> Deadline:
    """The deadline a cell or a typed value states; `year` fills a phrase without one. Raises
    BadValue (a blank value included: a deadline is required where this is called)."""
    if isinstance(raw, datetime.datetime | datetime.date):
        day = raw.date() if isinstance(raw, datetime.datetime) else raw
        _checked_year(day.year, raw)
        return Deadline(day)
    if isinstance(raw, bool):
        raise _bad(raw, f"不是可识别的完成时限{HINT}")
    if isinstance(raw, int | float):
        return Deadline(_serial(raw, raw))
    text = re.sub(r"\s+", "", fold(str(raw if raw is not None else "")))
    if not text:
        raise BadValue(f"未填写完成时限{HINT}")
    _checked_year(year, raw)
    found = _phrase(text, year, raw)
    if found is None:
        raise _bad(raw, f"不是可识别的完成时限{HINT}")
    return found


def leading_deadline(text: str, *, year: int) -> tuple[datetime.date, str] | None:
    """(day, rest) when `text` opens with a dated phrase: "8月底前完成整体方案" gives 31 August and
    "完成整体方案"; "2023年8月31日：完成整体方案" the same day and what follows the colon. None when
    it does not open with one; BadValue when it opens with a malformed one ("13月底前…"). The
    longest phrase wins, and it ends at the first separator (：，、；or a space); a phrase ending in
    a bare number is only a dotted date ("8.31完成…"), so "12月40个村…" is December. An ongoing
    phrase names no day, so it is no milestone's date."""
    folded = fold(text)
    head = folded[: next((i for i, c in enumerate(folded) if c in SEPARATORS), len(folded))][:24]
    for end in range(len(head), 0, -1):
        prefix = head[:end]
        if prefix[-1].isdigit():
            if not re.search(r"[-./]", prefix) or (end < len(folded) and folded[end].isdigit()):
                continue
        elif not re.search(r"[日号底末份旬度年内中前止月]$", prefix):
            continue
        found = _phrase(prefix, year, prefix)
        if found is not None and found.day is not None:
            return found.day, folded[end:].lstrip(SEPARATORS).strip()
    return None
