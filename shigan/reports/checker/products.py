"""Products: quantity × unit price = value ("销售1200吨，单价2000元/吨，销售额240万元").

The quantity is the figure of the price's unit (吨 of 元/吨, 每吨) stated last before the price in
its sentence; the value the first 元 figure after the price named by a value word (销售额, 金额,
产值, 收入…). The value holds when quantity × price, in the value's unit, rounds half-up to it at
the decimals it is written with."""

import re
from decimal import Decimal

from shigan.core.numbers import round_to
from shigan.indicators.calc import plain

from .document import HARD_STOPS, Document
from .numbers import MULTIPLIERS, NUM, SYNONYMS, UNIT_ALT, Quantity
from .results import Claim, ClaimKind, Status

PRICE_WORDS = "单价|均价|平均价格|平均价|价格|售价|收购价|销售价|成交价"
PRICE_RE = re.compile(
    rf"(?:{PRICE_WORDS})(?:为|是|达|达到|约)?(?P<p>{NUM})(?P<pm>[万亿])?元(?:/|每)(?P<pu>{UNIT_ALT})"
    rf"|每(?P<pu2>{UNIT_ALT})(?:{PRICE_WORDS})?(?:为|是|达)?(?P<p2>{NUM})(?P<pm2>[万亿])?元"
)
VALUE_WORDS = (
    "销售额", "金额", "产值", "收入", "价值", "总价", "总额", "货值", "合计", "共计", "销售收入",
    "交易额", "成交额", "收益", "实现",
)  # fmt: skip


def extract_products(doc: Document) -> list[Claim]:
    """Every value stated after a quantity and its unit price."""
    claims = []
    for match in PRICE_RE.finditer(doc.norm):
        claim = product_claim(doc, match)
        if claim is not None:
            claims.append(claim)
    return claims


def product_claim(doc: Document, match: re.Match) -> Claim | None:
    """The claim that quantity × price is the value stated after the price, or None."""
    unit = match["pu"] or match["pu2"]
    unit = SYNONYMS.get(unit, unit)
    number = match["p"] or match["p2"]
    magnitude = match["pm"] or match["pm2"] or ""
    price = Decimal(number) * MULTIPLIERS[magnitude]
    start = doc.sentence_start(match.start(), HARD_STOPS)
    quantity = next(
        (q for q in reversed(doc.quantities_in(start, match.start())) if q.unit == unit), None
    )
    value = value_after(doc, match.end())
    if quantity is None or value is None:
        return None
    stated = (value.start, value.end)
    span = (quantity.start, value.end)
    price_start = match.start("p") if match["p"] else match.start("p2")
    price_quantity = doc.quantity_at(price_start)
    operands = [quantity, *([price_quantity] if price_quantity else []), value]
    if quantity.approx or value.approx or "约" in doc.norm[match.start() : match.end()]:
        reason = "所给数值为约数，无法精确核对"
        return doc.claim(ClaimKind.PRODUCT, span, stated, Status.UNCHECKABLE, reason)
    raw = quantity.base * price / value.multiplier
    expected = round_to(raw, value.decimals)
    price_text = f"{plain(Decimal(number))}{magnitude}元/{unit}"
    formula = f"{quantity.text()}×{price_text}={plain(raw)}{value.unit_text}"
    if expected == value.number:
        status, reason = Status.OK, f"{formula}，与所述一致"
    else:
        status = Status.FALSE
        reason = f"{formula}，应为{expected}{value.unit_text}，文中为{value.text()}"
    return doc.claim(
        ClaimKind.PRODUCT,
        span,
        stated,
        status,
        reason,
        recomputed=f"{expected}{value.unit_text}",
        raw=raw,
        operands=operands,
    )


def value_after(doc: Document, pos: int) -> Quantity | None:
    """The first 元 figure after `pos` in the sentence, named by a value word."""
    end = doc.sentence_end(pos, HARD_STOPS)
    for quantity in doc.quantities_in(pos, end):
        if quantity.unit != "元":
            continue
        clause = doc.sentence_start(quantity.start, "。;!?\n\t,:、")
        lead_in = doc.norm[max(clause, pos) : quantity.start]
        if any(word in lead_in for word in VALUE_WORDS) and not doc.norm.startswith(
            ("/", "每"), quantity.end
        ):
            return quantity
        return None
    return None
