"""Shares stated with 分别 ("分别完成A、B，分别占年计划的P1、P2"): items pair by position.

A share whose percentage is the i-th item of a 分别 list keeps its verdict only when every number
it used that stands in a 分别 list of figures is the i-th item of a list as long as the
percentages; otherwise (another position, lists of different lengths) the pairing is unclear
and the claim is 无法核对. A share none of whose numbers is a listed item keeps its verdict."""

import dataclasses
import re

from .document import Document
from .lists import ITEM
from .numbers import NUM, UNIT_ALT
from .results import Claim, ClaimKind, Status

SHARE_KINDS = {ClaimKind.PLAN_SHARE, ClaimKind.SHARE, ClaimKind.PART_SHARE, ClaimKind.RATE}
SEPARATOR = "(?:、|和|及|与)"
PERCENT_LIST_RE = re.compile(rf"分别[^\d,;。\n]{{0,16}}?(?P<items>{NUM}%?(?:{SEPARATOR}{NUM}%?)+)")
FIGURE_LIST_RE = re.compile(rf"分别[^\d,;。\n]{{0,16}}?(?P<items>{ITEM}(?:{SEPARATOR}{ITEM})+)")
PERCENT_ITEM_RE = re.compile(rf"{NUM}%?")
FIGURE_ITEM_RE = re.compile(rf"{NUM}(?:[万亿]?(?:{UNIT_ALT}))?")


def list_items(doc: Document, match: re.Match, item_re: re.Pattern) -> list[int]:
    """The original start of each item of a list match."""
    found = item_re.finditer(doc.norm, match.start("items"), match.end("items"))
    return [doc.source.to_original(m.start(), m.end())[0] for m in found]


def percent_lists(doc: Document) -> dict[int, tuple[int, int]]:
    """Original start of each listed percentage → (its index, the list's length)."""
    found = {}
    for match in PERCENT_LIST_RE.finditer(doc.norm):
        if not match["items"].endswith("%"):
            continue
        starts = list_items(doc, match, PERCENT_ITEM_RE)
        for index, start in enumerate(starts):
            found[start] = (index, len(starts))
    return found


def figure_lists(doc: Document) -> dict[int, tuple[int, int]]:
    """Original start of each figure of a 分别 list of figures with units → (index, length)."""
    found = {}
    for match in FIGURE_LIST_RE.finditer(doc.norm):
        if "%" in match["items"] or "百分点" in match["items"]:
            continue
        starts = list_items(doc, match, FIGURE_ITEM_RE)
        for index, start in enumerate(starts):
            found[start] = (index, len(starts))
    return found


def settle_respectively(doc: Document, claims: list[Claim]) -> list[Claim]:
    """The claims, each share of a 分别 list checked against its position (see module doc)."""
    percents = percent_lists(doc)
    if not percents:
        return claims
    figures = figure_lists(doc)
    settled = []
    for claim in claims:
        place = percents.get(claim.stated_span[0]) if claim.kind in SHARE_KINDS else None
        if place is None or claim.status == Status.UNCHECKABLE:
            settled.append(claim)
            continue
        index, length = place
        label = f"分别列举的第{index + 1}项（共{length}项）"
        used = [figures[o.span[0]] for o in claim.operands if o.span[0] in figures]
        if not used:
            settled.append(claim)  # its numbers are no listed items: the extractor paired it
            continue
        if all(used_place == place for used_place in used):
            reason = f"{label}，{claim.reason}"
            settled.append(dataclasses.replace(claim, reason=reason))
            continue
        reason = f"{label}：无法确定与之对应的分项和基数（各列举项须按顺序一一对应），无法核对"
        settled.append(
            dataclasses.replace(
                claim, status=Status.UNCHECKABLE, reason=reason, recomputed="", raw=None
            )
        )
    return settled
