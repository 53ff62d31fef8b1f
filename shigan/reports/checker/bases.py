"""The base of a share of a total: 占P%, 占比P%, 占总数的P%, 占总任务的P%.

Reports state the total once ("共受理…71184件", "细化为222个具体工作内容") and then list the parts,
each with its share; the base of every share is that total, not the item listed before it. The
candidates for the base are:

- the stated total: a count of the part's unit stated before the list, in the same paragraph
  (nearest one introduced by 共/合计/受理/梳理…, else the nearest), or — when the paragraph has
  none — one introduced by such a word in an earlier paragraph; it must be at least the sum of the
  listed parts (parts never exceed their total);
- the sum of the listed parts, when the listed shares add up to 100% (a complete breakdown), or as
  another reading of the base otherwise.

A share that disagrees with the stated total but agrees with another reading is not reported as
不一致 (the base is ambiguous: 无法核对), unless the text names the base (占总数的…) — then the
stated total is what it says."""

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal

from shigan.indicators.calc import plain

from .document import Document
from .numbers import NUM, Quantity

SHARE_AFTER_RE = re.compile(
    rf"(?:\([^()]{{0,30}}\))?,?(?:其中)?占(?:比)?(?:为|达)?(?P<label>[^\d,;。%:]{{0,12}}?)"
    rf"(?P<p>{NUM})%"
)
ENUM_GAP_RE = re.compile(r"、[^\d,;。%:、]{0,12}")
STRONG_CUES = ("共", "合计", "总计", "总量", "总数", "总额")
TOTAL_CUES = (
    "共", "合计", "总计", "累计", "确定", "梳理", "排查", "交办", "受理", "列出", "明确", "细化",
    "总", "办理",
)  # fmt: skip
RUN_GAP = 60
LOOK_BACK = 3000
MAX_CANDIDATES = 60  # figures looked at before a list (bounds the time on long texts)


@dataclass(frozen=True)
class ShareItem:
    """A listed part followed by its share: 咨询类共33523件,占47.09%."""

    quantity: Quantity
    percent: Decimal
    decimals: int


@dataclass
class Bases:
    """The readings of a share's base: the stated total first, then the others."""

    stated: Quantity | None = None
    others: list[tuple[Quantity, str]] = dataclasses.field(default_factory=list)
    listed_sum: Quantity | None = None
    complete: bool = False  # the listed shares add up to 100%
    exactly_100: bool = False  # …to exactly 100 (as shares adjusted by hand do)


def share_items(doc: Document, start: int, end: int) -> list[ShareItem]:
    """Every quantity in [start, end) directly followed by its 占P%."""
    found = all_share_items(doc)
    return [found[q.start] for q in doc.quantities_in(start, end) if q.start in found]


def all_share_items(doc: Document) -> dict[int, ShareItem]:
    """The share items of the whole text by position, found once per text."""
    cached = getattr(doc, "_share_items", None)
    if cached is not None:
        return cached
    items = {}
    for quantity in doc.quantities:
        match = SHARE_AFTER_RE.match(doc.norm, quantity.end)
        if match and not quantity.approx:
            number = match["p"]
            decimals = len(number.split(".")[1]) if "." in number else 0
            items[quantity.start] = ShareItem(quantity, Decimal(number), decimals)
    doc._share_items = items
    return items


def run_of(doc: Document, part: Quantity) -> list[ShareItem]:
    """The list `part` is an item of: share items of its unit, close together, one paragraph."""
    start = doc.paragraph_start(part.start)
    end = doc.paragraph_end(part.end)
    items = [i for i in share_items(doc, start, end) if i.quantity.unit == part.unit]
    index = next((n for n, i in enumerate(items) if i.quantity.start == part.start), None)
    if index is None:
        return []
    first = last = index
    while first > 0 and close(doc, items[first - 1], items[first]):
        first -= 1
    while last + 1 < len(items) and close(doc, items[last], items[last + 1]):
        last += 1
    return items[first : last + 1]


def close(doc: Document, before: ShareItem, after: ShareItem) -> bool:
    """Whether two share items follow each other in one list (no sentence end between)."""
    between = doc.norm[before.quantity.end : after.quantity.start]
    if len(between) > RUN_GAP or "。" in between or "\n" in between:
        return False
    # "…其中滞后400件,占76.5%;共列出项目523件,其中滞后400件…": a figure of the unit between
    # the two items (a new total) starts a new list
    unit = before.quantity.unit
    return not any(
        q.unit == unit for q in doc.quantities_in(before.quantity.end, after.quantity.start)
    )


