"""Changes against a base period: 比去年增加D吨, 比去年同期的A增加D, 同比增长P%, 由A增加到B.

A change can be checked only when the text states both ends, or — for a growth rate — the
current value and the change (last year = X − D). "X吨，比去年增加D吨" alone is uncheckable."""

import re
from dataclasses import dataclass
from decimal import Decimal

from shigan.indicators.calc import change_vs_same_period, plain

from .document import Document, match_span
from .numbers import (
    NUM,
    PERCENT_RE,
    UNIT_ALT,
    Quantity,
    Verdict,
    bare_quantity,
    judge,
    reaches,
    round_to,
    rounding_half,
    show_raw,
)
from .results import Claim, ClaimKind, Status

PERIOD_ALT = r"去年同期|上年同期|去年|上年|同期|上月|上年末|年初|上期|计划|(?:19|20)\d\d年(?:同期)?"
UP_WORDS = ("增加", "增长", "提高", "上升", "增产", "扩大", "多", "增")
DOWN_WORDS = ("减少", "下降", "降低", "减产", "回落", "缩小", "下滑", "少", "减")
DIRECTION_ALT = "|".join(sorted(UP_WORDS + DOWN_WORDS, key=len, reverse=True))
UNIT_SUFFIX = rf"(?:%|[万亿]?(?:{UNIT_ALT}))"
DIFFERENCE = rf"(?P<dir>{DIRECTION_ALT})了?(?P<d>{NUM})(?P<dunit>%|个?百分点)?"
CHANGE_RE = re.compile(
    rf"(?:(?:比|较|与)(?P<period>{PERIOD_ALT})(?:相比,?)?(?:的?(?P<a>{NUM}){UNIT_SUFFIX}?)?"
    rf"|(?P<yoy>同比|环比)),?{DIFFERENCE}"
)
FOLLOW_RE = re.compile(
    rf"(?:\([^()]{{0,20}}\))?[,、](?P<dir>增长|下降|增|减)了?(?P<d>{NUM})(?P<dunit>%)"
)
FROM_TO_RE = re.compile(
    rf"(?:由|从)(?P<a>{NUM})(?P<au>{UNIT_SUFFIX})?(?P<dir1>{DIRECTION_ALT})?(?:到|至)"
    rf"(?P<b>{NUM})(?P<bu>{UNIT_SUFFIX})?(?:,?{DIFFERENCE})?"
)


def sign_of(direction: str) -> int:
    """+1 for 增加/增长…, −1 for 减少/下降…."""
    return 1 if direction in UP_WORDS else -1


@dataclass(frozen=True)
class Figure:
    """An operand: a quantity, or a percentage such as 20.8% (is_percent)."""

    quantity: Quantity
    is_percent: bool = False

    @property
    def value(self) -> Decimal:
        return self.quantity.base

    def text(self) -> str:
        return f"{plain(self.quantity.number)}%" if self.is_percent else self.quantity.text()


@dataclass
class Change:
    """One stated change: current X, base A (or the stated change D it follows), stated D."""

    kind: ClaimKind
    span: tuple[int, int]
    stated: tuple[int, int]
    direction: str
    difference: Figure
    current: Figure | None = None
    base: Figure | None = None
    earlier_difference: Figure | None = None  # 增加191吨 before 同比增长2.7%: base = X − D
    period: str = "上年同期"  # the base period as written: 去年, 上年同期, 年初 …

    def base_value(self) -> Decimal:
        """Last year's value: stated, or current − D."""
        if self.base is not None:
            return self.base.value
        return self.current.value - sign_of(self.direction) * self.earlier_difference.value

    def base_text(self) -> str:
        """Last year's value as the reason writes it."""
        if self.base is not None:
            return self.base.text()
        quantity = self.current.quantity
        return f"{plain(self.base_value() / quantity.multiplier)}{quantity.unit_text}"


def figure_at(doc: Document, start: int, number: str, unit: str | None) -> Figure:
    """The figure written at `start`: a percentage, or a quantity with its unit."""
    if unit == "%":
        return Figure(bare_quantity(start, number), is_percent=True)
    return Figure(doc.quantity_at(start) or bare_quantity(start, number))


