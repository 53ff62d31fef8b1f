"""The battle map as a wall chart (view=wall) and on the meeting-room screen (screen=1)."""

import datetime

import pytest

from shigan.core.testing import get_page
from shigan.dashboards.queries import previous_month_end
from shigan.dashboards.wall import (
    LANES_HEIGHT,
    SCREEN_COLUMNS,
    WallLane,
    wall_screens,
    wall_tile,
)
from shigan.tasks.queries import TaskRow
from shigan.tasks.status import TaskStatus
from shigan.testing import make_task

D = datetime.date
WALL = "/map/?view=wall"
SCREEN = "/map/?view=wall&screen=1"
SCREEN_BY_UNIT = SCREEN + "&group=unit"
FORTY = "整改：落地项目跟踪服务不及时，企业反映办理手续需多次往返，存在事难办现象一二三四"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def figures(response) -> dict[str, tuple[int, int, int]]:
    """status -> (count, count at the end of last month, change)"""
    headline = response.context["data"].headline
    return {f.status.value: (f.count, f.before, f.change) for f in headline.figures}


def test_previous_month_end():
    assert previous_month_end(D(2023, 7, 20)) == D(2023, 6, 30)
    assert previous_month_end(D(2023, 3, 1)) == D(2023, 2, 28)
    assert previous_month_end(D(2024, 1, 31)) == D(2023, 12, 31)


def test_a_task_that_became_overdue_this_month_is_overdue_plus_one(world, client_for):
    client = client_for(world.coordinator)
    before = figures(client.get(WALL))
    # Due 10 July: on 30 June it was on track (nearing: due within 7 days? no — 10 days), on
    # 20 July it is 10 days overdue.
    make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="七月到期未办结的任务",
        start=D(2023, 3, 1),
        due=D(2023, 7, 10),
    )
    response = client.get(WALL)
    after = figures(response)
    assert after["overdue"] == (
        before["overdue"][0] + 1,
        before["overdue"][1],
        before["overdue"][2] + 1,
    )
    assert after["behind"] == before["behind"] and after["nearing"] == before["nearing"]
    assert response.context["data"].headline.since == D(2023, 6, 30)
    html = response.content.decode()
    change = after["overdue"][2]
    assert change == 1
    assert 'data-change="1" title="上月末（2023年6月30日）0项">较上月末 +1</span>' in html
    assert "逾期10天" in html


def test_a_task_finished_since_last_month_counts_down(world, client_for):
    # Overdue since 31 May: overdue on 30 June and on 20 July -> unchanged (持平).
    make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="五月底到期的任务",
        start=D(2023, 3, 1),
        due=D(2023, 5, 31),
    )
    response = client_for(world.coordinator).get(WALL)
    count, before, change = figures(response)["overdue"]
    assert count == before and change == 0
    assert "较上月末 持平" in response.content.decode()


def test_the_wall_shows_every_task_as_a_tile_worst_first_within_its_lane(world, client_for):
    make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title=FORTY,
        start=D(2023, 3, 1),
        due=D(2023, 7, 10),
    )
    response = client_for(world.coordinator).get(WALL)
    html = response.content.decode()
    assert len(FORTY) == 40
    assert f"{FORTY}</a>" in html  # whole, in the tile
    lanes = response.context["lanes"]
    assert sum(len(lane.tiles) for lane in lanes) == len(response.context["data"].rows) == 3
    order = [t.status for lane in lanes for t in lane.tiles]
    assert order == [TaskStatus.OVERDUE, TaskStatus.BEHIND, TaskStatus.ON_TRACK]
    assert 'class="wt wt-overdue"' in html and 'class="wt wt-behind"' in html


def test_the_screen_has_no_navigation_or_filters_and_refreshes(world, client_for):
    response = client_for(world.coordinator).get(SCREEN)
    html = response.content.decode()
    assert 'class="topbar' in html  # in base.html, hidden by battle_map.css on body.wall-screen
    assert "wall-screen" in html
    assert 'class="filters map-filters' not in html
    assert 'data-wall-refresh="300"' in html
    assert "shigan/battle_map_wall.js" in html
    assert "第1/1屏" not in html  # one screen: no page count
    assert response.context["wall_page"].pages == 1


