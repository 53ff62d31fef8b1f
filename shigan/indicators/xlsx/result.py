from dataclasses import dataclass, field

TARGETS = "targets"
ACTUALS = "actuals"
KIND_LABELS = {TARGETS: "年度目标及上年同期数", ACTUALS: "指标完成值"}
NOTHING_FILLED = {
    TARGETS: "表中没有填写任何年度目标或上年同期数",
    ACTUALS: "表中没有填写任何“本月完成”数值",
}


@dataclass
class ImportResult:
    """What an import did: every error found (then nothing was saved), or the counts saved.

    `unreadable` is set when the file could not be opened as a workbook at all. `saved` counts
    the figures written; `unchanged` those equal to what was already recorded. A file with
    nothing saved says so plainly: an unchanged download imported back changes nothing."""

    kind: str = ""
    rows: int = 0
    saved: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    unreadable: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")

    def summary(self) -> str:
        if self.unreadable:
            return self.errors[0]
        if self.errors:
            return f"发现{len(self.errors)}处错误，未导入任何数据，请修改后重新导入。"
        if not self.saved and not self.unchanged:
            return f"未作任何更改：{NOTHING_FILLED.get(self.kind, '表中没有数据')}。"
        if not self.saved:
            return (
                f"未作任何更改：{self.kind_label}与系统中已有数据相同"
                f"（共{self.rows}行，{self.unchanged}项相同），没有新增或更正任何数据。"
            )
        return (
            f"已导入{self.kind_label}：共{self.rows}行，写入{self.saved}项，"
            f"{self.unchanged}项与已有数据相同未重复写入。"
        )