def enumerated(doc: Document, part: Quantity) -> list[Quantity]:
    """ "交通能源环保类783件、城乡建设类579件、政法类562件,占…": every quantity of the enumeration
    that ends with `part` (just `part` when it stands alone)."""
    found = [part]
    while True:
        before = [q for q in doc.quantities_in(doc.sentence_start(found[0].start), found[0].start)]
        if not before:
            return found
        previous = before[-1]
        gap = doc.norm[previous.end : found[0].start]
        if not ENUM_GAP_RE.fullmatch(gap) or previous.unit_text != part.unit_text:
            return found
        found.insert(0, previous)


def summed(quantities: list[Quantity]) -> Quantity:
    """One quantity for the sum of several of one unit as written."""
    first = quantities[0]
    return dataclasses.replace(
        first,
        end=quantities[-1].end,
        number=sum((q.number for q in quantities), Decimal(0)),
        decimals=max(q.decimals for q in quantities),
        approx=any(q.approx for q in quantities),
    )


def sum_text(quantities: list[Quantity]) -> str:
    """ "783件+579件+562件=1924件" """
    total = summed(quantities)
    return "+".join(q.text() for q in quantities) + f"={plain(total.number)}{total.unit_text}"


def has_cue(doc: Document, quantity: Quantity, cues: tuple[str, ...] = TOTAL_CUES) -> bool:
    """Whether the clause leading into a quantity names it a total (共/受理/细化为…), or it is
    followed by 中 / 其中 ("15项中有9项")."""
    clause = doc.sentence_start(quantity.start, "。;!?\n\t,:")
    lead_in = doc.norm[clause : quantity.start]
    after = doc.norm[quantity.end : quantity.end + 4]
    return any(cue in lead_in for cue in cues) or after.startswith(("中", ",其中", "。其中"))


def preferred(
    doc: Document, candidates: list[Quantity], part: Quantity | None = None
) -> Quantity | None:
    """The nearest total introduced by 共/合计/总…; else the one named like the part
    ("沪苏浙的新签约亿元以上工业项目58个" of "全市新签约亿元以上工业项目219个"); else one introduced
    by another cue; else the nearest."""
    strong = [q for q in candidates if has_cue(doc, q, STRONG_CUES)]
    if strong:
        return strong[-1]
    named = named_like(doc, candidates, part) if part else None
    if named:
        return named
    cued = [q for q in candidates if has_cue(doc, q)]
    return (cued or candidates or [None])[-1]


MIN_SHARED_NAME = 3


def label(doc: Document, quantity: Quantity) -> str:
    """The words of the clause leading into a figure."""
    clause = doc.sentence_start(quantity.start, "。;!?\n\t,:、")
    return re.sub(r"[\d\s]", "", doc.norm[clause : quantity.start])


