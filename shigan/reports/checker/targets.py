"""Percentage points against a stated target: "全年增长目标为7%…增长8.2%,高于目标1.2个百分点".

The current figure is the nearest percentage before the claim in its sentence (not a gap, not
the target itself); the target is a percentage named 目标 earlier in the paragraph. Without a
stated target the claim is 无法核对."""

import re
from decimal import Decimal

from .document import Document
from .numbers import NUM, PERCENT_RE, bare_quantity, decimals_of, judge
from .results import Claim, ClaimKind, Status

UP = ("高于", "超过", "超出", "超", "快于", "领先")
DOWN = ("低于", "慢于", "落后于", "落后", "差")
TARGET_GAP_RE = re.compile(
    rf"(?P<dir>{'|'.join(UP + DOWN)})(?:年度|全年|预期)?目标(?:任务|值)?(?P<n>{NUM})个?百分点"
)
TARGET_RE = re.compile(
    rf"目标(?:任务|值)?(?:为|是|定为|确定为)?(?:增长|下降|达到)?(?P<t>{NUM})%"
    rf"|(?P<t2>{NUM})%(?:左右)?的(?:增长|预期)?目标"
)


def extract_target_gaps(doc: Document) -> list[Claim]:
    """Each 高于/低于目标N个百分点, against the current figure minus the stated target."""
    return [target_gap_claim(doc, match) for match in TARGET_GAP_RE.finditer(doc.norm)]


def target_gap_claim(doc: Document, match: re.Match) -> Claim:
    kind = ClaimKind.POINTS
    stated = (match.start("n"), match.end())
    span = (doc.sentence_start(match.start()), match.end())
    paragraph = doc.paragraph_start(match.start())
    targets = list(TARGET_RE.finditer(doc.norm, paragraph, match.start()))
    if not targets:
        return doc.claim(kind, span, stated, Status.UNCHECKABLE, "未给出目标值，无法核对")
    target = targets[-1]
    taken = range(target.start(), target.end())
    currents = [
        m
        for m in PERCENT_RE.finditer(doc.norm, doc.sentence_start(match.start()), match.start())
        if m.start() not in taken
        and not doc.norm[max(0, m.start() - 3) : m.start()].endswith("百分点")
    ]
    if not currents:
        return doc.claim(kind, span, stated, Status.UNCHECKABLE, "未找到与目标比较的数值")
    current = currents[-1]
    target_number = target["t"] or target["t2"]
    target_start = target.start("t") if target["t"] else target.start("t2")
    difference = Decimal(current["num"]) - Decimal(target_number)
    number = match["n"]
    decimals = decimals_of(number)
    verdict = judge(Decimal(number), abs(difference), decimals)
    up = match["dir"] in UP
    wrong_way = difference != 0 and (difference > 0) != up
    formula = f"{current['num']}%−目标{target_number}%={difference}个百分点"
    operands = (
        bare_quantity(current.start(), current["num"]),
        bare_quantity(target_start, target_number),
    )
    if verdict.ok and not wrong_way:
        status, reason = Status.OK, f"{formula}，与所述一致"
    else:
        status = Status.FALSE
        problems = []
        if wrong_way:
            problems.append(
                f"实为{'高于' if difference > 0 else '低于'}目标，文中写作“{match['dir']}”"
            )
        if not verdict.ok:
            problems.append(f"应为{verdict.expected}个百分点，文中为{number}个百分点")
        reason = f"{formula}，" + "；".join(problems)
        if target.start() < doc.sentence_start(match.start()):
            status = Status.UNCHECKABLE  # the target stated before may be another indicator's
            reason += "；但目标值取自前文，未必是此项指标的目标，无法核对"
    return doc.claim(
        kind,
        span,
        stated,
        status,
        reason,
        recomputed=f"{verdict.expected}个百分点",
        raw=difference,
        operands=operands,
    )
