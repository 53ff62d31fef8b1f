"""The pure part: find in each narrative the statements whose label names a figure the records
hold in its scope, read the figure typed with the checker's number reader, and compare.

A statement is compared only when it states the level the records hold for the report's period:
a clause that speaks of another period (6月份, 上半年, 去年), a plan (计划, 不少于, 力争), a change
(比…增加, 新增) or a part (其中) is passed over, and so is an approximate figure (4个多, 约).
When unsure the check says nothing: a false alarm is worse than a miss.

Rounding (shigan.core.numbers, through checker.numbers.judge): a figure agrees when it equals
the record's value, expressed in the figure's own scale, rounded half-up to the decimals typed —
1.2亿元 agrees with 11500万元 up to 12499万元; 12000万元 agrees with 12000 only.
"""

import bisect
import re
from decimal import InvalidOperation

from shigan.core.numbers import round_to
from shigan.indicators.calc import plain
from shigan.reports.checker.numbers import Quantity, find_quantities, judge
from shigan.reports.checker.text import normalize

from .facts import Finding, Known, Narrative, NarrativeCheck

MAX_CHARS = 20000  # of one narrative: a pasted book is read no further
MAX_FINDINGS = 30  # of one narrative
MAX_SENTENCE = 300  # characters of a sentence quoted
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CLAUSE_END = re.compile(r"[，,、：:]")
# Words between a label and its figure: 签订协议项目共4个, 完成投资达1.2亿元.
MAX_GAP = 8
GAP = re.compile(r"(?:共|累计|总计|合计|预计完成|完成|实现|达到|达|为|计|已|了|总额)*")
# What may follow the figure: the clause's end (签订协议项目5个村 counts villages, not projects).
FIGURE_END = re.compile(r"$|[（(）)，,。；;、：:！!？?\s]")
# A sentence that says the figure up to the report's month is cumulative: those words are left
# out before looking for words of another period.
CUMULATIVE = re.compile(r"年初以来|今年以来|年初至今|截至目前|截止目前|目前|至今|累计|当前")
THROUGH_MONTH = re.compile(r"(?:1|一)(?:-|—|–|~|至|到)(\d{1,2})月份?|截[至止](\d{1,2})月底?")
OTHER_PERIOD = re.compile(
    r"\d{1,2}月|本月|当月|上月|[一二三四1-4]季度|上半年|下半年|去年|上年|前年|同期|同比|"
    r"\d{4}年|[上下]旬|本周|上周"
)
NOT_A_LEVEL = re.compile(
    r"计划|力争|目标|不少于|不低于|以上|争取|确保|拟|下一步|全年|预计(?!完成)|新增|"
    r"增加|减少|增长|下降|提高|降低|比|较|其中|约|近|超过|不足|不到|将近|平均|每"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a normalised text."""
    spans, start = [], 0
    for mark in SENTENCE_END.finditer(text):
        spans.append((start, mark.start()))
        start = mark.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def of_another_period(text: str, month: int) -> bool:
    """Whether words of `text` name a period other than the year up to the report's month
    (1-7月 and 年初以来 do not; 1-6月, 6月份, 上半年, 去年 do)."""
    for match in THROUGH_MONTH.finditer(text):
        if int(match[1] or match[2]) != month:
            return True
    return bool(OTHER_PERIOD.search(CUMULATIVE.sub("", THROUGH_MONTH.sub("", text))))


def figure_after(
    clause: str, quantities: list[Quantity], starts: list[int], end: int, units: frozenset[str]
) -> Quantity | None:
    """The quantity typed right after a label (only GAP words between), in one of `units`."""
    first = bisect.bisect_left(starts, end)
    if first == len(quantities):
        return None
    quantity = quantities[first]
    gap = clause[end : quantity.start]
    if len(gap) > MAX_GAP or not GAP.fullmatch(gap):
        return None
    if quantity.approx or quantity.unit not in units:
        return None
    return quantity if FIGURE_END.match(clause, quantity.end) else None


def agrees(quantity: Quantity, known: Known) -> tuple[bool, str]:
    """(the figure agrees with the record, the record in the figure's scale when it differs)."""
    raw = known.value * known.multiplier / quantity.multiplier
    converted = ""
    if quantity.multiplier != known.multiplier:
        try:
            shown = plain(round_to(raw, max(quantity.decimals, 0)))
        except InvalidOperation:
            shown = plain(raw)
        converted = f"{shown}{quantity.unit_text}"
    try:
        return judge(quantity.number, raw, quantity.decimals).ok, converted
    except (InvalidOperation, ArithmeticError):  # more digits than any record holds
        return quantity.number == raw, converted


def _pick(candidates: list[Known], previous: str) -> Known | None:
    """Of the figures a label may mean, the one the sentence's previous label selects; None when
    the label stays ambiguous (two scopes hold a figure of that name)."""
    chosen = [k for k in candidates if k.after and k.after == previous]
    if not chosen:
        chosen = [k for k in candidates if not k.after]
    return chosen[0] if len(chosen) == 1 else None


def label_matches(clause: str, known: tuple[Known, ...]) -> list[tuple[int, int, list[Known]]]:
    """(start, end, the figures it may mean) of each label in a clause, longest first where
    they overlap, in order."""
    spans: dict[tuple[int, int], list[Known]] = {}
    for item in known:
        for match in item.regex.finditer(clause):
            spans.setdefault((match.start(), match.end()), []).append(item)
    taken: list[tuple[int, int, list[Known]]] = []
    for (start, end), items in sorted(spans.items(), key=lambda s: (s[0][0], -s[0][1])):
        if taken and start < taken[-1][1]:
            continue
        taken.append((start, end, items))
    return taken


def statements(clause: str, known: tuple[Known, ...], previous: str, month: int):
    """(label span, the figure meant, the quantity typed) of each statement of a clause whose
    words before the label do not make it a plan, a change or a part; and the last label's
    quantity (it selects what the next clause's 合同资金 means)."""
    quantities = find_quantities(clause)
    starts = [q.start for q in quantities]
    found = []
    for label_start, label_end, candidates in label_matches(clause, known):
        chosen = _pick(candidates, previous)
        previous = candidates[0].quantity
        quantity = figure_after(clause, quantities, starts, label_end, candidates[0].units)
        if chosen is None or quantity is None:
            continue
        if of_another_period(clause[:label_start], month):
            continue
        before = clause[:label_start]
        if chosen.requires and not re.search(chosen.requires, before):
            continue
        if not NOT_A_LEVEL.search(before):
            found.append(((label_start, label_end), chosen, quantity))
    return found, previous


def check_sentence(narrative: Narrative, norm, span: tuple[int, int], month: int) -> list[Finding]:
    """The statements of one sentence; a clause naming another period leaves the rest of the
    sentence out too (6月份，签订协议项目1个)."""
    start, end = span
    sentence = norm.quote(start, end).strip()
    if len(sentence) > MAX_SENTENCE:
        sentence = sentence[:MAX_SENTENCE] + "…"
    findings, previous, offset = [], "", start
    for clause in CLAUSE_END.split(norm.norm[start:end]):
        found, previous = statements(clause, narrative.known, previous, month)
        for (label_start, label_end), known, quantity in found:
            ok, converted = agrees(quantity, known)
            finding = Finding(
                narrative=narrative,
                sentence=sentence,
                label=clause[label_start:label_end],
                stated=norm.quote(offset + quantity.start, offset + quantity.end),
                known=known,
                agrees=ok,
                converted="" if ok else converted,
            )
            findings.append(finding)
        if of_another_period(clause, month):
            break
        offset += len(clause) + 1
    return findings


def check_narrative(narrative: Narrative, month: int) -> list[Finding]:
    if not narrative.known or not narrative.text:
        return []
    norm = normalize(narrative.text[:MAX_CHARS])
    findings = []
    for span in sentences(norm.norm):
        findings += check_sentence(narrative, norm, span, month)
        if len(findings) >= MAX_FINDINGS:
            return findings[:MAX_FINDINGS]
    return findings


def check_narratives(narratives: list[Narrative], month: int) -> NarrativeCheck:
    """Every statement of the narratives that names a figure their records hold, compared
    (disagreements first, then in the narratives' order). `month` is the report's month: a
    cumulative period must end there (1-7月)."""
    findings = [f for n in narratives for f in check_narrative(n, n.month or month)]
    findings.sort(key=lambda f: f.agrees)
    return NarrativeCheck(findings=findings, narratives=len(narratives))
