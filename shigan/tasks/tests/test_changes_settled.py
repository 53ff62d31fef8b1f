"""A campaign's last change is settled only while no other transaction of the database writes
(tasks.changes): on PostgreSQL a write may commit after a later-numbered one, so what is computed
while one is in progress is never kept in the cache (the task list's and the battle map's)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection

from shigan.core.figures_cache import clear_caches, figures_cache
from shigan.dashboards.map_cache import keep, map_key
from shigan.dashboards.queries import MapFilters
from shigan.tasks.changes import last_change, may_keep
from shigan.tasks.list_cache import campaign_status_codes, list_key, statuses_key

TODAY = datetime.date(2023, 7, 20)


@pytest.fixture(autouse=True)
def empty_cache():
    clear_caches()


def unsettled_change(world):
    change = last_change(world.campaign)
    return change.__class__(**{**change.__dict__, "settled": False})


def test_a_quiet_database_is_settled_and_its_figures_kept(world):
    change = last_change(world.campaign)
    assert change.settled
    assert may_keep(list_key("ids", world.coordinator, world.campaign, change, TODAY))
    campaign_status_codes(world.campaign, change, TODAY)
    assert figures_cache.get(statuses_key(world.campaign, TODAY)) is not None


def test_nothing_computed_under_an_unsettled_change_is_kept(world):
    change = unsettled_change(world)
    codes = campaign_status_codes(world.campaign, change, TODAY)
    assert {world.task_a.pk, world.task_b.pk} <= set(codes)  # computed, and given
    # Kept under the campaign and the day with the change they are complete at: not kept.
    assert figures_cache.get(statuses_key(world.campaign, TODAY)) is None
    assert not may_keep(list_key("ids", world.coordinator, world.campaign, change, TODAY))
    key = map_key("page", world.coordinator, world.campaign, change, TODAY, MapFilters())
    assert not may_keep(key)
    keep(key, "rows")
    assert cache.get(key) is None
    settled = map_key(
        "page", world.coordinator, world.campaign, last_change(world.campaign), TODAY, MapFilters()
    )
    keep(settled, "rows")
    assert cache.get(settled) == "rows"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite commits writers in order")
def test_another_transaction_writing_unsettles_the_change(world):
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = False
        with other.cursor() as cursor:
            cursor.execute("SELECT txid_current()")  # holds a transaction id: a writer
        assert not last_change(world.campaign).settled
        other.commit()
        with connection.cursor() as cursor:  # pg_stat_activity is read once per transaction
            cursor.execute("SELECT pg_stat_clear_snapshot()")
        assert last_change(world.campaign).settled
    finally:
        other.close()
