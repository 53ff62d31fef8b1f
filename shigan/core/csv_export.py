"""CSV downloads beside the xlsx ones: the same header and rows, for whoever opens them in Excel,
WPS or a script.

UTF-8 with a byte-order mark (Excel and WPS read a CSV without one in the system's ANSI code
page, GBK in China, and show the Chinese garbled), CRLF line ends, every field quoted where the
csv module needs it. Values are shown as the workbook shows them: dates as 2023-07-31, numbers
under the column's number format (0.#### or 0.0), text as written. Text is neutralised by the
rule core.xlsx applies to workbooks (`formula_like`): a field a spreadsheet would take for a
formula gets a leading apostrophe; a number, even a negative one, is a number.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote

from django.http import HttpResponse

from shigan.core.xlsx import formula_like
from shigan.core.xlsx.layout import Column

BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
# The number formats of core.xlsx.layout, as a CSV shows them: places kept, trailing ones dropped.
PLACES = {"0.####": (4, True), "0.0": (1, False), '0.0"%"': (1, False)}


def csv_text(value: object) -> str:
    """A text field: the apostrophe in front when it would start a formula."""
    return f"'{value}" if formula_like(value) else value


def csv_number(value: int | float | Decimal, number_format: str | None = None) -> str:
    """A number as the workbook's number format shows it (no exponent, no binary noise)."""
    number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
    places, trim = PLACES.get(number_format or "", (None, True))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    shown = format(abs(number) if number.is_zero() else number, "f")
    if trim and "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return shown


def csv_value(value: object, number_format: str | None = None) -> str:
    """One field: blank for None, text neutralised, dates ISO, numbers by `number_format`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return csv_number(value, number_format)
    return csv_text(str(value))


def csv_bytes(
    header: list[str], rows: Iterable[list], number_formats: list[str | None] | None = None
) -> bytes:
    """The file: BOM, the header, one line per row (`number_formats`: one per column)."""
    formats = number_formats or [None] * len(header)
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_value(name) for name in header])
    writer.writerows(
        [csv_value(value, fmt) for value, fmt in zip(row, formats, strict=True)] for row in rows
    )
    return buffer.getvalue().encode("utf-8")


def columns_csv(columns: list[Column], rows: Iterable[list], *, lead: list[str] = ()) -> bytes:
    """The rows of a 台账 workbook (core.xlsx.layout columns) as a CSV: each column headed by
    its path ("完成情况/完成值"), numbers under its number format; `lead`: headers of columns
    in front of the workbook's (a task list's 类别, a heading row there)."""
    header = [*lead, *(column.key for column in columns)]
    formats = [None] * len(lead) + [column.number_format for column in columns]
    return csv_bytes(header, rows, formats)


def csv_filename(xlsx_filename: str) -> str:
    """The CSV's name beside its workbook's: 挂图作战表.xlsx -> 挂图作战表.csv."""
    return xlsx_filename.removesuffix(".xlsx") + ".csv"


def csv_response(body: bytes, filename: str, fallback: str) -> HttpResponse:
    """A download of `body` named `filename` (ASCII `fallback` for old clients, RFC 6266)."""
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
