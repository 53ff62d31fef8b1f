"""Cached renderings are keyed on the code's digest: after an upgrade the task list's rows and
the battle map's fragments are made anew, never served from the previous version's cache."""

import datetime

from shigan.dashboards import map_cache
from shigan.dashboards.queries import MapFilters
from shigan.tasks import list_cache
from shigan.tasks.changes import last_change

TODAY = datetime.date(2023, 7, 20)


def test_an_upgrade_gives_the_caches_new_keys(world, monkeypatch):
    change = last_change(world.campaign)

    def keys():
        return (
            list_cache.list_key("rows", world.coordinator, world.campaign, change, TODAY),
            map_cache.map_key(
                "page", world.coordinator, world.campaign, change, TODAY, MapFilters()
            ),
        )

    before = keys()
    assert keys() == before
    monkeypatch.setattr(list_cache, "code_digest", lambda: "next-version")
    monkeypatch.setattr(map_cache, "code_digest", lambda: "next-version")
    after = keys()
    assert after[0] != before[0] and after[1] != before[1]
