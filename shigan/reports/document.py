"""The summary report as plain data: what builders produce and every renderer reads.

A Document is a title, an opening, numbered sections of blocks, and a signature. A block is a
heading or a paragraph made of runs; a run is either plain text (people's narrative, or the
genre's connecting words) or a Figure — a number generated from records, carrying the sources it
came from. A Figure without sources cannot be built, so a report cannot state an unbacked figure.
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Source:
    """One record and value a figure was computed from."""

    label: str  # e.g. "指标“固定资产投资”2023年7月完成值"
    value: str  # the recorded value as stored, e.g. "33000（预计）"
    url: str = ""  # the record's page in the app, when it has one
    record: str = ""  # "<app_label>.<model>:<pk>", e.g. "indicators.actual:17"


@dataclass(frozen=True)
class Figure:
    """A figure as printed (e.g. "33000万元", "44.5％", "13篇") and where it came from."""

    text: str
    sources: tuple[Source, ...]
    key: str = ""  # stable id for the appendix and tests, e.g. "fixed_asset_investment.completion"

    def __post_init__(self) -> None:
        if not self.sources:
            raise ValueError(f"figure {self.text!r} has no backing record")


Run = str | Figure


class BlockKind(StrEnum):
    HEADING1 = "heading1"  # 一、
    HEADING2 = "heading2"  # （一）
    HEADING3 = "heading3"  # 1. / 一是 lead-ins are paragraphs, not headings
    PARAGRAPH = "paragraph"


@dataclass
class Block:
    """A heading or paragraph. `head` is a paragraph's run-in head, printed before its runs
    ("一是提高思想认识，加强领导奋进实干。", "（一）强化理论学习，提升政治站位。"): the docx sets it
    in 楷体 like a second-level heading (GB/T 9704 7.3.3), the body in 仿宋."""

    kind: BlockKind
    runs: list[Run] = field(default_factory=list)
    head: str = ""

    @property
    def text(self) -> str:
        return self.head + "".join(r if isinstance(r, str) else r.text for r in self.runs)

    @property
    def figures(self) -> list[Figure]:
        return [r for r in self.runs if isinstance(r, Figure)]


@dataclass
class Document:
    title: str
    blocks: list[Block]
    signature: str = ""  # 发文机关署名, e.g. "示范区作风建设“实干年”活动领导小组办公室"
    date: datetime.date | None = None  # 成文日期
    as_of: datetime.date | None = None

    @property
    def figures(self) -> list[Figure]:
        return [f for b in self.blocks for f in b.figures]

    @property
    def text(self) -> str:
        """Plain text: the title, one line per block, then signature and date."""
        lines = [self.title, *(b.text for b in self.blocks)]
        if self.signature:
            lines.append(self.signature)
        if self.date:
            lines.append(chinese_date(self.date))
        return "\n".join(lines)


def chinese_date(day: datetime.date) -> str:
    """GB/T 9704 7.3.5.4: 2023年7月31日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