def difference_kind(unit: str | None) -> ClaimKind:
    """Growth rate (%), points (百分点) or change in the figure's unit."""
    if unit == "%":
        return ClaimKind.GROWTH
    if unit and unit.endswith("百分点"):
        return ClaimKind.POINTS
    return ClaimKind.CHANGE


def stated_end(match: re.Match, difference: Figure | None = None) -> int:
    """Where the stated change ends: after its %, 百分点 or unit (增加191吨)."""
    if match["dunit"]:
        return match.end("dunit")
    return difference.quantity.end if difference else match.end("d")


def stated_difference(doc: Document, match: re.Match) -> tuple[ClaimKind, Figure]:
    """The kind and figure of a match's stated difference D."""
    unit = match["dunit"] or None
    return difference_kind(unit), figure_at(doc, match.start("d"), match["d"], unit)


def extract_changes(doc: Document) -> list[Claim]:
    """比/较/与…增减 and 同比/环比…, with the current value found before them in the sentence."""
    claims: list[Claim] = []
    used: set[int] = set()
    earlier: dict[int, Change] = {}
    for match in CHANGE_RE.finditer(doc.norm):
        change = change_from_match(doc, match, used)
        link_to_earlier(doc, change, earlier)
        claims.append(judge_change(doc, change))
        follow = FOLLOW_RE.match(doc.norm, change.stated[1])
        if follow and change.kind == ClaimKind.CHANGE:
            claims.append(judge_change(doc, follow_change(follow, change)))
    return claims


def change_from_match(doc: Document, match: re.Match, used: set[int]) -> Change:
    """The operands of one 比…增加 / 同比… match."""
    kind, difference = stated_difference(doc, match)
    used.add(difference.quantity.start)
    base = None
    if match["a"]:
        is_percent = doc.norm.startswith("%", match.end("a"))
        base = figure_at(doc, match.start("a"), match["a"], "%" if is_percent else None)
        used.add(base.quantity.start)
    current = current_figure(doc, match.start(), kind, difference, base, used)
    end = stated_end(match, difference)
    span = (current.quantity.start if current else match.start(), end)
    stated = (match.start("d"), end)
    change = Change(kind, span, stated, match["dir"], difference, current, base)
    change.period = period_name(match)
    return change


def period_name(match: re.Match) -> str:
    """The base period a match names (同比 → 上年同期, 环比 → 上期)."""
    if match["period"]:
        return match["period"]
    return "上期" if match["yoy"] == "环比" else "上年同期"


def link_to_earlier(doc: Document, change: Change, earlier: dict[int, Change]) -> None:
    """ "X，比去年(的A)增加D，同比增长P%": the growth rate takes its base from the change before it."""
    sentence = doc.sentence_start(change.span[0])
    if change.kind == ClaimKind.CHANGE and change.current:
        earlier[sentence] = change
        return
    previous = earlier.get(sentence)
    if change.kind != ClaimKind.GROWTH or change.base:
        return
    if previous and change.current == previous.current:
        change.base = previous.base
        change.earlier_difference = None if previous.base else previous.difference
    elif change.current and change.earlier_difference is None:
        change.earlier_difference = bare_difference_before(doc, change)


BARE_CHANGE_WORDS = ("增产", "减产", "增加", "减少", "增收", "减收")


def bare_difference_before(doc: Document, change: Change) -> Figure | None:
    """ "全年粮食减产1200吨,产量8800吨,同比减少12%": the change stated (without 比…) in the same
    sentence, of the current figure's unit and the growth's direction."""
    current = change.current.quantity
    start = doc.sentence_start(current.start)
    for quantity in reversed(doc.quantities_in(start, change.stated[0])):
        if quantity is current or quantity.unit != current.unit or quantity.approx:
            continue
        word = next((w for w in BARE_CHANGE_WORDS if doc.norm[: quantity.start].endswith(w)), None)
        if word is None:
            continue
        if (1 if word.startswith("增") else -1) != sign_of(change.direction):
            return None  # the two directions disagree: which one is meant is not known
        return Figure(quantity)
    return bare_difference_after(doc, change)


