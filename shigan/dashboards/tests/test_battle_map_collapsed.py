"""A large battle map shows its groups collapsed with their counts per status, each opened on
demand (/map/group/), cached until the campaign changes (issue 18). The threshold is patched
small here instead of creating 500 tasks; the real district's 300 tasks stay whole."""

import datetime
import re
from functools import partial

import pytest

from shigan.core.figures_cache import clear_caches
from shigan.core.testing import assert_same_queries, get_page
from shigan.tasks.models import Task, TaskCategory
from shigan.tasks.services.progress import progress_submit
from shigan.tasks.status import TaskStatus

from .. import queries
from ..views import battle_map as views
from .bulk import bulk_tasks

URL = "/map/"
GROUP_URL = "/map/group/"
TASK_ROW = re.compile(r'<tr class="(?:gantt-row )?row-[a-z_]+" data-task="(\d+)"')
HEADING = re.compile(
    r'<tbody class="map-group" data-src="([^"]+)">.*?'
    r'class="group-toggle"[^>]*>([^<]+)</button><span class="muted">（(\d+)项）</span>'
    r'<span class="group-counts">(.*?)</span></th>',
    re.S,
)
COUNT = re.compile(r'<span class="status status-([a-z_]+)">[^<0-9]+(\d+)</span>')


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_caches()
    yield
    clear_caches()


def collapse_above(monkeypatch, limit: int) -> None:
    monkeypatch.setattr(views, "MAP_EXPAND_LIMIT", limit)


def task_ids(html: str) -> list[int]:
    return [int(pk) for pk in TASK_ROW.findall(html)]


def headings(html: str) -> dict[str, tuple[int, dict[str, int], str]]:
    """Group label -> (count shown, {status: count}, the fragment's URL)."""
    return {
        label: (int(n), {s: int(c) for s, c in COUNT.findall(counts)}, src.replace("&amp;", "&"))
        for src, label, n, counts in HEADING.findall(html)
    }


def expected_counts(client, params: str) -> dict[str, dict[str, int]]:
    """Per group, the statuses of its rows as the whole map (?all=1) computes them."""
    data = client.get(f"{URL}?all=1&{params}").context["data"]
    assert not data.collapsed
    return {
        g.label: {s.value: sum(r.status == s for r in g.rows) for s in TaskStatus}
        for g in data.groups
    }


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {s: n for s, n in counts.items() if n}


@pytest.mark.parametrize("view", ["table", "timeline"])
def test_above_the_threshold_groups_are_collapsed_with_their_counts(
    world, client_for, monkeypatch, view
):
    bulk_tasks(world, 3)  # 5 tasks: unit A 2 + 1, unit B 1 + 1
    client = client_for(world.coordinator)
    collapse_above(monkeypatch, 4)
    response = client.get(f"{URL}?group=unit&view={view}")
    html = response.content.decode()
    assert response.context["data"].collapsed
    assert task_ids(html) == []  # no row of a collapsed group
    expected = expected_counts(client, f"group=unit&view={view}")
    found = headings(html)
    assert set(found) == {"区交通局", "区水务局"}
    for label, (shown, counts, _) in found.items():
        assert counts == nonzero(expected[label])
        assert shown == sum(expected[label].values())
    assert shown_sum(found) == 5
    assert "battle_map_groups.js" in html
    assert 'href="?group=unit&amp;view=' in html and "all=1" in html  # 打印完整列表


def shown_sum(found) -> int:
    return sum(shown for shown, _, _ in found.values())


def test_at_the_threshold_every_row_is_on_the_page(world, client_for, monkeypatch):
    bulk_tasks(world, 2)  # 4 tasks
    collapse_above(monkeypatch, 4)
    response = client_for(world.coordinator).get(URL)
    assert not response.context["data"].collapsed
    assert len(task_ids(response.content.decode())) == 4


