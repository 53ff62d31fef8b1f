"""The district's organisation as CSV, one file per sheet of the export workbook: the same
header and rows, a typed formula inert, coordinators only, no more queries than the workbook."""

from django.urls import reverse, reverse_lazy

from shigan.core.tests.csv_read import csv_rows, queries_of
from shigan.orgs.models import Unit
from shigan.orgs.xlsx.layout import SHEETS

URL = reverse_lazy("orgs:org_export_csv")  # /setup/org/export.csv


def test_each_sheet_reads_back(world, client_for):
    Unit.objects.filter(pk=world.unit_b.pk).update(name="=1+1")
    client = client_for(world.coordinator)
    header, *rows = csv_rows(client.get(URL))  # 单位 unless asked
    assert header == [c.key for c in SHEETS["单位"]] and header[1] == "单位名称"
    assert rows[0][1:4] == ["示范区党委政府", "", "党委政府"]
    assert "'=1+1" in [r[1] for r in rows]
    for sheet, columns in SHEETS.items():
        assert csv_rows(client.get(URL, {"sheet": sheet}))[0] == [c.key for c in columns]
    assert csv_rows(client.get(URL, {"sheet": "x"}))[0] == header
    assert queries_of(client, URL) <= queries_of(client, reverse("orgs:org_export"))
    page = client.get(reverse("orgs:org_import")).content.decode()
    assert f'href="{URL}?sheet=%E4%BA%BA%E5%91%98">人员</a>' in page


def test_org_csv_is_for_coordinators_only(world, client_for):
    for user in (world.leader, world.reporter_a, world.inspector):
        assert client_for(user).get(URL).status_code == 403
