"""Rates in tables set out as text ("吉首市 | 57 | 82.5 | 65.1 | 78.9% |"): a column named …率 is
the column named 完成… over the column named 计划/目标… of the same row, × 100.

Table figures are rounded, so a rate holds when some values within half a unit of the stated
plan and actual give it (the reason says so when only the rounding limits do)."""

import re
from decimal import Decimal

from shigan.indicators.calc import plain

from .document import Document
from .numbers import NUM, bare_quantity, decimals_of, judge, round_to, show_raw
from .results import Claim, ClaimKind, Status

CELL_NUMBER_RE = re.compile(rf"^\s*(?P<num>{NUM})\s*(?P<pct>%)?\s*$")
RATE_HEADS = ("率", "比例", "进度")
PLAN_HEADS = ("计划", "目标", "任务")
ACTUAL_HEADS = ("完成", "实际", "到位", "累计")


def extract_tables(doc: Document) -> list[Claim]:
    """Claims of every rate column of every table written with | between cells."""
    claims = []
    for header, rows in tables(doc):
        columns = rate_columns(header)
        for row in rows:
            for rate, plan, actual in columns:
                claim = row_claim(doc, row, rate, plan, actual)
                if claim:
                    claims.append(claim)
    return claims


def cells(doc: Document, start: int, end: int) -> list[tuple[str, int, int]]:
    """The cells of one line: (text, start, end), the empty edge cells dropped."""
    found = []
    position = start
    for part in doc.norm[start:end].split("|"):
        found.append((part.strip(), position, position + len(part)))
        position += len(part) + 1
    while found and not found[-1][0]:
        found.pop()
    while found and not found[0][0]:
        found.pop(0)
    return found


def tables(doc: Document):
    """(header cells, [row cells]) for each run of lines with two | or more."""
    lines = []
    position = 0
    for line in doc.norm.split("\n"):
        lines.append((position, position + len(line), line.count("|") >= 2))
        position += len(line) + 1
    header, rows = None, []
    for start, end, is_row in lines + [(0, 0, False)]:
        if not is_row:
            if header and rows:
                yield header, rows
            header, rows = None, []
            continue
        row = cells(doc, start, end)
        if header is None:
            header = row
        else:
            rows.append(row)


def rate_columns(header: list[tuple[str, int, int]]) -> list[tuple[int, int, int]]:
    """(rate, plan, actual) column indexes: a …率 column, the plan and the actual column named
    before it (the nearest of each)."""
    names = [re.sub(r"\s+", "", text) for text, _, _ in header]
    found = []
    for index, name in enumerate(names):
        if not name.endswith(RATE_HEADS) or not any(word in name for word in ("完成", "到位")):
            continue
        plans = [i for i in range(index) if any(w in names[i] for w in PLAN_HEADS)]
        actuals = [
            i for i in range(index) if any(w in names[i] for w in ACTUAL_HEADS) and i not in plans
        ]
        if plans and actuals:
            found.append((index, plans[-1], actuals[-1]))
    return found


def text_start(doc: Document, cell: tuple[str, int, int]) -> int:
    """Where the cell's text (without its spaces) starts."""
    return doc.norm.index(cell[0], cell[1]) if cell[0] else cell[1]


def number_in(cell: tuple[str, int, int]) -> re.Match | None:
    return CELL_NUMBER_RE.match(cell[0])


def row_claim(doc: Document, row: list, rate: int, plan: int, actual: int) -> Claim | None:
    """One row's rate against actual ÷ plan × 100, within the rounding of the table's figures."""
    if max(rate, plan, actual) >= len(row):
        return None
    matches = [number_in(row[i]) for i in (rate, plan, actual)]
    if not all(matches):
        return None
    stated_match, plan_match, actual_match = matches
    offset = text_start(doc, row[rate])
    stated = (offset, offset + len(row[rate][0]))
    number = stated_match["num"]
    plan_value, actual_value = Decimal(plan_match["num"]), Decimal(actual_match["num"])
    operands = [
        bare_quantity(text_start(doc, row[i]), m["num"])
        for i, m in ((actual, actual_match), (plan, plan_match))
    ]
    span = (row[0][1], stated[1])
    if not plan_value:
        return doc.claim(ClaimKind.RATE, span, stated, Status.UNCHECKABLE, "计划数为0")
    decimals = decimals_of(number)
    raw = actual_value / plan_value * 100
    verdict = judge(Decimal(number), raw, decimals)
    formula = f"{plain(actual_value)}÷{plain(plan_value)}×100%={show_raw(raw, decimals)}%"
    sign = "%" if stated_match["pct"] else ""
    if verdict.ok:
        status, reason = Status.OK, f"{formula}，与所述一致"
    elif within_rounding(Decimal(number), decimals, actual_match["num"], plan_match["num"]):
        status = Status.OK
        reason = f"{formula}；表中数值为舍入后的数，按其舍入范围可得{number}%，与所述一致"
    else:
        status = Status.FALSE
        reason = f"{formula}，四舍五入应为{verdict.expected}%，文中为{number}%"
    return doc.claim(
        ClaimKind.RATE,
        span,
        stated,
        status,
        reason,
        recomputed=f"{verdict.expected}{sign}",
        raw=raw,
        operands=operands,
    )


def within_rounding(stated: Decimal, decimals: int, actual: str, plan: str) -> bool:
    """Whether values within half a unit of the stated actual and plan give the stated rate."""
    half_a = Decimal(5).scaleb(-decimals_of(actual) - 1)
    half_p = Decimal(5).scaleb(-decimals_of(plan) - 1)
    a, p = Decimal(actual), Decimal(plan)
    if p - half_p <= 0:
        return False
    low = (a - half_a) / (p + half_p) * 100
    high = (a + half_a) / (p - half_p) * 100
    half_s = Decimal(5).scaleb(-decimals - 1)
    return (
        low < stated + half_s and high >= stated - half_s and round_to(stated, decimals) == stated
    )
