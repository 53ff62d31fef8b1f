"""A total and its parts: 确定事项N件，已完成A件，占P%；正在办理B件，占Q%.

The parts are named by a status (已完成, 正在办理, 欠进度 …), which makes them a partition of the
total: N = A + B (+ any further part listed), and each share is A ÷ N. Shares that were adjusted by
hand to total 100% are left as stated, with a warning."""

import re
from dataclasses import dataclass
from decimal import Decimal

from shigan.indicators.calc import plain

from .document import HARD_STOPS, Document, match_span
from .numbers import COUNT_ALT, NUM, Quantity, decimals_of
from .results import Claim, ClaimKind, Status
from .shares import TOTAL_WORDS, share_of_total

STATUS_WORDS = (
    "已完成", "已经完成", "已办结", "办结销号", "已销号", "已整改", "整改到位", "已解决", "已落实",
    "已启动", "已开工", "已竣工", "已投产", "正在办理", "正在推进", "正在整改", "正在实施",
    "办理中", "推进中", "整改中", "实施中", "未完成", "未办结", "尚未启动", "未启动", "未开工",
    "欠进度", "超进度", "达进度", "正常推进", "滞后", "逾期",
)  # fmt: skip
STATUS_ALT = "|".join(sorted(STATUS_WORDS, key=len, reverse=True))
PART_RE = re.compile(
    rf"(?P<status>{STATUS_ALT})(?P<mid>[^\d,;。%]{{0,6}}?)(?P<a>{NUM})(?P<unit>{COUNT_ALT})"
    rf"(?:,?占(?:比)?(?:为)?(?:[^\d,;。%]{{0,8}}?的)?(?P<p>{NUM})%)?"
)
TRAILING_TOTAL_RE = re.compile(rf"[,;]?(?:共计|合计|总计|共)(?P<n>{NUM})")
MAX_GAP = 12
# Stages that include the later ones: 已开工 counts the finished too, so 已完成 + 已开工 is no total.
CUMULATIVE = ("已启动", "已开工", "已竣工", "已投产")
NOT_YET = ("尚未启动", "未启动", "未开工", "未完成", "未办结")


@dataclass(frozen=True)
class Part:
    match: re.Match
    quantity: Quantity


def extract_parts(doc: Document) -> list[Claim]:
    """Total and share claims of every run of status-named parts."""
    claims: list[Claim] = []
    for group in part_groups(doc):
        claims.extend(group_claims(doc, group))
    return claims


def part_groups(doc: Document) -> list[list[Part]]:
    """Runs of status-named counts of one unit, close together in one sentence."""
    groups: list[list[Part]] = []
    for match in PART_RE.finditer(doc.norm):
        quantity = doc.quantity_at(match.start("a"))
        if quantity is None or quantity.approx:
            continue
        part = Part(match, quantity)
        if (
            groups
            and continues(doc, groups[-1][-1], part)
            # "已完成100件,正在办理234件…;正在办理541件": a status named again starts a new list
            and all(p.match["status"] != match["status"] for p in groups[-1])
        ):
            groups[-1].append(part)
        else:
            groups.append([part])
    return groups


def continues(doc: Document, previous: Part, part: Part) -> bool:
    """Whether `part` belongs to the same run as `previous` (same unit, close, one sentence)."""
    between = doc.norm[previous.match.end() : part.match.start()]
    unit = previous.quantity.unit
    return (
        part.quantity.unit == unit
        and len(between) <= MAX_GAP
        and not any(stop in between for stop in HARD_STOPS)
        # "滞后304宗,占67.3%;确定事项767宗,已完成636宗": a new total starts a new list
        and not any(
            q.unit == unit for q in doc.quantities_in(previous.match.end(), part.match.start())
        )
    )


def group_total(doc: Document, group: list[Part]) -> Quantity | None:
    """The stated total: "共计N件" right after the parts, else the count the parts follow."""
    unit = group[0].quantity.unit
    trailing = TRAILING_TOTAL_RE.match(doc.norm, group[-1].match.end())
    if trailing:
        quantity = doc.quantity_at(trailing.start("n"))
        if quantity and quantity.unit == unit:
            return quantity
    skip = {part.quantity.start for part in group}
    return doc.find_total(group[0].match.start(), unit, skip=skip)


