"""The battle map's CSV: the xlsx's header and rows, filtered alike, a typed formula inert,
queries as few for 50 tasks as for 10."""

import datetime
from functools import partial

import pytest

from shigan.core.csv_export import BOM
from shigan.core.testing import assert_same_queries, get_page
from shigan.core.tests.csv_read import csv_rows
from shigan.dashboards.export import COLUMNS
from shigan.tasks.models import ProgressReport

from .bulk import bulk_tasks

URL = "/map/export.csv"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def test_csv_has_the_workbooks_header_and_rows(world, client_for):
    ProgressReport.objects.create(
        task=world.task_a, unit=world.unit_a, period=datetime.date(2023, 7, 1),
        text="=1+1", submitted_by=world.reporter_a,
    )  # fmt: skip
    response = client_for(world.coordinator).get(URL)
    assert response.content.startswith(BOM.encode())
    header, *rows = csv_rows(response)
    assert header == [name for name, _ in COLUMNS]
    assert header[:6] == ["序号", "类别", "任务名称", "牵头单位", "责任领导", "状态"]
    assert rows[0][:8] == ["1", "路网体系", "兴业大道建设", "区交通局", "李副区长", "正常",
                           rows[0][6], "2023-12-31"]  # fmt: skip
    assert rows[0][11:] == ["2023年7月", "'=1+1", "剩164天"]
    assert [r[2] for r in rows] == ["兴业大道建设", "清凉河治理二期"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(".csv")


def test_csv_is_filtered_as_the_workbook(world, client_for):
    c = client_for(world.coordinator)
    assert [r[2] for r in csv_rows(c.get(URL, {"status": "behind"}))[1:]] == ["清凉河治理二期"]
    assert [r[2] for r in csv_rows(c.get(URL, {"unit": world.unit_a.pk}))[1:]] == ["兴业大道建设"]


def test_csv_link_beside_the_workbooks(world, client_for):
    page = client_for(world.coordinator).get("/map/", {"status": "behind"}).content.decode()
    assert 'href="/map/export.csv?status=behind">导出CSV</a>' in page


def test_csv_queries_do_not_grow_with_tasks(world, client_for):
    client = client_for(world.reporter_a)
    bulk_tasks(world, 8)
    grow = partial(bulk_tasks, world, 40, offset=8)
    response = assert_same_queries(get_page(client, URL), grow, at_most=15, warm_up=True)
    assert len(csv_rows(response)) > 20
