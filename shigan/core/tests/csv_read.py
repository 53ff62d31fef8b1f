"""Reading a CSV download back in tests: the BOM checked and removed, rows by the csv module."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.core.csv_export import BOM


def csv_rows(response) -> list[list[str]]:
    """The rows of a 200 CSV response (header first); fails unless it is UTF-8 with a BOM."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; ")
    text = response.content.decode("utf-8")
    assert text.startswith(BOM), "no byte-order mark: Excel and WPS would read it as GBK"
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))


def queries_of(client, url: str, data: dict | None = None) -> int:
    """The SQL queries a 200 GET of `url` runs (its session and user warmed up first)."""
    client.get(url, data)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data).status_code == 200
    return len(captured)
