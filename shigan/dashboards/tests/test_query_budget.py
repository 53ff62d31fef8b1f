"""The battle map runs the same number of queries for 10 and for 490 tasks (the whole map; a
collapsed one: test_battle_map_collapsed)."""

import io
from functools import partial

import pytest
from openpyxl import load_workbook

from shigan.core.testing import assert_same_queries, get_page

from .bulk import bulk_tasks

PAGES = [
    "/map/",
    "/map/?view=timeline",
    "/map/?group=unit&view=timeline",
    "/map/export.xlsx",
    "/map/?view=wall",
    "/map/?view=wall&screen=1&group=unit",
]
PERSONAS = ["coordinator", "leader", "reporter_a"]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_battle_map_queries_do_not_grow_with_tasks(world, client_for, url, persona):
    client = client_for(world.users()[persona])
    bulk_tasks(world, 8)  # 10 with the world's two
    # 490 tasks: up to MAP_EXPAND_LIMIT (500) the map shows every row (above it, its groups
    # collapsed: test_battle_map_collapsed).
    grow = partial(bulk_tasks, world, 480, offset=8)
    # 12 for the map and its campaign picker, one for the user's district (orgs.scope), two
    # for 本月填报 (tasks.queries.unit_filing), one for the campaign's last change (the key
    # of the collapsed map's cache, dashboards.map_cache); the wall has no 本月填报 nor cache
    # but two for the headline's counts at the end of last month.
    response = assert_same_queries(get_page(client, url), grow, at_most=16, warm_up=True)
    assert shown_tasks(response) > 100


def shown_tasks(response) -> int:
    if response.context is None:  # the xlsx export
        return load_workbook(io.BytesIO(response.content)).active.max_row - 2
    return len(response.context["data"].rows)
