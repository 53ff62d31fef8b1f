"""The checker's findings as the command prints them (text or JSON) and as the page marks them."""

import json
from dataclasses import dataclass

from .results import CheckResult, Claim, Operand, Status

SECTIONS = (Status.FALSE, Status.UNCHECKABLE, Status.OK)


def summary_line(result: CheckResult) -> str:
    """One line of counts: found, holding, not holding, uncheckable."""
    counts = result.counts()
    line = (
        f"共识别数字表述{counts['claims']}处：一致{counts['ok']}处，"
        f"不一致{counts['false']}处，无法核对{counts['uncheckable']}处"
    )
    if counts["warnings"]:
        line += f"，提示{counts['warnings']}处"
    return line + "。"


def claim_lines(claim: Claim) -> list[str]:
    """A claim as indented lines: where, what, stated vs recomputed, why."""
    start, end = claim.span
    lines = [f"  [{start}-{end}] {claim.kind.label}：{claim.quote}"]
    if claim.status != Status.UNCHECKABLE:
        lines.append(f"    文中：{claim.stated}；重算：{claim.recomputed}")
    lines.append(f"    {claim.reason}")
    if claim.operands:
        used = "、".join(f"{o.text}［{o.span[0]}-{o.span[1]}］" for o in claim.operands)
        lines.append(f"    依据：{used}")
    if claim.warning:
        lines.append(f"    提示：{claim.warning}")
    return lines


def render_text(result: CheckResult, *, file: str = "") -> str:
    """Inconsistencies first, then what could not be checked, then what holds."""
    lines = [f"核对 {file}" if file else "核对结果", summary_line(result)]
    for status in SECTIONS:
        claims = result.with_status(status)
        if claims:
            lines.append(f"【{status.label}】")
            for claim in claims:
                lines.extend(claim_lines(claim))
    return "\n".join(lines)


def render_json(result: CheckResult, *, file: str = "") -> str:
    """The --json output: summary and every claim (see CheckResult.to_dict)."""
    return json.dumps(result.to_dict(file=file), ensure_ascii=False, indent=2)


def render_json_error(path: str, message: str) -> str:
    """The --json answer for a file that cannot be read (exit status 2)."""
    return json.dumps({"file": path, "exit_status": 2, "error": message}, ensure_ascii=False)


@dataclass(frozen=True)
class Segment:
    """A stretch of the text, and the claim whose stated figure it is (None for plain text)."""

    text: str
    claim: Claim | None = None
    number: int = 0  # the claim's position in the results table, from 1


def highlight_segments(result: CheckResult) -> list[Segment]:
    """The text cut at each claim's stated figure, for marking in colour."""
    segments: list[Segment] = []
    position = 0
    for number, claim in enumerate(result.claims, start=1):
        start, end = claim.stated_span
        if start < position:
            continue
        if start > position:
            segments.append(Segment(result.text[position:start]))
        segments.append(Segment(result.text[start:end], claim, number))
        position = end
    if position < len(result.text):
        segments.append(Segment(result.text[position:]))
    return segments


CONTEXT = 8  # characters quoted either side of an operand


@dataclass(frozen=True)
class OperandView:
    """A number a verdict used, quoted in its place: "…受理群众诉求" [45件] "，办结40件…"."""

    text: str
    before: str
    after: str
    start: int
    end: int


def operand_view(text: str, operand: Operand) -> OperandView:
    """The operand with a few characters of the text either side (within its line)."""
    start, end = operand.span
    before = text[max(0, start - CONTEXT) : start].rsplit("\n", 1)[-1]
    after = text[end : end + CONTEXT].split("\n", 1)[0]
    lead = "…" if before and start - len(before) > 0 else ""
    trail = "…" if after and end + len(after) < len(text) else ""
    return OperandView(operand.text, lead + before, after + trail, start, end)


def claim_operands(result: CheckResult) -> list[tuple[Claim, list[OperandView]]]:
    """Each claim with the operands its verdict used, quoted where the text states them."""
    return [
        (claim, [operand_view(result.text, operand) for operand in claim.operands])
        for claim in result.claims
    ]