def bare_difference_after(doc: Document, change: Change) -> Figure | None:
    """ "完成投资792.4亿元,较去年同期增长6.8%,增加50.6亿元": the change stated right after the
    growth (next clause only), of the current figure's unit and the growth's direction."""
    current = change.current.quantity
    end = doc.sentence_end(change.stated[1])
    following = doc.quantities_in(change.stated[1], end)
    if not following:
        return None
    quantity = following[0]
    between = doc.norm[change.stated[1] : quantity.start]
    word = next((w for w in BARE_CHANGE_WORDS if between.endswith(w)), None)
    if word is None or between[:1] not in (",", "、") or len(between) > len(word) + 3:
        return None
    if quantity.unit != current.unit or quantity.approx:
        return None
    if (1 if word.startswith("增") else -1) != sign_of(change.direction):
        return None
    return Figure(quantity)


def current_figure(
    doc: Document, pos: int, kind: ClaimKind, difference: Figure, base: Figure | None, used: set
) -> Figure | None:
    """The current value: the nearest figure before the change in its sentence."""
    if kind == ClaimKind.POINTS or (base and base.is_percent):
        return last_percent_before(doc, pos)
    like = difference.quantity if kind == ClaimKind.CHANGE else (base.quantity if base else None)
    skip = set(used)
    while True:
        quantity = doc.last_quantity_before(pos, like=like, skip=skip)
        if quantity is None or not is_bare_change(doc, quantity):
            return Figure(quantity) if quantity else None
        skip.add(quantity.start)  # "产量100吨,减产20吨,同比减少16.7%": 20吨 is a change


def is_bare_change(doc: Document, quantity: Quantity) -> bool:
    """A figure that is itself a change: 减产20吨, 增加320吨."""
    return doc.norm[: quantity.start].endswith(BARE_CHANGE_WORDS)


def last_percent_before(doc: Document, pos: int) -> Figure | None:
    """The nearest percentage before `pos` in its sentence."""
    matches = list(PERCENT_RE.finditer(doc.norm, doc.sentence_start(pos), pos))
    if not matches:
        return None
    return Figure(bare_quantity(matches[-1].start(), matches[-1]["num"]), is_percent=True)


def follow_change(follow: re.Match, change: Change) -> Change:
    """ "…增加191吨，增长2.7%": a growth rate right after a change of the same figure."""
    difference = Figure(bare_quantity(follow.start("d"), follow["d"]), is_percent=True)
    stated = (follow.start("d"), follow.end("dunit"))
    span = (change.span[0], stated[1])
    growth = Change(ClaimKind.GROWTH, span, stated, follow["dir"], difference)
    growth.current, growth.base, growth.period = change.current, change.base, change.period
    if change.base is None:
        growth.earlier_difference = change.difference
    return growth


def extract_from_to(doc: Document) -> list[Claim]:
    """由A增加到B(，增加D): D against B − A, and the direction word against A and B."""
    claims = []
    for match in FROM_TO_RE.finditer(doc.norm):
        base = figure_at(doc, match.start("a"), match["a"], match["au"])
        current = figure_at(doc, match.start("b"), match["b"], match["bu"])
        if match["d"]:
            kind, difference = stated_difference(doc, match)
            stated = (match.start("d"), stated_end(match, difference))
            change = Change(kind, match_span(match), stated, match["dir"], difference)
            change.current, change.base = current, base
            claims.append(judge_change(doc, change))
        elif match["dir1"]:
            claims.extend(direction_only(doc, match, base, current))
    return claims


def direction_only(doc: Document, match: re.Match, base: Figure, current: Figure) -> list[Claim]:
    """由A增加到B with no stated difference: only a wrong direction is worth reporting."""
    actual = current.value - base.value
    if not actual or (actual > 0) == (sign_of(match["dir1"]) > 0):
        return []
    word = "增加" if actual > 0 else "减少"
    reason = f"由{base.text()}到{current.text()}实为{word}，文中写作“{match['dir1']}”"
    stated = match_span(match, "dir1")
    return [
        doc.claim(
            ClaimKind.CHANGE, match_span(match), stated, Status.FALSE, reason, recomputed=word
        )
    ]


