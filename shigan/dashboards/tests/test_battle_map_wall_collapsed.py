"""The wall chart (挂图) and the meeting-room screen (大屏) of a large campaign (issue 18): above
MAP_EXPAND_LIMIT tasks each lane shows its counts per status and only its worst tasks (逾期,
滞后, 临期: at most WORST_PER_GROUP), the headline counts every task; a lane's 查看全部 and ?all=1
show every tile. The threshold is patched small instead of creating 500 tasks; the real
district's 300 tasks stay whole."""

import datetime
import re
from functools import partial

import pytest

from shigan.core.figures_cache import clear_caches
from shigan.core.testing import assert_same_queries, get_page
from shigan.tasks.models import Task
from shigan.tasks.status import TaskStatus
from shigan.testing import make_task

from .. import queries
from ..queries import HEADLINE
from ..views import battle_map as views
from .bulk import bulk_tasks

D = datetime.date
WALL = "/map/?view=wall&group=unit"
SCREEN = WALL + "&screen=1"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def large(world, monkeypatch):
    """11 tasks (unit A: the world's, 3 of bulk_tasks' and 3 overdue; unit B: the world's and 3),
    collapsed above 4, at most 2 worst tasks a lane."""
    bulk_tasks(world, 6)
    for i in range(3):  # overdue by 19, 18 and 17 days
        make_task(
            campaign=world.campaign,
            category=world.category,
            unit=world.unit_a,
            title=f"七月到期未办结{i}",
            start=D(2023, 3, 1),
            due=D(2023, 7, 1 + i),
        )
    monkeypatch.setattr(views, "MAP_EXPAND_LIMIT", 4)
    monkeypatch.setattr(queries, "WORST_PER_GROUP", 2)
    return world


def headline(response) -> list[tuple]:
    data = response.context["data"]
    return [(f.status, f.count, f.before) for f in data.headline.figures] + [data.total]


def tile_ids(lane) -> list[int]:
    return [t.row.task.pk for t in lane.tiles]


@pytest.mark.parametrize("url", [WALL, SCREEN])
def test_lanes_show_their_counts_and_only_their_worst_tasks(large, client_for, url):
    client = client_for(large.coordinator)
    whole = client.get(url + "&all=1")
    part = client.get(url)
    assert not whole.context["data"].collapsed and part.context["data"].collapsed
    assert headline(part) == headline(whole)
    full = {lane.label: lane for lane in whole.context["lanes"]}
    lanes = part.context["lanes"]
    assert [lane.label for lane in lanes] == list(full)  # the same lanes, worst first
    shown = 0
    for lane in lanes:
        every = full[lane.label]
        assert lane.count == every.count
        statuses = [t.status for t in every.tiles]
        assert lane.counts == [(s, statuses.count(s)) for s in TaskStatus if s in statuses]
        worst = [t.row.task.pk for t in every.tiles if t.status in HEADLINE][:2]
        assert tile_ids(lane) == worst
        shown += len(lane.tiles)
    assert shown == 3  # unit A: its two most overdue; unit B: its one task behind
    assert tile_ids(lanes[0])[0] == Task.objects.get(title="七月到期未办结0").pk


def test_a_lanes_link_shows_every_tile_of_that_lane(large, client_for):
    client = client_for(large.coordinator)
    html = client.get(WALL).content.decode()
    links = re.findall(r'class="wl-all" href="([^"]+)">查看全部(\d+)项', html)
    assert [int(n) for _, n in links] == [
        Task.objects.filter(lead_unit=large.unit_a).count(),
        Task.objects.filter(lead_unit=large.unit_b).count(),
    ]
    response = client.get("/map/" + links[0][0].replace("&amp;", "&"))
    (lane,) = response.context["lanes"]
    assert sorted(tile_ids(lane)) == sorted(
        Task.objects.filter(lead_unit=large.unit_a).values_list("pk", flat=True)
    )
    assert "显示完整挂图" in html and 'href="?view=wall&amp;group=unit&amp;all=1"' in html


def test_the_screen_lists_what_it_leaves_out_without_links(large, client_for):
    html = client_for(large.coordinator).get(SCREEN).content.decode()
    assert 'data-wall-refresh="300"' in html and "wl-all" not in html
    assert "另3项未列出" in html  # unit A: 5 tasks, 2 shown
    assert "各组列出最紧要的逾期、滞后、临期任务" in html


def test_a_lane_with_nothing_late_shows_its_counts(large, client_for):
    response = client_for(large.coordinator).get(WALL + "&status=on_track")
    assert response.context["data"].collapsed
    assert all(not lane.tiles for lane in response.context["lanes"])
    assert "没有逾期、滞后、临期的任务" in response.content.decode()


def test_the_districts_300_task_wall_is_complete(world, client_for):
    bulk_tasks(world, 298)
    response = client_for(world.coordinator).get("/map/?view=wall")
    assert not response.context["data"].collapsed
    assert sum(len(lane.tiles) for lane in response.context["lanes"]) == 300


@pytest.mark.parametrize("url", [WALL, SCREEN])
def test_collapsed_wall_queries_do_not_grow_with_tasks(world, client_for, monkeypatch, url):
    monkeypatch.setattr(views, "MAP_EXPAND_LIMIT", 5)
    client = client_for(world.coordinator)
    bulk_tasks(world, 8)

    page = get_page(client, url)

    def cold():
        clear_caches()
        return page()

    grow = partial(bulk_tasks, world, 190, offset=8)
    response = assert_same_queries(cold, grow, at_most=20, warm_up=True)
    assert response.context["data"].collapsed
    assert sum(len(lane.tiles) for lane in response.context["lanes"]) <= 2 * 7


@pytest.mark.parametrize("field", ["category_id", "lead_unit_id"])
@pytest.mark.parametrize("wanted", [set(), {"overdue"}, {"behind", "nearing"}, {"on_track"}])
def test_the_walls_one_pass_counts_and_picks_as_two_did(large, field, wanted):
    """A collapsed wall reads each task's status once (queries.wall_statuses) for its lanes'
    counts and its worst tasks: the same counts as status_counts_by and the same worst tasks,
    in the same order, as worst_rows' own query."""
    day = D(2023, 7, 20)
    scope = Task.objects.all()
    read = queries.wall_statuses(large.campaign, day, scope, field)
    counted = queries.counted_by_group(read)
    assert counted == queries.status_counts_by(
        queries._by_id(large.campaign, day, scope), day, field
    )
    assert sum(counted[large.unit_a.pk if field == "lead_unit_id" else large.category.pk].values())
    alone = queries.worst_rows(large.campaign, day, scope, field, wanted)
    shared = queries.worst_rows(large.campaign, day, scope, field, wanted, read)
    as_ids = {key: [row.task.pk for row in rows] for key, rows in alone.items()}
    assert {key: [row.task.pk for row in rows] for key, rows in shared.items()} == as_ids
    if not wanted or "overdue" in wanted:
        assert as_ids  # the three overdue tasks of unit A: something was picked
