"""Completion tables that add up: a grand table ("共确定事项50项,已完成40项,正在办理10项") and the
tables of its meetings or kinds listed after it ("其中:第一次会议确定事项20项,已完成18项,正在办理
2项;第二次会议…"). Each column of the listed tables sums to at most the grand table's (a 其中 list
may leave some out); when the listed totals add up to the grand total the list is complete and
every column must add up exactly."""

from .bases import label, shared_length
from .breakdowns import adds_up, table_at, total_claim
from .document import Document
from .numbers import Quantity
from .results import Claim, Status

GRAND_CUES = ("共", "合计", "总计", "累计", "全年", "全部")
LIST_CUES = ("其中", "分别", "分为", "包括")
MIN_SHARED_LABEL = 2
WINDOW = 2000


def extract_rollups(doc: Document) -> list[Claim]:
    """The done and open columns of every grand table against the tables listed after it."""
    tables = [
        (index, table) for index in range(len(doc.quantities)) if (table := table_at(doc, index))
    ]
    claims: list[Claim] = []
    for position, (_index, grand) in enumerate(tables):
        total = grand[0]
        if not has_grand_cue(doc, total):
            continue
        subs = listed_after(doc, grand, [table for _i, table in tables[position + 1 :]])
        if len(subs) >= 2:
            claims.extend(column_claims(doc, grand, subs))
    return claims


def has_grand_cue(doc: Document, total: Quantity) -> bool:
    """共/合计/全年… in the clause leading into the grand total."""
    clause = doc.sentence_start(total.start, "。;!?\n\t,:")
    return any(cue in doc.norm[clause : total.start] for cue in GRAND_CUES)


def listed_after(doc: Document, grand, later) -> list:
    """The tables listed after the grand one: after a 其中/分别…, named like it (确定事项), in
    the same paragraph or the lines after it up to a blank line, before the next grand table."""
    total = grand[0]
    end = doc.norm.find("\n\n", total.end)
    end = min(len(doc.norm) if end < 0 else end, total.end + WINDOW)
    own = label(doc, total)
    subs = []
    for table in later:
        sub = table[0]
        if sub.start >= end or has_grand_cue(doc, sub):
            break
        if not subs and not any(cue in doc.norm[grand[2].end : sub.start] for cue in LIST_CUES):
            return []
        if sub.unit != total.unit or shared_length(own, label(doc, sub)) < MIN_SHARED_LABEL:
            break
        subs.append(table)
    return subs


def column_claims(doc: Document, grand, subs) -> list[Claim]:
    """The done column and the open column of the listed tables against the grand table's."""
    complete = adds_up(grand[0], [table[0] for table in subs])
    claims = []
    for column in (1, 2):
        whole = grand[column]
        parts = [table[column] for table in subs]
        if adds_up(whole, parts):
            claims.append(total_claim(doc, whole, parts, Status.OK, f"与合计{whole.text()}一致"))
        elif complete or sum(q.base for q in parts) > whole.base:
            why = "各分表之和与总表" if complete else "各分表之和超过总表"
            claims.append(total_claim(doc, whole, parts, Status.FALSE, f"{why}{whole.text()}不符"))
    return claims
