"""下级对比 (issue 17) runs a fixed number of queries whatever the number of subordinate levels
and records: a county with 2 districts, then 5 (and more tasks, decisions, findings, indicators
and reports), the same count; the city's page the same while the county grows below it, and its
list of the units 逾期未报."""

from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.core.figures_cache import clear_caches
from shigan.core.testing import assert_same_queries, get_page

from .levels_world import CITY, COUNTY, EXTRA, TODAY, add_records, build_level, build_world

URL = "/map/levels/"
LATE = "/map/levels/late/"  # the units 逾期未报 its total counts


def table_rows(html: str) -> int:
    return html.count('<tr class="level-')


def _grow(county, n, prefix="g"):
    for i in range(n):
        more = build_level(f"{prefix}加{i}区", county.root, f"{prefix}{i}", 10 + i)
        add_records(more, EXTRA)


def cold(get):
    """`get` with the campaigns' counts of the day not yet kept (dashboards.campaign_counts):
    every campaign counted, in one statement."""

    def run():
        clear_caches()
        return get()

    return run


@pytest.mark.django_db
def test_queries_do_not_grow_with_levels_or_records(client_for, settings, monkeypatch):
    """2 districts, then 5 (and more tasks, decisions, findings, indicators): same count, with
    the campaigns' counts of the day kept (warm) and not (cold)."""
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    levels = build_world()
    city, county = levels[CITY], levels[COUNTY]
    client = client_for(county.users["coordinator"])
    page = get_page(client, URL)
    assert_same_queries(cold(page), partial(_grow, county, 3), at_most=40, warm_up=True)
    assert table_rows(client.get(URL).content.decode()) == 1 + 5 + 1
    # The city's page (its county row counts every district) and a past date: the same.
    for i, url in enumerate((URL, f"{URL}?as_of=2023-06-30", LATE)):
        client = client_for(city.users["coordinator"])
        grow = partial(_grow, county, 2, f"c{i}")
        assert_same_queries(cold(get_page(client, url)), grow, at_most=40, warm_up=True)


def _status_statements(captured) -> int:
    """Statements computing task statuses (tasks.status_sql reads each task's milestones)."""
    return sum('"tasks_milestone"' in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
def test_the_kept_figures_are_read_in_three_queries(client_for, settings, monkeypatch):
    """Warm (the day's counts kept, nothing written since): no task status is computed, and
    the page makes six queries fewer than cold (the campaigns' statuses and the tasks owing a
    report, counted; the indicators' four, rolled_statuses), at both sizes; the campaigns and
    what was written since are read in two queries, whether an indicator was in one."""
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    levels = build_world()
    county = levels[COUNTY]
    page = get_page(client_for(levels[CITY].users["coordinator"]), URL)
    for size in ("small", "grown"):
        with CaptureQueriesContext(connection) as cold_run:
            cold(page)()
        with CaptureQueriesContext(connection) as warm_run:
            page()
        assert _status_statements(cold_run) == 1, size
        assert _status_statements(warm_run) == 0, size
        assert len(warm_run) == len(cold_run) - 2 - 4, size
        _grow(county, 3, f"w{size}")
