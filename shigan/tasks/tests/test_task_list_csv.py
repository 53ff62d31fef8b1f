"""The campaign's task list as a CSV: the workbook's columns led by 类别, its tasks in its
order, a typed formula inert, coordinators only, no more queries than the workbook."""

from django.urls import reverse

from shigan.core.tests.csv_read import csv_rows, queries_of
from shigan.tasks.models import Task
from shigan.tasks.xlsx.layout import COLUMNS

PAGE = "/tasks/import/"


def test_task_list_csv_reads_back(world, client_for):
    Task.objects.filter(pk=world.task_b.pk).update(title="=1+1")
    client = client_for(world.coordinator)
    url, query = reverse("tasks:task_list_export_csv"), {"campaign": world.campaign.pk}
    header, *rows = csv_rows(client.get(url, query))
    assert header == ["类别", *(c.key for c in COLUMNS)]
    assert [(r[0], r[2]) for r in rows] == [("路网体系", "兴业大道建设"), ("路网体系", "'=1+1")]
    assert queries_of(client, url, query) <= queries_of(
        client, reverse("tasks:task_list_export"), query
    )
    page = client.get(reverse("tasks:task_list_import"), query).content.decode()
    assert f'href="{url}?campaign={world.campaign.pk}">导出CSV</a>' in page


def test_task_list_csv_is_for_coordinators_only(world, client_for):
    for user in (world.leader, world.reporter_a, world.inspector):
        assert client_for(user).get(reverse("tasks:task_list_export_csv")).status_code == 403
