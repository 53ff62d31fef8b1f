"""What the checker reports: one Claim per figure it found, and the CheckResult of a text."""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    FALSE = "false"
    UNCHECKABLE = "uncheckable"

    @property
    def label(self) -> str:
        return {"ok": "一致", "false": "不一致", "uncheckable": "无法核对"}[self.value]


class ClaimKind(StrEnum):
    PLAN_SHARE = "plan_share"  # 完成X，占年计划Y的Z%
    PART_SHARE = "part_share"  # 已完成A件，占P% / 占总任务的P%
    SHARE = "share"  # X占Y的Z% (any other base)
    RATE = "rate"  # 完成率Z%
    TOTAL = "total"  # 确定事项N件 = 已完成A件 + 正在办理B件
    CHANGE = "change"  # 比去年增加D吨
    GROWTH = "growth"  # 同比增长P%
    POINTS = "points"  # 下降2.6个百分点
    TIME_PROGRESS_GAP = "time_progress_gap"  # 超/低于序时进度N个百分点
    LIST = "list"  # 分别达到A、B…，分别增长p1、p2… (pairing itself)
    PRODUCT = "product"  # 销售1200吨，单价2000元/吨，销售额240万元

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    ClaimKind.PLAN_SHARE: "完成占计划",
    ClaimKind.PART_SHARE: "分项占合计",
    ClaimKind.SHARE: "占比",
    ClaimKind.RATE: "比率",
    ClaimKind.TOTAL: "合计与分项",
    ClaimKind.CHANGE: "增减量",
    ClaimKind.GROWTH: "增减幅度",
    ClaimKind.POINTS: "百分点变化",
    ClaimKind.TIME_PROGRESS_GAP: "序时进度",
    ClaimKind.LIST: "分别列举",
    ClaimKind.PRODUCT: "数量×单价",
}


@dataclass(frozen=True)
class Operand:
    """A number the verdict used, as the text writes it, and where: [start, end) in the text."""

    text: str
    span: tuple[int, int]

    def to_dict(self) -> dict:
        return {"text": self.text, "span": list(self.span)}


@dataclass
class Claim:
    """A figure stated in the text, where it is, and whether the text's own numbers bear it out.

    Spans are [start, end) indices into the text as read (not the normalised copy used for
    matching); `stated_span` covers the stated figure alone, `span` the whole claim."""

    kind: ClaimKind
    span: tuple[int, int]
    stated_span: tuple[int, int]
    quote: str
    stated: str
    status: Status
    reason: str
    recomputed: str = ""
    warning: str = ""
    raw: Decimal | None = field(default=None, repr=False)  # unrounded recomputed value
    operands: list[Operand] = field(default_factory=list)  # the numbers used, with their spans

    def to_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "span": list(self.span),
            "stated_span": list(self.stated_span),
            "quote": self.quote,
            "stated": self.stated,
            "recomputed": self.recomputed,
            "status": self.status.value,
            "status_label": self.status.label,
            "reason": self.reason,
            "warning": self.warning,
            "operands": [operand.to_dict() for operand in self.operands],
        }


@dataclass
class CheckResult:
    """Every claim found in one text, in text order; inconsistent when any claim is false."""

    text: str
    claims: list[Claim]

    def with_status(self, status: Status) -> list[Claim]:
        """The claims with this status, in text order."""
        return [c for c in self.claims if c.status == status]

    @property
    def inconsistencies(self) -> list[Claim]:
        return self.with_status(Status.FALSE)

    @property
    def warnings(self) -> list[Claim]:
        return [c for c in self.claims if c.warning]

    @property
    def exit_status(self) -> int:
        """0 when every checkable claim holds, 1 when any does not."""
        return 1 if self.inconsistencies else 0

    def counts(self) -> dict[str, int]:
        """How many claims in all, per status, and with a warning."""
        counts = {status.value: len(self.with_status(status)) for status in Status}
        return {"claims": len(self.claims), **counts, "warnings": len(self.warnings)}

    def to_dict(self, *, file: str = "") -> dict:
        data = {"file": file} if file else {}
        return {
            **data,
            "text_length": len(self.text),
            "exit_status": self.exit_status,
            "summary": self.counts(),
            "claims": [c.to_dict() for c in self.claims],
        }
