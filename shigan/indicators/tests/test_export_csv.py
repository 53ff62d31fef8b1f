"""The indicator table's and the key projects' CSV: the workbooks' header and rows, scoped and
filtered alike, a typed formula inert, no more queries than the workbook."""

from shigan.core.tests.csv_read import csv_rows, queries_of
from shigan.indicators.models import KeyProject
from shigan.indicators.xlsx.export import TABLE_COLUMNS

TABLE = "/indicators/export/table.csv"
TABLE_XLSX = "/indicators/export/table.xlsx"
PROJECTS = "/indicators/export/projects.csv"
PROJECTS_XLSX = "/indicators/export/projects.xlsx"


def test_table_csv_has_the_workbooks_header_and_rows(ind, world, client_for):
    client = client_for(world.inspector)
    header, *rows = csv_rows(client.get(TABLE, {"period": "2023-07"}))
    assert header == [c.key for c in TABLE_COLUMNS]
    assert header[:2] == ["序号", "指标名称"] and "完成情况/完成值" in header
    assert [r[1] for r in rows] == ["固定资产投资", "规模以上工业总产值", "生猪存栏"]
    assert queries_of(client, TABLE, {"period": "2023-07"}) <= queries_of(
        client, TABLE_XLSX, {"period": "2023-07"}
    )


def test_projects_csv_is_scoped_with_totals_and_inert_text(ind, world, client_for):
    KeyProject.objects.create(year=2023, name="兴业大道", responsible_unit=world.unit_a)
    KeyProject.objects.create(year=2023, name="=1+1", responsible_unit=world.unit_b)
    header, *rows = csv_rows(client_for(world.coordinator).get(PROJECTS, {"year": 2023}))
    assert header[:2] == ["序号", "项目名称"] and "投资情况/合同投资（万元）" in header
    assert [r[1] for r in rows] == ["兴业大道", "'=1+1", "合计"]
    client = client_for(world.reporter_b)
    assert [r[1] for r in csv_rows(client.get(PROJECTS, {"year": 2023}))[1:]] == ["'=1+1", "合计"]
    assert queries_of(client, PROJECTS, {"year": 2023}) <= queries_of(
        client, PROJECTS_XLSX, {"year": 2023}
    )


def test_csv_links_beside_the_workbooks(ind, world, client_for):
    client = client_for(world.coordinator)
    page = client.get("/indicators/", {"period": "2023-07"}).content.decode()
    assert "/indicators/export/table.csv?period=2023-07" in page
    page = client.get("/indicators/projects/", {"year": 2023}).content.decode()
    assert "/indicators/export/projects.csv?year=2023" in page