def shared_length(a: str, b: str) -> int:
    """The length of the longest run of characters two labels share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def named_like(doc: Document, candidates: list[Quantity], part: Quantity) -> Quantity | None:
    """The one candidate whose label shares the longest name with the part's (at least
    MIN_SHARED_NAME characters, and longer than any other's)."""
    own = label(doc, part)
    scored = sorted(
        ((shared_length(own, label(doc, q)), q) for q in candidates),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if not scored or scored[0][0] < MIN_SHARED_NAME:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        tied = [q for score, q in scored if score == scored[0][0]]
        return beside_anchor(doc, tied, part)
    return scored[0][1]


def beside_anchor(doc: Document, tied: list[Quantity], part: Quantity) -> Quantity | None:
    """Among candidates named alike ("总投资1115.2亿元", "总投资614.9亿元"), the one stated in the
    sentence whose count the part's sentence is a share of ("…项目58个、占比26.5%,总投资355.1亿元":
    58个 is of "…项目219个,总投资1115.2亿元")."""
    sentence = doc.sentence_start(part.start, "。;!?\n\t")
    for anchor in reversed(doc.quantities_in(sentence, part.start)):
        if anchor.unit == part.unit:
            continue
        others = [
            q
            for q in doc.quantities_in(doc.paragraph_start(sentence), sentence)
            if q.unit == anchor.unit and q.base >= anchor.base
        ]
        base = named_like(doc, others, anchor) if others else None
        if base is None:
            continue
        home = doc.sentence_start(base.start, "。;!?\n\t")
        beside = [q for q in tied if doc.sentence_start(q.start, "。;!?\n\t") == home]
        return beside[0] if len(beside) == 1 else None
    return None


def is_a_part(doc: Document, quantity: Quantity) -> bool:
    """A figure stated as a part of something: itself followed by its share (转办33657件,占47.3%),
    or the subject of a sentence that gives a share ("县级管理在建项目271个,完成投资430.9亿元,
    占全市总量91.1%": 271个 is the county's part, not the city's total)."""
    items = all_share_items(doc)
    if quantity.start in items:
        return True
    end = doc.sentence_end(quantity.end)
    if any(
        share_part(doc, m) == quantity for m in SHARE_OF_TOTAL.finditer(doc.norm, quantity.end, end)
    ):
        return True  # "到位资金为412678万元,…,占总到位资金的41.06%"
    return any(
        q.start in items and q.unit != quantity.unit for q in doc.quantities_in(quantity.end, end)
    )


SHARE_OF_TOTAL = re.compile(r"占(?P<label>(?:全[市县区省])?总[^\d,;。%:的、()]{1,8}?)的?\d")


def share_part(doc: Document, match: re.Match) -> Quantity | None:
    """The part a "占总…" share is of: the figure named like the total in its sentence, else the
    nearest figure before it."""
    return named_part(doc, match) or doc.last_quantity_before(match.start())


def find_bases(doc: Document, part: Quantity, parts: list[Quantity] | None = None) -> Bases:
    """The readings of the base for the share of `part` (the sum of `parts` when it is an
    enumeration "A、B、C,占…")."""
    parts = parts or [part]
    run = run_of(doc, parts[-1])
    listed = [item.quantity for item in run] if len(run) >= 2 else parts
    first = min(q.start for q in listed + parts)
    floor = max(q.number * q.multiplier for q in listed)
    needed = sum((q.base for q in listed), Decimal(0))
    bases = Bases()
    if len(run) >= 2:
        bases.listed_sum = summed(listed)
        spread = sum((Decimal(5).scaleb(-i.decimals - 1) for i in run), Decimal(0))
        bases.complete = abs(sum(i.percent for i in run) - 100) <= spread
        bases.exactly_100 = sum(i.percent for i in run) == 100
    taken = {q.start for q in listed + parts}

    def fits(q: Quantity) -> bool:
        return (
            q.start not in taken
            and q.unit == part.unit
            and not q.approx
            and q.base >= needed
            and q.base >= floor
            and q.base > 0
            and not is_a_part(doc, q)
        )

    paragraph = doc.paragraph_start(first)
    here = [q for q in doc.quantities_in(paragraph, first)[-MAX_CANDIDATES:] if fits(q)]
    if here:
        bases.stated = preferred(doc, here, part)
        bases.others = [(q, "文中另一数") for q in here if q is not bases.stated]
    else:
        earlier = doc.quantities_in(max(0, paragraph - LOOK_BACK), paragraph)[-MAX_CANDIDATES:]
        cued = [q for q in earlier if fits(q) and has_cue(doc, q)]
        if cued:
            bases.stated = preferred(doc, cued, part)
            bases.others = [(q, "前文另一合计") for q in cued if q is not bases.stated]
    # The sum of the listed parts is a reading of the base only when their shares add up to
    # 100% (shares computed against that sum do): "共梳理180项…其中滞后108项,占60%;逾期69项,
    # 占38.3%" is of 180, even where 108 ÷ 177 happens to round to another stated figure.
    if (
        bases.listed_sum is not None
        and (bases.complete or bases.stated is None or not has_cue(doc, bases.stated))
        and (bases.stated is None or bases.listed_sum.base != bases.stated.base)
    ):
        bases.others.append((bases.listed_sum, "所列各项之和"))
    return bases


def named_part(doc: Document, match: re.Match) -> Quantity | None:
    """ "到位资金412678万元,…(83253万元)的495.69%,占总到位资金的41.06%": the figure named like the
    total (到位资金), the last such in the sentence, rather than the nearest figure."""
    name = re.sub(r"^(?:全[市县区省])?总|总[量数额]$|的$", "", match["label"])
    if len(name) < 2:
        return None
    found = None
    for quantity in doc.quantities_in(doc.sentence_start(match.start()), match.start()):
        words = label_of(doc, quantity)
        if name in words and not any(cue in words for cue in STRONG_CUES):
            found = quantity  # not "共有任务60个": that is the total itself
    return found


def label_of(doc: Document, quantity: Quantity) -> str:
    """The words of the clause leading into a figure."""
    clause = doc.sentence_start(quantity.start, "。;!?\n\t,:、")
    return doc.norm[clause : quantity.start]