def change_problem(change: Change) -> str:
    """Why the change cannot be recomputed from the text, or ""."""
    if change.current is None:
        return "未找到本期数"
    if change.base is None and change.earlier_difference is None:
        what = "增量" if change.kind == ClaimKind.CHANGE else "增减幅度"
        return f"未给出{change.period}数值，无法核对{what}"
    if change.current.quantity.approx or (change.base and change.base.quantity.approx):
        return "所给数值为约数，无法精确核对"
    if change.kind == ClaimKind.POINTS and not (change.base and change.base.is_percent):
        return "未给出两个百分数，无法核对百分点"
    if change.kind == ClaimKind.GROWTH and not change.base_value():
        return "上年同期数为0，无法计算增幅"
    return ""


def actual_difference(change: Change) -> Decimal:
    """The signed recomputed change: (X − A) ÷ |A| × 100, points, or X − A in D's unit."""
    current, base = change.current.value, change.base_value()
    if change.kind == ClaimKind.GROWTH:
        return change_vs_same_period(current, base)[1]
    difference = current - base
    if change.kind == ClaimKind.CHANGE and change.difference.quantity.unit:
        return difference / change.difference.quantity.multiplier
    return difference / change.current.quantity.multiplier


def judge_change(doc: Document, change: Change) -> Claim:
    """The claim for a stated change against the one the text's own figures give."""
    problem = change_problem(change)
    if problem:
        return doc.claim(change.kind, change.span, change.stated, Status.UNCHECKABLE, problem)
    if is_bare(change):
        return judge_bare_change(doc, change)
    return judge_stated_change(doc, change)


def is_bare(change: Change) -> bool:
    """A change written as a bare number ("较去年同期的10件下降20"): a count or a percentage."""
    figure = change.difference
    return (
        change.kind == ClaimKind.CHANGE and not figure.is_percent and not figure.quantity.unit_text
    )


def judge_bare_change(doc: Document, change: Change) -> Claim:
    """A bare number after 增加/下降: many reports drop the % sign, so it holds when it is the
    change in the figure's unit or its percentage; matching neither, it cannot be told which was
    meant (无法核对), nor whether 万/倍/成 follows."""
    after = doc.norm[change.stated[1] : change.stated[1] + 1]
    if after and after in "万亿倍成":
        reason = f"增减数“{doc.norm[change.stated[0] : change.stated[1]]}{after}”未写单位，无法核对"
        return doc.claim(change.kind, change.span, change.stated, Status.UNCHECKABLE, reason)
    as_count = judge_stated_change(doc, change)
    if as_count.status == Status.OK:
        return as_count
    growth = Change(
        ClaimKind.GROWTH,
        change.span,
        change.stated,
        change.direction,
        Figure(change.difference.quantity, is_percent=True),
        change.current,
        change.base,
        change.earlier_difference,
        change.period,
    )
    if not change_problem(growth):
        as_percent = judge_stated_change(doc, growth)
        if as_percent.status == Status.OK:
            as_percent.reason += "（文中未写“%”，按增减幅度核对）"
            return as_percent
        reason = (
            f"增减数未写单位：按数量，{as_count.reason}；按百分比，{as_percent.reason}；"
            "无法判断所指，无法核对"
        )
    else:
        reason = f"增减数未写单位：按数量，{as_count.reason}；无法判断所指，无法核对"
    return doc.claim(change.kind, change.span, change.stated, Status.UNCHECKABLE, reason)


def judge_stated_change(doc: Document, change: Change) -> Claim:
    """judge_change once the operands are known to be there."""
    actual = actual_difference(change)
    stated = change.difference.quantity
    verdict = judge(stated.number, abs(actual), stated.decimals)
    unit = stated_unit(doc, change)
    problems = change_problems(change, actual, verdict, unit)
    status = Status.FALSE if problems else Status.OK
    reason = explain(change, actual) + "，" + ("；".join(problems) or "与所述一致")
    if problems and not wrong_way(change, actual) and within_inputs_rounding(change):
        status = Status.OK
        reason = (
            f"{explain(change, actual)}；所用数值为舍入后的数，按其舍入范围（各差半个末位单位）"
            f"可得{as_stated(stated)}{unit}，与所述一致"
        )
    word = ("增加" if actual > 0 else "减少") if wrong_way(change, actual) else ""
    recomputed = f"{word}{verdict.expected}{unit}"
    return doc.claim(
        change.kind,
        change.span,
        change.stated,
        status,
        reason,
        recomputed=recomputed,
        raw=actual,
        operands=change_operands(change),
    )


