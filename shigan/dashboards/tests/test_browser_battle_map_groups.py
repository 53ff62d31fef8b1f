"""The collapsed battle map in Debian's Chromium: a group opens on a click, fetching its rows."""

import pytest

from shigan.core.figures_cache import clear_caches

from ..views import battle_map as views
from .bulk import bulk_tasks
from .test_browser_battle_map import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clicking_a_group_opens_it_with_its_rows(world, browser_page, live_server, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    monkeypatch.setattr(views, "MAP_EXPAND_LIMIT", 4)
    clear_caches()
    bulk_tasks(world, 5)  # unit A: the world's task and 2 more; unit B: its task and 3 more
    page, base = browser_page, live_server.url
    login(page, base, "coordinator")
    page.goto(f"{base}/map/?group=unit")
    groups = page.locator("tbody.map-group")
    assert groups.count() == 2
    assert page.locator("tr[data-task]").count() == 0
    water = groups.filter(has_text="区水务局")
    water.locator(".group-toggle").click()
    page.wait_for_selector("tbody.map-group.open tr[data-task]")
    page.wait_for_function("!document.querySelector('tbody.map-group[aria-busy]')")
    assert water.locator("tr[data-task]").count() == 4
    assert water.locator("tr[data-task]").first.is_visible()
    assert groups.filter(has_text="区交通局").locator("tr[data-task]").count() == 0
    assert water.locator(".group-toggle").get_attribute("aria-expanded") == "true"
    water.locator(".group-toggle").click()  # folds it away
    assert not water.locator("tr[data-task]").first.is_visible()
    assert set(page.requested_hosts) == {"127.0.0.1"}
    clear_caches()
