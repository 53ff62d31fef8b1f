"""The concern list's CSV: the workbook's header and rows, numbers masked, a typed formula inert,
filtered as the list, queries as few for 7 concerns as for 1."""

import datetime

import pytest
from django.urls import reverse

from shigan.core.testing import assert_same_queries, get_page
from shigan.core.tests.csv_read import csv_rows
from shigan.grassroots.concern_xlsx import EXPORT_COLUMNS

from .concern_helpers import PHONE, concern

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
URL = "/grassroots/concerns/export.csv"


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def test_csv_masks_numbers_and_neutralises_formulas(world, client_for):
    concern(world, content='=HYPERLINK("http://x","点我")')
    assert reverse("grassroots:concern_export_csv") == URL
    header, *rows = csv_rows(client_for(world.inspector).get(URL))
    assert header == [c.key for c in EXPORT_COLUMNS] and header[:2] == ["编号", "受理日期"]
    (row,) = rows
    assert row[header.index("诉求内容")] == '\'=HYPERLINK("http://x","点我")'
    assert row[header.index("联系电话")] == "138****1234" and PHONE not in row
    assert row[header.index("受理日期")] == "2023-06-01"  # concern_helpers received default


def test_csv_is_filtered_as_the_list_and_linked_beside_the_workbook(world, client_for):
    concern(world, received=datetime.date(2023, 7, 3), days=1, content="逾期的诉求")
    concern(world, received=datetime.date(2023, 7, 31), days=5, content="新的诉求")
    client = client_for(world.coordinator)
    rows = csv_rows(client.get(URL, {"status": "overdue"}))[1:]
    assert [r[8] for r in rows] == ["逾期的诉求"]
    page = client.get(reverse("grassroots:concern_list"), {"status": "overdue"}).content.decode()
    assert f'href="{URL}?status=overdue">导出CSV</a>' in page


def test_csv_queries_do_not_grow(world, client_for):
    concern(world)
    client = client_for(world.coordinator)

    def grow():
        for i in range(6):
            concern(world, unit="b" if i % 2 else None, received=datetime.date(2023, 5, 2 + i))

    response = assert_same_queries(get_page(client, URL), grow, warm_up=True)
    assert len(csv_rows(response)) == 8
