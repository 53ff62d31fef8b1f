"""Numbers as report texts write them: quantities with units, percentages, and the rounding test.

The rounding rule is the project's (shigan.core.numbers, the base of indicators.calc.round_pct):
half-up, applied once to the raw value, at the number of decimals the text states. A stated figure
holds when it equals the raw value so rounded."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from shigan.core.numbers import round_to
from shigan.indicators.calc import plain

NUM = r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]*\d)"
MULTIPLIERS = {"": Decimal(1), "万": Decimal(10000), "亿": Decimal(100000000)}
SYNONYMS = {"千米": "公里", "千克": "公斤", "件次": "件"}
COUNT_UNITS = ("件", "项", "个", "条", "家", "户", "处", "批", "宗", "笔", "名", "所", "座")
MEASURE_UNITS = (
    "元", "美元", "亩", "公顷", "平方公里", "平方米", "公里", "千米", "米", "吨", "公斤",
    "千克", "斤", "头", "只", "羽", "匹", "人", "人次", "篇", "次", "千瓦时", "千瓦", "立方米",
    "株", "棵", "场", "期", "份", "间", "栋", "台", "套", "辆", "本", "册", "课时", "小时", "件次",
    "天", "个月", "个工作日",
)  # fmt: skip
UNITS = sorted(set(COUNT_UNITS + MEASURE_UNITS), key=len, reverse=True)
UNIT_ALT = "|".join(UNITS)
COUNT_ALT = "|".join(sorted(COUNT_UNITS, key=len, reverse=True))
QUANTITY_RE = re.compile(
    rf"(?P<num>{NUM})(?P<a1>多|余)?(?P<mult>[万亿])?(?P<a2>多|余)?"
    rf"(?P<unit>{UNIT_ALT})(?!百分点)(?P<a3>左右|以上|多)?"
)
APPROX_BEFORE = ("约", "近", "逾", "超过", "不足", "不到", "将近")
# 履约26个 is not "about 26": 约 ends these words.
WORDS_ENDING_IN_YUE = (
    "履约",
    "签约",
    "节约",
    "合约",
    "预约",
    "特约",
    "违约",
    "守约",
    "践约",
    "制约",
    "公约",
    "条约",
    "契约",
)
PERCENT_RE = re.compile(rf"(?P<num>{NUM})%")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as written ("3.2万亩"); positions are in the normalised text."""

    start: int
    end: int
    number: Decimal
    decimals: int
    multiplier: Decimal
    unit: str  # canonical base unit, e.g. 元, 亩; "" when the text gives none
    unit_text: str  # as written, e.g. 万元
    approx: bool = False

    @property
    def base(self) -> Decimal:
        """The value in the base unit (万元 → 元)."""
        return self.number * self.multiplier

    def in_units_of(self, other: "Quantity") -> Decimal:
        """This value expressed in the other quantity's unit (亿元 → 万元)."""
        return self.base / other.multiplier

    def text(self) -> str:
        return f"{plain(self.number)}{self.unit_text}"

    def same_unit(self, other: "Quantity") -> bool:
        """Comparable: the same base unit, or one of them has none."""
        return not self.unit or not other.unit or self.unit == other.unit


def decimals_of(number: str) -> int:
    """Decimal places as written ("39.60" → 2)."""
    return len(number.split(".")[1]) if "." in number else 0


def quantity_from_match(match: re.Match, text: str) -> Quantity:
    """A Quantity from a QUANTITY_RE match (approximate when 多/余/约… surround it)."""
    unit = match["unit"]
    before = text[max(0, match.start() - 2) : match.start()]
    approx = bool(match["a1"] or match["a2"] or match["a3"]) or (
        before.endswith(APPROX_BEFORE) and not before.endswith(WORDS_ENDING_IN_YUE)
    )
    return Quantity(
        start=match.start(),
        end=match.end("unit"),
        number=Decimal(match["num"]),
        decimals=decimals_of(match["num"]),
        multiplier=MULTIPLIERS[match["mult"] or ""],
        unit=SYNONYMS.get(unit, unit),
        unit_text=(match["mult"] or "") + unit,
        approx=approx,
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every number-with-unit in the text, in order."""
    return [quantity_from_match(m, text) for m in QUANTITY_RE.finditer(text)]


def bare_quantity(start: int, number: str) -> Quantity:
    """A number written without a unit (its unit is taken from the figure it is compared with)."""
    return Quantity(
        start=start,
        end=start + len(number),
        number=Decimal(number),
        decimals=decimals_of(number),
        multiplier=Decimal(1),
        unit="",
        unit_text="",
    )


@dataclass(frozen=True)
class Verdict:
    """Whether a stated figure equals its raw value rounded half-up to the stated decimals."""

    ok: bool
    expected: Decimal
    note: str = ""


def judge(stated: Decimal, raw: Decimal, decimals: int) -> Verdict:
    """Compare a stated figure with its raw value; explain a tie or a double rounding."""
    expected = round_to(raw, decimals)
    if expected == stated:
        return Verdict(True, expected)
    return Verdict(False, expected, rounding_note(stated, raw, decimals, expected))


def rounding_note(stated: Decimal, raw: Decimal, decimals: int, expected: Decimal) -> str:
    """Why a figure one rounding unit off may come from another rounding habit."""
    if abs(stated - expected) != Decimal(1).scaleb(-decimals):
        return ""
    if round_to(raw, decimals, ROUND_HALF_EVEN) == stated:
        return (
            f"原值恰为{plain(raw)}，按“四舍六入五成双”（GB/T 8170）为{stated}，"
            f"本系统按四舍五入为{expected}，差一个舍入单位"
        )
    if round_to(round_to(raw, decimals + 1), decimals) == stated:
        return f"疑为先保留{decimals + 1}位小数再舍入所致（不得重复舍入）"
    return ""


# Whole numbers of these units are counted, not measured: exact, not rounded.
EXACT_UNITS = frozenset(COUNT_UNITS + ("人", "人次"))


def rounding_half(quantity: Quantity) -> Decimal:
    """Half a unit of the last written digit, in the base unit: a written figure stands for any
    value that rounds to it (13926万吨: 13925.5–13926.5万吨). A whole count (件, 个, 人 without
    万/亿) is exact: 0."""
    if quantity.decimals == 0 and quantity.multiplier == 1 and quantity.unit in EXACT_UNITS:
        return Decimal(0)
    return Decimal(5).scaleb(-quantity.decimals - 1) * quantity.multiplier


def reaches(stated: Decimal, decimals: int, low: Decimal, high: Decimal) -> bool:
    """Whether some raw value in [low, high] rounds half-up to the stated figure."""
    half = Decimal(5).scaleb(-decimals - 1)
    return low < stated + half and high >= stated - half


def show_raw(value: Decimal, decimals: int) -> str:
    """A raw value with two more decimals than the stated figure, for the reason text."""
    return plain(round_to(value, decimals + 2))
