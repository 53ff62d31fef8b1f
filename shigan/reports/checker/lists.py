"""Lists stated with 分别: 分别达到A、B、C，分别比同期增加d1、d2、d3，分别增长p1、p2、p3%.

Items pair up by position. Lists of different lengths cannot be paired (an error in the text).
A growth rate can be checked when the increments are also listed (last year = value − increment)."""

import re
from dataclasses import dataclass

from .changes import DIRECTION_ALT, PERIOD_ALT, Change, Figure, judge_change
from .document import HARD_STOPS, Document
from .numbers import NUM, UNIT_ALT, bare_quantity
from .results import Claim, ClaimKind, Status

ITEM = rf"{NUM}(?:%|个?百分点|[万亿]?(?:{UNIT_ALT}))?"
ITEM_RE = re.compile(rf"(?P<num>{NUM})(?P<suffix>%|个?百分点|[万亿]?(?:{UNIT_ALT}))?")
SEPARATORS = "[、,和及与]"
VALUES_RE = re.compile(
    rf"分别(?:达到|达|为|是|完成|实现|有)(?P<items>{ITEM}(?:{SEPARATORS}{ITEM})+)"
)
DELTAS_RE = re.compile(
    rf"分别(?:(?:比|较)(?P<period>{PERIOD_ALT})|同比)?(?P<dir>{DIRECTION_ALT})了?"
    rf"(?P<items>{ITEM}(?:{SEPARATORS}{ITEM})+)"
)


@dataclass(frozen=True)
class Item:
    """One listed figure; `suffix` is its unit as written ("%" inherited from the last item)."""

    start: int
    end: int
    figure: Figure
    suffix: str


def list_items(doc: Document, match: re.Match) -> list[Item]:
    """The items of a 分别 list; a % written once at the end applies to all."""
    found = list(ITEM_RE.finditer(doc.norm, match.start("items"), match.end("items")))
    shared = found[-1]["suffix"] if found[-1]["suffix"] in ("%",) else ""
    items = []
    for item in found:
        suffix = item["suffix"] or shared
        if suffix == "%":
            figure = Figure(bare_quantity(item.start(), item["num"]), is_percent=True)
        else:
            quantity = doc.quantity_at(item.start()) or bare_quantity(item.start(), item["num"])
            figure = Figure(quantity)
        items.append(Item(item.start(), item.end(), figure, suffix))
    return items


def extract_lists(doc: Document) -> list[Claim]:
    """Claims of every 分别达到… list and the 分别…增减 lists that follow it."""
    claims: list[Claim] = []
    for values in VALUES_RE.finditer(doc.norm):
        claims.extend(pair_lists(doc, values))
    return claims


def pair_lists(doc: Document, values: re.Match) -> list[Claim]:
    """Each 分别…增减 list after a 分别达到 list in the same sentence, paired item by item."""
    end = doc.sentence_end(values.end(), HARD_STOPS)
    currents = list_items(doc, values)
    claims: list[Claim] = []
    increments: list[Figure] | None = None
    for deltas in DELTAS_RE.finditer(doc.norm, values.end(), end):
        items = list_items(doc, deltas)
        if len(items) != len(currents):
            claims.append(length_mismatch(doc, values, deltas, len(currents), len(items)))
            continue
        for index, (current, item) in enumerate(zip(currents, items, strict=True)):
            increment = increments[index] if increments else None
            claim = item_claim(doc, deltas, current, item, increment)
            claim.reason = f"分别列举的第{index + 1}项（共{len(items)}项），{claim.reason}"
            claims.append(claim)
        if not items[0].figure.is_percent:
            increments = [item.figure for item in items]
    return claims


def length_mismatch(doc: Document, values: re.Match, deltas: re.Match, n: int, m: int) -> Claim:
    """A false claim: the two lists cannot be paired item by item."""
    reason = f"列举数值{n}项，对应增减{m}项，无法一一对应"
    stated = (deltas.start("items"), deltas.end("items"))
    return doc.claim(ClaimKind.LIST, (values.start(), deltas.end()), stated, Status.FALSE, reason)


def item_claim(
    doc: Document, deltas: re.Match, current: Item, item: Item, increment: Figure | None
) -> Claim:
    """One pair: the item's change (or growth rate) against its listed value."""
    kind = ClaimKind.GROWTH if item.figure.is_percent else ClaimKind.CHANGE
    if item.suffix.endswith("百分点"):
        kind = ClaimKind.POINTS
    span, stated = (current.start, item.end), (item.start, item.end)
    change = Change(kind, span, stated, deltas["dir"], item.figure)
    change.current = current.figure
    change.period = deltas["period"] or "上年同期"
    if kind == ClaimKind.GROWTH:
        change.earlier_difference = increment
    return judge_change(doc, change)
