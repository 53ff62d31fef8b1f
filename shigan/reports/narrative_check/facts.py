"""What the narrative check reads and says, as plain data: the narratives people typed, the
figures the records hold in each narrative's scope, and each statement compared."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from shigan.indicators.calc import plain
from shigan.reports.checker.numbers import MULTIPLIERS, SYNONYMS


@dataclass(frozen=True)
class Known:
    """A figure the records hold, in the scope of one or more narratives.

    `pattern` is the label a sentence writes before the figure (签订协议项目, 完成投资);
    `after`, when set, is the quantity whose label must come earlier in the same sentence for
    this one to be meant (合同资金 after 实际落地项目 is the landed projects' amount)."""

    quantity: str  # "investment.agreements", "project.12.completed", "indicator.5"
    pattern: str
    units: frozenset[str]  # base units a statement of it may use (个/项…, 元, 吨)
    value: Decimal  # in unit_text
    unit_text: str  # as recorded: 个, 万元, 吨
    record_label: str  # what the records are, e.g. 招商协议（截至2023年7月31日签约）
    url: str = ""
    after: str = ""
    requires: str = ""  # words that must come before the label in its clause (各级: a total)

    @property
    def multiplier(self) -> Decimal:
        return MULTIPLIERS[self.unit_text[0]] if self.unit_text[:1] in "万亿" else Decimal(1)

    @property
    def base_unit(self) -> str:
        unit = self.unit_text[1:] if self.unit_text[:1] in "万亿" else self.unit_text
        return SYNONYMS.get(unit, unit)

    @property
    def text(self) -> str:
        return f"{plain(self.value)}{self.unit_text}"

    @property
    def regex(self) -> re.Pattern:
        return _compiled(self.pattern)


_PATTERNS: dict[str, re.Pattern] = {}


def _compiled(pattern: str) -> re.Pattern:
    if pattern not in _PATTERNS:
        _PATTERNS[pattern] = re.compile(pattern)
    return _PATTERNS[pattern]


@dataclass(frozen=True)
class Narrative:
    """A text a person typed that the report quotes or rests on, with the figures the records
    hold in its scope (its task's unit and project, or the district for the 专班's own text)."""

    kind: str  # 任务进展 / 报告文字
    title: str  # 任务“招商引资”2023年7月进展
    author: str  # 张三（区招商服务中心）
    url: str
    text: str
    in_report: bool
    known: tuple[Known, ...] = field(default=(), compare=False)
    month: int | None = None  # the month its figures are of, when not the report's


@dataclass(frozen=True)
class Finding:
    """One statement of a narrative compared with the records."""

    narrative: Narrative
    sentence: str  # as typed
    label: str  # the label as typed: 签订协议项目
    stated: str  # the figure as typed: 5个
    known: Known
    agrees: bool
    converted: str = ""  # the record's figure in the statement's scale when it differs: 1.2亿元

    @property
    def recorded(self) -> str:
        return self.known.text


@dataclass(frozen=True)
class SentenceChecked:
    """The figures of one sentence that were checked (the page lists agreements this way)."""

    narrative: Narrative
    sentence: str
    findings: tuple[Finding, ...]


@dataclass
class NarrativeCheck:
    """Every statement found, disagreements first."""

    findings: list[Finding]
    narratives: int = 0  # narratives read

    @property
    def disagreements(self) -> list[Finding]:
        return [f for f in self.findings if not f.agrees]

    @property
    def agreements(self) -> list[Finding]:
        return [f for f in self.findings if f.agrees]

    @property
    def printed_agreements(self) -> list[Finding]:
        """Agreements in texts the report prints: the report's own figures checked."""
        return [f for f in self.agreements if f.narrative.in_report]

    @property
    def unprinted_agreements(self) -> list[Finding]:
        """Agreements in texts the report does not print (a progress report its paragraph does
        not quote, a note, a text whose section is left out): not part of the report."""
        return [f for f in self.agreements if not f.narrative.in_report]

    @property
    def checked_narratives(self) -> list[Narrative]:
        """The narratives a figure was checked in, in order, each once."""
        seen: dict[int, Narrative] = {}
        for finding in self.findings:
            seen.setdefault(id(finding.narrative), finding.narrative)
        return list(seen.values())

    @property
    def agreements_by_sentence(self) -> list[SentenceChecked]:
        groups: dict[tuple[int, str], list[Finding]] = {}
        for finding in self.agreements:
            groups.setdefault((id(finding.narrative), finding.sentence), []).append(finding)
        return [SentenceChecked(g[0].narrative, g[0].sentence, tuple(g)) for g in groups.values()]


def warning_line(finding: Finding) -> str:
    """One line for the command line and logs."""
    shown = f"（折合{finding.converted}）" if finding.converted else ""
    where = "" if finding.narrative.in_report else "（未写入报告）"
    return (
        f"{finding.narrative.title}{where}，{finding.narrative.author}："
        f"“{finding.sentence}”写{finding.label}{finding.stated}，"
        f"记录为{finding.recorded}{shown}（{finding.known.record_label}）"
    )