def test_the_districts_300_task_map_is_complete_on_one_page(world, client_for):
    """A real district's campaign (300 tasks, benchmarks' shape) under the real threshold."""
    assert queries.MAP_EXPAND_LIMIT >= 306 and views.MAP_EXPAND_LIMIT == queries.MAP_EXPAND_LIMIT
    bulk_tasks(world, 298)
    response = client_for(world.coordinator).get(URL)
    html = response.content.decode()
    assert not response.context["data"].collapsed
    assert sorted(task_ids(html)) == sorted(Task.objects.values_list("pk", flat=True))
    assert len(task_ids(html)) == 300
    assert "data-print" in html and "map-group" not in html


def test_print_all_shows_every_row_of_a_collapsed_map(world, client_for, monkeypatch):
    bulk_tasks(world, 3)
    collapse_above(monkeypatch, 4)
    html = client_for(world.coordinator).get(f"{URL}?all=1").content.decode()
    assert len(task_ids(html)) == 5 and "data-print" in html
    assert "完整列表（5项）" in html


@pytest.mark.parametrize("view", ["table", "timeline"])
def test_a_group_fragment_holds_exactly_its_rows(world, client_for, monkeypatch, view):
    bulk_tasks(world, 3)
    other = TaskCategory.objects.create(campaign=world.campaign, name="水系治理", sort_order=5)
    Task.objects.filter(title="批量任务1").update(category=other)
    client = client_for(world.coordinator)
    collapse_above(monkeypatch, 1)
    for grouping, field in (("unit", "lead_unit_id"), ("category", "category_id")):
        found = headings(client.get(f"{URL}?group={grouping}&view={view}").content.decode())
        assert len(found) == 2
        seen = []
        for _, _, src in found.values():
            key = int(re.search(r"key=(\d+)", src).group(1))
            html = client.get(src).content.decode()
            ids = task_ids(html)
            expected = Task.objects.filter(**{field: key}).values_list("pk", flat=True)
            assert sorted(ids) == sorted(expected)
            seen += ids
        assert sorted(seen) == sorted(Task.objects.values_list("pk", flat=True))


def test_a_fragment_keeps_the_pages_status_filter(world, client_for, monkeypatch):
    bulk_tasks(world, 3)
    collapse_above(monkeypatch, 0)
    client = client_for(world.coordinator)
    full = client.get(f"{URL}?group=unit&all=1").context["data"].rows
    behind = {r.task.pk for r in full if r.status == TaskStatus.BEHIND}
    assert behind and len(behind) < len(full)
    found = headings(client.get(f"{URL}?group=unit&status=behind").content.decode())
    ids = [pk for _, _, src in found.values() for pk in task_ids(client.get(src).content.decode())]
    assert sorted(ids) == sorted(behind)
    assert all(set(counts) == {"behind"} for _, counts, _ in found.values())