def group_claims(doc: Document, group: list[Part]) -> list[Claim]:
    """The total claim (two parts or more) and each part's share claim."""
    total = group_total(doc, group)
    claims = []
    if total and len(group) >= 2 and exclusive(group):
        if partition(doc, group, total):
            claims.append(total_claim(doc, group, total))
        elif sum(part.quantity.base for part in group) >= total.base:
            claims.append(total_claim(doc, group, total, partial=True))
    share_claims = [share_claim(doc, part) for part in group if part.match["p"]]
    if total and len(share_claims) == len(group):
        mark_hand_adjusted(group, total, share_claims)
    return claims + share_claims


def exclusive(group: list[Part]) -> bool:
    """Whether the parts' statuses exclude each other (a partition): a cumulative stage
    (已开工) overlaps every status but the not-yet ones (未开工)."""
    statuses = [part.match["status"] for part in group]
    if not any(status in CUMULATIVE for status in statuses):
        return True
    return (
        all(status in CUMULATIVE or status in NOT_YET for status in statuses)
        and len(set(statuses) & set(CUMULATIVE)) == 1
    )


OPEN_STATUSES = (
    "正在", "中", "未完成", "未办结", "尚未启动", "未启动", "未开工", "欠进度", "滞后", "逾期",
)  # fmt: skip


def partition(doc: Document, group: list[Part], total: Quantity) -> bool:
    """Whether the parts split the whole: a done (or on-track) status and a not-done one, not
    introduced by 其中 ("其中滞后12项,逾期5项" lists some of the 180, not all)."""
    if total.end <= group[0].match.start():
        if "其中" in doc.norm[total.end : group[0].match.start()]:
            return False
    statuses = [part.match["status"] for part in group]
    open_ = [s for s in statuses if any(word in s for word in OPEN_STATUSES)]
    return 0 < len(open_) < len(statuses)


def total_claim(
    doc: Document, group: list[Part], total: Quantity, *, partial: bool = False
) -> Claim:
    """N = A + B + … (for a partial list: A + B + … ≤ N)."""
    parts_sum = sum(part.quantity.number for part in group)
    terms = "+".join(f"{part.match['status']}{part.quantity.text()}" for part in group)
    unit = total.unit_text
    span = (min(total.start, group[0].match.start()), max(total.end, group[-1].match.end()))
    stated = (total.start, total.end)
    if total.approx:
        return doc.claim(ClaimKind.TOTAL, span, stated, Status.UNCHECKABLE, "合计数为约数")
    recomputed = f"{plain(parts_sum)}{unit}"
    if parts_sum == total.number:
        status, reason = Status.OK, f"{terms}={recomputed}，与合计一致"
    elif partial:
        status = Status.FALSE
        reason = f"{terms}={recomputed}，分项之和超过合计{total.text()}"
    else:
        status = Status.FALSE
        reason = f"{terms}={recomputed}，与所述合计{total.text()}不符"
    operands = [total, *(part.quantity for part in group)]
    return doc.claim(
        ClaimKind.TOTAL, span, stated, status, reason, recomputed=recomputed, operands=operands
    )


def share_claim(doc: Document, part: Part) -> Claim:
    """A part's 占P% against part ÷ the total stated earlier (bases.py)."""
    span = match_span(part.match)
    stated = (part.match.start("p"), part.match.end())
    named = any(word in part.match.group(0) for word in TOTAL_WORDS)
    return share_of_total(doc, ClaimKind.PART_SHARE, span, stated, part.quantity, named=named)


def mark_hand_adjusted(group: list[Part], total: Quantity, claims: list[Claim]) -> None:
    """Shares rounded apart from their raw values only to make them total 100%: warn, keep."""
    if sum(part.quantity.number for part in group) != total.number:
        return
    if sum(Decimal(part.match["p"]) for part in group) != 100:
        return
    off = [
        (part, claim)
        for part, claim in zip(group, claims, strict=True)
        if claim.status == Status.FALSE
    ]
    for part, claim in off:
        unit = Decimal(1).scaleb(-decimals_of(part.match["p"]))
        if abs(Decimal(part.match["p"]) - Decimal(claim.recomputed.rstrip("%％"))) != unit:
            return
    for _part, claim in off:
        claim.status = Status.OK
        claim.reason += "；各项占比合计恰为100%，疑为人工调整"
        claim.warning = (
            f"各项占比合计为100%，此项按原值四舍五入应为{claim.recomputed}，"
            "疑为人工调整以凑足100%，未予更正"
        )
