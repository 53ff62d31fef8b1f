"""The genre's phrasing: how a Chinese work summary writes numbers, shares, changes and dates.

Numbers follow GB/T 15835: Arabic digits, half-width, no thousands separators; a figure may be
written with 万 or 亿 as its unit (32000亩 → 3.2万亩). Percentages are rounded once, from the
raw value, by indicators.calc.round_pct (half-up, one decimal), and carry the percent sign the
report asks for — full-width ％ by default, as the seed writes it. Differences of two
percentages are 百分点, never %.
"""

import datetime
from decimal import Decimal

from shigan.core import clock
from shigan.indicators.calc import plain, round_pct

FULL_WIDTH_PERCENT = "％"
PERCENT_SIGNS = (FULL_WIDTH_PERCENT, "%")
SCALES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
DIGITS = "零一二三四五六七八九"


def percent(value: Decimal | None, sign: str = FULL_WIDTH_PERCENT) -> str:
    """A raw percentage as printed: rounded once to one decimal, e.g. 44.498 → "44.5％"."""
    if value is None:
        return ""
    return f"{round_pct(value):.1f}{sign}"


def points(value: Decimal) -> str:
    """A difference of percentages, unsigned: "2.3个百分点"."""
    return f"{abs(round_pct(value)):.1f}个百分点"


def number(value: Decimal | int) -> str:
    """A figure as written in the genre: 33000, 3.2, 133018 (no separators, no trailing zeros)."""
    return plain(Decimal(value))


def scaled(value: Decimal, measure: str, scale: str = "") -> str:
    """A figure with its unit of measure, optionally written in 万 or 亿.

    scaled(32000, "亩", "万") → "3.2万亩"; scaled(33000, "万元", "亿") → "3.3亿元";
    scaled(33000, "万元") → "33000万元".
    """
    value = Decimal(value)
    if not scale:
        return f"{number(value)}{measure}"
    if measure.startswith("万") and scale == "亿":
        return f"{number(value / SCALES['万'])}亿{measure[1:]}"
    if measure.startswith(("万", "亿")):
        return f"{number(value)}{measure}"
    return f"{number(value / SCALES[scale])}{scale}{measure}"


def approximate(value: Decimal) -> str:
    """A figure written as a round number with 多 ("400多") when it lies above it.

    The round number keeps the leading digit (430 → 400多, 1250 → 1000多); a figure that is
    already round, or below 10, is written as it is.
    """
    value = Decimal(value)
    whole = int(value)
    if whole < 10:
        return number(value)
    magnitude = 10 ** (len(str(whole)) - 1)
    floor = whole // magnitude * magnitude
    return f"{floor}多" if value > floor else number(value)


def estimate_word(is_estimate: bool) -> str:
    return "预计" if is_estimate else ""


def change_words(difference: Decimal) -> tuple[str, str]:
    """("增加", "减少" or "持平") for an absolute change, with its unsigned amount text."""
    if difference > 0:
        return "增加", number(difference)
    if difference < 0:
        return "减少", number(-difference)
    return "持平", ""


def growth_word(change: Decimal) -> str:
    """增长 / 下降 / 持平 for a relative change."""
    if change > 0:
        return "增长"
    if change < 0:
        return "下降"
    return "持平"


def group_change_phrase(changes: list[Decimal]) -> str | None:
    """The 分别 clause when every change goes the same way: "分别比同期不同程度增长";
    None when directions differ (the caller then states each change)."""
    signs = {growth_word(c) for c in changes}
    if len(signs) != 1:
        return None
    word = signs.pop()
    return "均与同期持平" if word == "持平" else f"分别比同期不同程度{word}"


def time_gap_words(gap: Decimal) -> str:
    """The verb for completion minus time progress: 超 / 低于 / 与…持平 (序时进度)."""
    rounded = round_pct(gap)
    if rounded > 0:
        return "超序时进度"
    if rounded < 0:
        return "低于序时进度"
    return "与序时进度持平"


def month_day(day: datetime.date) -> str:
    """2月8日 (no leading zeros, GB/T 9704 7.3.5.4)."""
    return f"{day.month}月{day.day}日"


def deadline(day: datetime.date) -> str:
    """A milestone's due date as a plan states it: "8月底前", or "8月4日前"."""
    return f"{day.month}月底前" if day == clock.month_end(day) else f"{month_day(day)}前"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for ordinals up to 99)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{DIGITS[tens]}十")
    return head + (DIGITS[ones] if ones else "")


def ordinal_shi(n: int) -> str:
    """一是, 二是, … — the lead of the numbered paragraphs of a section."""
    return f"{cn_number(n)}是"


def ordinal_heading(n: int) -> str:
    """一、 二、 — first-level headings (GB/T 9704 7.3.3)."""
    return f"{cn_number(n)}、"


def ordinal_paren(n: int) -> str:
    """（一） （二） — second-level headings."""
    return f"（{cn_number(n)}）"


def names_list(names: list[str]) -> str:
    """零傲、佳仑、宏羽、楚汉源"""
    return "、".join(names)


def tally(count: int, measure: str) -> str:
    """4次, 13篇 — a count with its measure word."""
    return f"{count}{measure}"


def quoted_short_name(name: str) -> str:
    """The quoted part of a campaign name: 作风建设“实干年”活动 → “实干年”; else the name."""
    start, end = name.find("“"), name.find("”")
    if 0 <= start < end:
        return name[start : end + 1]
    return name