def row(title: str, status=TaskStatus.ON_TRACK, days_left: int = 30) -> TaskRow:
    class FakeTask:
        number = 0
        pk = 0

    task = FakeTask()
    task.title = title
    return TaskRow(task, status, days_left, 4, 2, None, None, None, None, None, [], D(2023, 12, 31))


def test_screens_page_when_the_tasks_do_not_fit():
    many = [wall_tile(row(f"任务{i}" + "长" * 30)) for i in range(200)]
    lanes = [WallLane("甲类", many[:150], 150), WallLane("乙类", many[150:], 50)]
    screens = wall_screens(lanes)
    assert len(screens) > 2
    for screen in screens:
        assert screen.height_with(screen.shelves) <= LANES_HEIGHT
        for shelf in screen.shelves:
            assert sum(lane.span for lane in shelf) <= SCREEN_COLUMNS
    shown = [t for s in screens for lane in s.lanes for t in lane.tiles]
    assert shown == many  # every tile once, in order
    pieces = [lane for s in screens for lane in s.lanes if lane.label == "甲类"]
    assert [p.continued for p in pieces] == [False] + [True] * (len(pieces) - 1)


def test_small_lanes_share_a_shelf():
    tiles = [wall_tile(row("短任务")) for _ in range(7)]
    lanes = [WallLane(n, tiles[i : i + 1], 1) for i, n in enumerate("甲乙丙")]
    lanes.append(WallLane("丁", tiles[3:7], 4))
    (screen,) = wall_screens(lanes)
    assert [[lane.label for lane in shelf] for shelf in screen.shelves] == [
        ["甲", "乙", "丙", "丁"]
    ]


def test_a_long_title_makes_a_taller_tile_never_a_cut_one():
    short, long = wall_tile(row("短")), wall_tile(row(FORTY))
    assert long.height - short.height == 3 * 25  # four lines of 12 characters instead of one


def test_pages_of_the_screen_and_their_links(world, client_for, monkeypatch):
    # One column and 200 px: the world's two lead units' lanes (one tile each) take two screens.
    monkeypatch.setattr("shigan.dashboards.wall.LANES_HEIGHT", 200)
    monkeypatch.setattr("shigan.dashboards.wall.SCREEN_COLUMNS", 1)
    client = client_for(world.coordinator)
    first = client.get(SCREEN_BY_UNIT)
    assert first.context["wall_page"].pages == 2
    html = first.content.decode()
    assert "第1/2屏" in html and 'data-wall-refresh="60"' in html
    assert "page=2" in html.split("data-wall-next=")[1].split(">")[0]
    second = client.get(SCREEN_BY_UNIT + "&page=2")
    assert "第2/2屏" in second.content.decode()
    assert "page=1" in second.content.decode().split("data-wall-next=")[1].split(">")[0]
    assert client.get(SCREEN_BY_UNIT + "&page=9").context["wall_page"].page == 1


def test_print_footer_names_the_maker_and_date_in_a_safe_css_string(world, client_for):
    world.campaign.organiser.name = '示范区"</style><script>'
    world.campaign.organiser.save()
    html = get_page(client_for(world.coordinator), "/map/")().content.decode()
    footer = html.split("@bottom-left { content: ")[1].split(";")[0]
    assert "制表单位：示范区" in footer and "截至2023年7月20日" in footer
    assert "</style>" not in footer and '"' not in footer[1:-1]


@pytest.mark.parametrize(
    "query", ["page=abc", "page=-1", "page=0", "page=" + "9" * 30, "screen=2", "view=wall&group=x"]
)
def test_malformed_wall_parameters_show_the_first_screen(world, client_for, query):
    response = client_for(world.coordinator).get(f"{SCREEN}&{query}")
    assert response.status_code == 200
    page = response.context.get("wall_page")
    assert page is None or page.page == 1