def test_a_large_group_comes_a_page_at_a_time(world, client_for, monkeypatch):
    bulk_tasks(world, 9)  # unit A: the world's task and 4 more (i = 1, 3, 5, 7)
    monkeypatch.setattr(queries, "GROUP_PAGE", 2)
    collapse_above(monkeypatch, 1)
    client = client_for(world.coordinator)
    src = f"{GROUP_URL}?group=unit&key={world.unit_a.pk}"
    pages, url = [], src
    while url:
        html = client.get(url).content.decode()
        pages.append(task_ids(html))
        more = re.search(r'class="group-more" data-src="([^"]+)">显示更多（还有(\d+)项）', html)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert [len(p) for p in pages] == [2, 2, 1]
    everything = [pk for p in pages for pk in p]
    assert everything == list(
        Task.objects.filter(lead_unit=world.unit_a).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("persona", ["reporter_a", "leader"])
def test_page_and_fragment_show_only_what_the_viewer_reads(world, client_for, monkeypatch, persona):
    bulk_tasks(world, 3)
    collapse_above(monkeypatch, 1)
    client = client_for(world.users()[persona])
    found = headings(client.get(f"{URL}?group=unit").content.decode())
    assert list(found) == ["区交通局"]  # unit A's tasks only
    ids = task_ids(client.get(found["区交通局"][2]).content.decode())
    assert sorted(ids) == sorted(
        Task.objects.filter(lead_unit=world.unit_a).values_list("pk", flat=True)
    )
    outside = client.get(f"{GROUP_URL}?group=unit&key={world.unit_b.pk}")
    assert outside.status_code == 200 and task_ids(outside.content.decode()) == []
    by_category = client.get(f"{GROUP_URL}?key={world.category.pk}").content.decode()
    assert set(task_ids(by_category)) <= set(
        Task.objects.filter(lead_unit=world.unit_a).values_list("pk", flat=True)
    )


def test_a_fragment_without_a_group_is_not_found(world, client_for):
    client = client_for(world.coordinator)
    assert client.get(GROUP_URL).status_code == 404
    assert client.get(f"{GROUP_URL}?key=abc").status_code == 404
    assert client.get(f"{GROUP_URL}?key=99999999999999999999999").status_code == 404
    huge_page = client.get(f"{GROUP_URL}?key={world.unit_a.pk}&group=unit&page=99999")
    assert huge_page.status_code == 200 and task_ids(huge_page.content.decode()) == []


def uncached(run):
    def go():
        clear_caches()
        return run()

    return go


@pytest.mark.parametrize("view", ["table", "timeline"])
def test_collapsed_page_queries_do_not_grow_with_tasks(world, client_for, monkeypatch, view):
    collapse_above(monkeypatch, 5)
    client = client_for(world.coordinator)
    bulk_tasks(world, 8)
    grow = partial(bulk_tasks, world, 190, offset=8)
    url = f"{URL}?view={view}"
    response = assert_same_queries(uncached(get_page(client, url)), grow, at_most=16, warm_up=True)
    assert response.context["data"].collapsed and response.context["data"].shown == 200
    # Cached: the session, the user, his person and district, the campaign picker, the last
    # change, the nav's inbox count.
    assert_same_queries(get_page(client, url), lambda: None, exactly=7, warm_up=True)


@pytest.mark.parametrize("view", ["table", "timeline"])
def test_group_fragment_queries_do_not_grow_with_tasks(world, client_for, monkeypatch, view):
    monkeypatch.setattr(queries, "GROUP_PAGE", 20)
    client = client_for(world.coordinator)
    bulk_tasks(world, 8)
    grow = partial(bulk_tasks, world, 190, offset=8)
    url = f"{GROUP_URL}?view={view}&group=unit&key={world.unit_a.pk}"
    response = assert_same_queries(uncached(get_page(client, url)), grow, at_most=12, warm_up=True)
    assert len(task_ids(response.content.decode())) == queries.GROUP_PAGE
    assert_same_queries(get_page(client, url), lambda: None, at_most=6, warm_up=True)


def test_a_progress_report_filed_shows_on_the_cached_map(world, client_for, monkeypatch):
    bulk_tasks(world, 3)
    collapse_above(monkeypatch, 1)
    client = client_for(world.coordinator)
    page = f"{URL}?group=unit"
    src = headings(client.get(page).content.decode())["区交通局"][2]
    before = client.get(src).content.decode()
    assert client.get(src).content.decode() == before  # served from the cache
    assert "七月路面摊铺完成" not in before
    progress_submit(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        by=world.reporter_a,
        text="七月路面摊铺完成",
        milestones_reached={},
        uploads=[],
    )
    assert "七月路面摊铺完成" in client.get(src).content.decode()
    # The page's counts move too: a task cancelled through its row changes the heading.
    Task.objects.filter(pk=world.task_b.pk).update(
        state="cancelled", closed_on=datetime.date(2023, 7, 1)
    )
    counts = headings(client.get(page).content.decode())["区水务局"][1]
    assert counts.get("cancelled") == 1


def test_the_cache_keeps_each_viewers_scope(world, client_for, monkeypatch):
    """The coordinator's map and fragment, cached first, are not what a reporter gets."""
    bulk_tasks(world, 3)
    collapse_above(monkeypatch, 1)
    page, unit_b = f"{URL}?group=unit", f"{GROUP_URL}?group=unit&key={world.unit_b.pk}"
    coordinator = client_for(world.coordinator)
    assert len(headings(coordinator.get(page).content.decode())) == 2
    assert task_ids(coordinator.get(unit_b).content.decode())
    reporter = client_for(world.reporter_a)
    assert list(headings(reporter.get(page).content.decode())) == ["区交通局"]
    assert task_ids(reporter.get(unit_b).content.decode()) == []