def within_inputs_rounding(change: Change) -> bool:
    """Whether the stated growth rate is reachable from figures within half a unit of the last written
    digit of each input (as tables.within_rounding does for a table's rates): a rate computed from
    unrounded 13926万吨 and 162万吨 may be 1.2% though 162÷14088 gives 1.15%. The change is
    monotone in each input, so its range is spanned by the corners."""
    if change.kind != ClaimKind.GROWTH:  # a difference of figures is as exact as they are
        return False
    current = change.current.quantity
    other = (change.base or change.earlier_difference).quantity
    half_current, half_other = rounding_half(current), rounding_half(other)
    if not half_current and not half_other:
        return False
    sign = sign_of(change.direction)
    values = []
    for c in (current.base - half_current, current.base + half_current):
        for o in (other.base - half_other, other.base + half_other):
            base = o if change.base is not None else c - sign * o
            if base <= 0:
                return False
            values.append(sign * (c - base) / base * 100)
    stated = change.difference.quantity
    return reaches(stated.number, stated.decimals, min(values), max(values))


def change_operands(change: Change) -> list[Quantity]:
    """The figures a change was recomputed from: the current value, and last year's or the
    change it follows."""
    figures = [change.current, change.base, change.earlier_difference]
    return [figure.quantity for figure in figures if figure is not None]


def wrong_way(change: Change, actual: Decimal) -> bool:
    """Whether the direction word contradicts the recomputed change."""
    return actual != 0 and (actual > 0) != (sign_of(change.direction) > 0)


def change_problems(change: Change, actual: Decimal, verdict: Verdict, unit: str) -> list[str]:
    """What is wrong with a stated change: its direction word, its size, and why."""
    problems = []
    if wrong_way(change, actual):
        problems.append(f"实为{'增加' if actual > 0 else '减少'}，文中写作“{change.direction}”")
    if not verdict.ok:
        stated = as_stated(change.difference.quantity)
        problems.append(f"应为{verdict.expected}{unit}，文中为{stated}{unit}")
        problems.extend(note for note in (verdict.note, points_note(change)) if note)
    return problems


def as_stated(quantity: Quantity) -> Decimal:
    """The stated number with the decimals it was written with (5.0, not 5)."""
    return round_to(quantity.number, quantity.decimals)


def points_note(change: Change) -> str:
    """A growth rate stated as the difference of two percentages (should be 百分点)."""
    if change.kind != ClaimKind.GROWTH or not (change.base and change.base.is_percent):
        return ""
    points = abs(change.current.value - change.base.value)
    stated = change.difference.quantity
    if judge(stated.number, points, stated.decimals).ok:
        return "两个百分数之差应以“个百分点”表述"
    return ""


def stated_unit(doc: Document, change: Change) -> str:
    """The unit to write the recomputed change in: %, 个百分点 or D's unit."""
    if change.kind == ClaimKind.GROWTH:
        return doc.percent_sign(change.stated)
    if change.kind == ClaimKind.POINTS:
        return "个百分点"
    return change.difference.quantity.unit_text or change.current.quantity.unit_text


def explain(change: Change, actual: Decimal) -> str:
    """The arithmetic as one short formula."""
    current, base = change.current.text(), change.base_text()
    if change.kind == ClaimKind.GROWTH:
        raw = show_raw(actual, change.difference.quantity.decimals)
        prefix = "" if change.base else f"{change.period}为{base}，"
        return f"{prefix}({current}−{base})÷{base}×100%={raw}%"
    unit = "个百分点" if change.kind == ClaimKind.POINTS else stated_unit_text(change)
    return f"{current}−{base}={plain(actual)}{unit}"


def stated_unit_text(change: Change) -> str:
    """D's unit as written, else the current value's."""
    return change.difference.quantity.unit_text or change.current.quantity.unit_text
