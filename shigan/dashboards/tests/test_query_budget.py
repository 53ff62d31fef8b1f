"""The battle map runs the same number of queries for 10 and for 1,000 tasks."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from .bulk import bulk_tasks

PAGES = ["/map/", "/map/?view=timeline", "/map/?group=unit&view=timeline", "/map/export.xlsx"]
PERSONAS = ["coordinator", "leader", "reporter_a"]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_battle_map_queries_do_not_grow_with_tasks(
    world, client_for, django_assert_num_queries, url, persona
):
    client = client_for(world.users()[persona])
    bulk_tasks(world, 8)  # 10 with the world's two
    client.get(url)  # warm caches unrelated to the data (content types, templates)
    small = count_queries(client, url)
    assert small <= 12
    bulk_tasks(world, 990, offset=8)
    with django_assert_num_queries(small):
        response = client.get(url)
    assert shown_tasks(response) > 100


def shown_tasks(response) -> int:
    if response.context is None:  # the xlsx export
        return load_workbook(io.BytesIO(response.content)).active.max_row - 2
    return len(response.context["data"].rows)
