"""Ratios written without a % sign: 三次产业结构为7.7:57.5:34.8 (each industry's share of the
地区生产总值, in per cent) and 城乡收入比为2.02:1 (urban ÷ rural income).

The operands are the figures the text stated before, in the same paragraph or the one before:
第一/二/三产业(实现)增加值X, 地区生产总值Y; 城镇…收入A元, 农村…收入B元. A structure share
that disagrees with the stated 生产总值 but agrees with the sum of the three industries is not
reported as 不一致 (which total was meant is not said)."""

import re
from decimal import Decimal

from shigan.indicators.calc import plain

from .breakdowns import adds_up, mismatch, verified
from .document import Document
from .numbers import NUM, Quantity, decimals_of, judge, show_raw
from .results import Claim, ClaimKind, Status

STRUCTURE_RE = re.compile(
    rf"产业(?:结构|比例)(?:比|之比)?(?:为|是|调整为|优化为)?(?P<a>{NUM}):(?P<b>{NUM}):(?P<c>{NUM})"
)
INCOME_RATIO_RE = re.compile(r"城乡(?:居民)?收入比")
RATIO_TO_ONE_RE = re.compile(rf"(?P<x>{NUM}):1(?![\d.])")
EARLIER_WORDS = ("由", "上年", "去年", "同期", "上期")
INDUSTRIES = ("第一产业", "第二产业", "第三产业")


def extract_structure(doc: Document) -> list[Claim]:
    """Claims of every 产业结构 A:B:C and 城乡收入比 X:1 whose figures the text states, and of
    every 地区生产总值 against its three industries' 增加值."""
    claims = gdp_totals(doc)
    for match in STRUCTURE_RE.finditer(doc.norm):
        claims.extend(structure_claims(doc, match))
    for named in INCOME_RATIO_RE.finditer(doc.norm):
        end = doc.sentence_end(named.end())
        for match in RATIO_TO_ONE_RE.finditer(doc.norm, named.end(), end):
            if any(
                word in doc.norm[max(0, match.start() - 6) : match.start()]
                for word in EARLIER_WORDS
            ):
                continue  # last year's ratio: its incomes are not stated
            claim = income_ratio_claim(doc, match)
            if claim:
                claims.append(claim)
    return claims


SCOPE = 1500


def scope_start(doc: Document, pos: int) -> int:
    """Where the operands may be stated: the paragraph holding `pos` and the two before it
    (a chart caption may stand between), at most SCOPE characters back."""
    start = doc.paragraph_start(pos)
    for _ in range(2):
        start = doc.paragraph_start(max(0, start - 1))
    return max(start, pos - SCOPE)


def figure_after(
    doc: Document, word: str, start: int, end: int, *, per_head: bool = False
) -> Quantity | None:
    """The last figure in [start, end) whose clause names `word` (第一产业实现增加值72.61亿元);
    a per-head figure (人均地区生产总值) only when `per_head`."""
    found = None
    for quantity in doc.quantities_in(start, end):
        clause = doc.sentence_start(quantity.start, "。;!?\n\t,:")
        lead_in = doc.norm[clause : quantity.start]
        if word in lead_in and (per_head or "人均" not in lead_in) and not quantity.approx:
            found = quantity
    return found


def structure_claims(doc: Document, match: re.Match) -> list[Claim]:
    """Each industry's stated share against its 增加值 ÷ 地区生产总值 × 100."""
    start = scope_start(doc, match.start())
    parts = [figure_after(doc, word, start, match.start()) for word in INDUSTRIES]
    gdp = figure_after(doc, "生产总值", start, match.start())
    claims = []
    for group, part in zip("abc", parts, strict=True):
        stated = (match.start(group), match.end(group))
        if (
            part is None
            or gdp is None
            or any(p is None or p.unit != part.unit or p.base > gdp.base for p in parts)
        ):
            reason = "未给出三次产业增加值和地区生产总值"
            claims.append(
                doc.claim(ClaimKind.SHARE, match_span(match), stated, Status.UNCHECKABLE, reason)
            )
            continue
        claims.append(structure_claim(doc, match, group, part, gdp, parts))
    return claims


def match_span(match: re.Match) -> tuple[int, int]:
    return match.start(), match.end()


