"""Writing and reading test workbooks: templates saved to tmp_path, cells addressed by the
indicator's row and the column's header path."""

import re
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from shigan.indicators.access import indicators_for_report
from shigan.indicators.models import Indicator
from shigan.indicators.xlsx import actuals_template, targets_template
from shigan.indicators.xlsx.layout import ACTUAL_COLUMNS, TARGET_COLUMNS

FIRST_DATA_ROW = 5


def column(columns, key: str) -> int:
    return [c.key for c in columns].index(key) + 1


def data_row(ws, name: str) -> int:
    for row in range(FIRST_DATA_ROW, ws.max_row + 1):
        if ws.cell(row=row, column=2).value == name:
            return row
    raise KeyError(name)


class Filled:
    """A template workbook being filled in: fill(name, key, value), then save()."""

    def __init__(self, wb: Workbook, columns, path: Path):
        self.wb, self.ws, self.columns, self.path = wb, wb.active, columns, path

    def cell(self, name: str, key: str):
        return self.ws.cell(row=data_row(self.ws, name), column=column(self.columns, key))

    def fill(self, name: str, key: str, value) -> "Filled":
        self.cell(name, key).value = value
        return self

    def row_of(self, name: str) -> int:
        return data_row(self.ws, name)

    def save(self) -> Path:
        self.wb.save(self.path)
        return self.path


def actuals_file(tmp_path: Path, user, *, year=2023, month=7, name="actuals.xlsx") -> Filled:
    wb = actuals_template(indicators_for_report(user), year, month)
    return Filled(wb, ACTUAL_COLUMNS, tmp_path / name)


def targets_file(tmp_path: Path, *, year=2023, name="targets.xlsx") -> Filled:
    wb = targets_template(Indicator.objects.all(), year)
    return Filled(wb, TARGET_COLUMNS, tmp_path / name)


def read_back(path: Path):
    return load_workbook(path, data_only=True).active


def with_builtin_number_format(path: Path, format_code: str, builtin_id: int) -> None:
    """Rewrite a saved workbook so that cells styled with the custom `format_code` use the
    built-in `builtin_id` instead, as Chinese-locale Excel and WPS save them."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    styles = parts["xl/styles.xml"].decode()
    escaped = format_code.replace('"', "&quot;")
    found = re.search(rf'<numFmt numFmtId="(\d+)" formatCode="{re.escape(escaped)}"\s*/>', styles)
    custom_id = found.group(1)
    styles = styles.replace(found.group(0), "")
    styles = styles.replace(f'numFmtId="{custom_id}"', f'numFmtId="{builtin_id}"')
    parts["xl/styles.xml"] = styles.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
