"""The 1,000-row actuals workbook the import is measured with, in the app's own template layout.

Rows: the measured district's 40 indicators × the months of 2021, 2022 and January–October
2023, first 1,000 (indicator by indicator). 2021–2022 rows are back-filled history, 2023 rows
correct the generated figures; every row carries a note and a correction reason, so the rules
accept all of them, and `round_` scales the values so that each import writes 1,000 entries
instead of finding them unchanged.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

ROWS = 1000
MONTHS = [(2021, m) for m in range(1, 13)] + [(2022, m) for m in range(1, 13)]
MONTHS += [(2023, m) for m in range(1, 11)]


def _indicators(organiser):
    from django.apps import apps

    indicator = apps.get_model("indicators", "Indicator")
    units = organiser.children.values("id")
    return list(
        indicator.objects.filter(responsible_unit__in=units)
        .select_related("responsible_unit")
        .order_by("sort_order", "id")
    )


def _values(ind, year: int, month: int, serial: int, round_: int) -> list:
    value = Decimal(1000 + serial) * (Decimal(1) + Decimal(round_) / 1000)
    return [
        serial,
        ind.name,
        ind.get_measure_unit_display(),
        ind.get_accumulation_display(),
        ind.responsible_unit.name,
        datetime.date(year, month, 1),
        None,
        value.quantize(Decimal("0.01")),
        "否",
        "基准测试导入",
        "基准测试更正",
    ]


def actuals_workbook(organiser, round_: int) -> SimpleUploadedFile:
    """The upload: 1,000 rows of the district organised by `organiser` (see module doc)."""
    from shigan.core.xlsx import layout
    from shigan.indicators.xlsx.layout import ACTUAL_COLUMNS, ACTUALS_TITLE

    wb = Workbook()
    ws = wb.active
    columns = ACTUAL_COLUMNS
    layout.write_title(ws, f"2023年10月{ACTUALS_TITLE}", len(columns), row=1)
    layout.write_note(ws, "基准测试", len(columns), row=2)
    first = layout.write_headers(ws, columns, row=3)
    pairs = [(ind, y, m) for ind in _indicators(organiser) for y, m in MONTHS][:ROWS]
    for i, (ind, year, month) in enumerate(pairs):
        layout.write_row(ws, first + i, columns, _values(ind, year, month, i + 1, round_))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("actuals.xlsx", buffer.getvalue())