def structure_claim(
    doc: Document, match: re.Match, group: str, part: Quantity, gdp: Quantity, parts: list
) -> Claim:
    """One industry's share; 无法核对 when only the sum of the industries bears it out."""
    number = match[group]
    decimals = decimals_of(number)
    stated = (match.start(group), match.end(group))
    span = (min(part.start, gdp.start), match.end())
    raw = part.base / gdp.base * 100
    verdict = judge(Decimal(number), raw, decimals)
    formula = f"{part.text()}÷{gdp.text()}×100={show_raw(raw, decimals)}"
    if verdict.ok:
        reason = f"{formula}，与所述{number}一致"
        return doc.claim(
            ClaimKind.SHARE,
            span,
            stated,
            Status.OK,
            reason,
            recomputed=str(verdict.expected),
            raw=raw,
            operands=(part, gdp),
        )
    total = sum((p.base for p in parts), Decimal(0))
    by_sum = part.base / total * 100
    if judge(Decimal(number), by_sum, decimals).ok:
        reason = (
            f"{formula}，与所述{number}不符；以三次产业之和"
            f"{plain(total / gdp.multiplier)}{gdp.unit_text}为基数则相符；基数不明，无法核对"
        )
        return doc.claim(ClaimKind.SHARE, span, stated, Status.UNCHECKABLE, reason)
    reason = f"{formula}，四舍五入应为{verdict.expected}，文中为{number}"
    return doc.claim(
        ClaimKind.SHARE,
        span,
        stated,
        Status.FALSE,
        reason,
        recomputed=str(verdict.expected),
        raw=raw,
        operands=(part, gdp),
    )


def income_ratio_claim(doc: Document, match: re.Match) -> Claim | None:
    """城乡收入比 X:1 against 城镇…收入 ÷ 农村…收入, both stated before in the paragraph."""
    start = scope_start(doc, match.start())
    urban = figure_after(doc, "城镇", start, match.start(), per_head=True)
    rural = figure_after(doc, "农村", start, match.start(), per_head=True)
    stated = (match.start("x"), match.end("x"))
    if urban is None or rural is None or urban.unit != rural.unit or not rural.base:
        return None
    raw = urban.base / rural.base
    decimals = decimals_of(match["x"])
    verdict = judge(Decimal(match["x"]), raw, decimals)
    formula = f"{urban.text()}÷{rural.text()}={show_raw(raw, decimals)}"
    status = Status.OK if verdict.ok else Status.FALSE
    reason = (
        f"{formula}，与所述{match['x']}:1一致"
        if verdict.ok
        else f"{formula}，四舍五入应为{verdict.expected}:1，文中为{match['x']}:1"
    )
    span = (min(urban.start, rural.start), match.end())
    return doc.claim(
        ClaimKind.SHARE,
        span,
        stated,
        status,
        reason,
        recomputed=str(verdict.expected),
        raw=raw,
        operands=(urban, rural),
    )


def gdp_totals(doc: Document) -> list[Claim]:
    """地区生产总值Y = 第一 + 第二 + 第三产业增加值 (within the rounding of the figures), when the
    three are stated after it, before the next 生产总值."""
    claims = []
    totals = [q for q in doc.quantities if names_gdp(doc, q)]
    for index, total in enumerate(totals):
        end = totals[index + 1].start if index + 1 < len(totals) else len(doc.norm)
        end = min(end, total.end + SCOPE)
        parts = [industry_after(doc, word, total, end) for word in INDUSTRIES]
        if any(p is None for p in parts):
            continue
        if adds_up(total, parts):
            claims.append(verified(doc, total, parts))
        else:
            claims.append(mismatch(doc, total, parts, "三次产业增加值之和与地区生产总值"))
    return claims


def names_gdp(doc: Document, quantity: Quantity) -> bool:
    """A 地区/国内生产总值 figure (not per head, not approximate)."""
    clause = doc.sentence_start(quantity.start, "。;!?\n\t,:")
    lead_in = doc.norm[clause : quantity.start]
    return "生产总值" in lead_in and "人均" not in lead_in and not quantity.approx


def industry_after(doc: Document, word: str, total: Quantity, end: int) -> Quantity | None:
    """The first 第N产业(实现)增加值X of the total's unit after it."""
    for quantity in doc.quantities_in(total.end, end):
        clause = doc.sentence_start(quantity.start, "。;!?\n\t,:")
        lead_in = doc.norm[clause : quantity.start]
        if word in lead_in and "增加值" in lead_in and quantity.unit == total.unit:
            return None if quantity.approx else quantity
    return None
