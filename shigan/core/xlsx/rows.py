"""Reading the data rows of a located sheet: one RowReader per row collects every problem of the
row instead of stopping at the first, each named by row, column and value."""

import re
from collections.abc import Callable
from typing import Protocol

from .cells import BadCell, cell_error, text
from .reading import Sheet

FAILED = object()
ROW = re.compile(r"第(\d+)行")
FORMULA = "是公式，且文件中没有保存计算结果（系统不计算公式）：请改为直接填写内容，或在Excel/WPS中重新计算并保存"


class Named(Protocol):
    """A column as the reader needs it: its header path and the name errors give it."""

    key: str

    @property
    def name(self) -> str: ...


class RowReader:
    """The cells of one data row; problems are appended to the shared `errors` list."""

    def __init__(self, sheet: Sheet, row: int, errors: list[str]):
        self.sheet, self.row, self.errors = sheet, row, errors
        self.failed = False

    def fail(self, column: Named, value: object, problem: str) -> object:
        self.errors.append(cell_error(self.row, column.name, value, problem))
        self.failed = True
        return FAILED

    def raw(self, column: Named) -> object:
        col = self.sheet.column(column.key)
        if col is None:
            return None
        value = self.sheet.values.cell(row=self.row, column=col).value
        formula = self.sheet.formulas.cell(row=self.row, column=col)
        if formula.data_type == "f" and value is None:
            shown = formula.value if isinstance(formula.value, str) else "公式"
            return self.fail(column, shown, FORMULA)
        return value

    def read(self, column: Named, parse: Callable[[object], object] = text) -> object:
        value = self.raw(column)
        if value is FAILED:
            return FAILED
        try:
            return parse(value)
        except BadCell as bad:
            return self.fail(column, value, str(bad))

    def is_percent(self, column: Named) -> bool:
        col = self.sheet.column(column.key)
        cell = self.sheet.values.cell(row=self.row, column=col)
        return "%" in (cell.number_format or "")


def by_row(errors: list[str]) -> list[str]:
    """Errors in row order (a stable sort on the “第N行” they start with)."""
    return sorted(errors, key=lambda e: int(m.group(1)) if (m := ROW.match(e)) else 0)
