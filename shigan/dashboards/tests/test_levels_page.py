"""下级对比 (issue 17): a level's own figures beside each level directly below it, each
subordinate row counting its whole subtree, a total, drill-down within the viewer's scope, every
cell linking to a list page that shows what it counts; 404 for anyone else; a fixed number of
queries whatever the number of levels and records.

The world (levels_world): 示范市 › 甲县 › 东区, 西区, each level with tasks of known statuses
on 2023-07-31, decisions, open findings, indicators, June reports filed or not, and the county's
hand-downs (2 to 东区, 1 to 西区) waiting to be accepted."""

import copy
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.test import Client

from shigan.core.figures_cache import clear_caches
from shigan.dashboards.access import (
    can_view_levels,
    is_operator,
    level_for_user,
    levels_below_exist,
)
from shigan.orgs.models import Unit, UnitKind
from shigan.testing import make_task
from shigan.tests.test_nav import bar

from .levels_world import (
    CITY,
    COUNTY,
    EAST,
    TODAY,
    WEST,
    build_world,
)

URL = "/map/levels/"
STATUS_KEYS = ["overdue", "behind", "nearing", "on_track", "not_started", "done", "cancelled"]
OTHER_KEYS = ["tasks", "indicators", "decisions", "findings", "reports", "handdowns"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHIGAN_TODAY", TODAY)
        with django_db_blocker.unblock(), transaction.atomic():
            levels = build_world()
            cookies = {}
            for level in levels.values():
                for role, user in level.users.items():
                    client = Client()
                    client.force_login(user)
                    cookies[(level.name, role)] = client.cookies
            yield levels, cookies
            transaction.set_rollback(True)


@pytest.fixture
def levels(db, world, settings, monkeypatch):
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    # Tests add records through the ORM, without the audit entries a service writes, which the
    # day's campaign counts (dashboards.campaign_counts) are kept by: each starts without them.
    clear_caches()
    return world[0]


def client_of(world, level: str, role: str = "coordinator") -> Client:
    client = Client()
    client.cookies = copy.deepcopy(world[1][(level, role)])
    return client


def table(html: str) -> dict[str, dict[str, str]]:
    """Row key (own-<id>, sub-<id>, total) → cell key → its text."""
    rows = {}
    for key, body in re.findall(r'<tr class="level-\w+" data-row="([^"]+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r'data-cell="(\w+)"[^>]*>(.*?)</td>', body, re.S)
        rows[key] = {k: re.sub(r"<[^>]+>", " ", v).split()[0] for k, v in cells}
    return rows


def numbers(row: dict) -> dict:
    return {k: row[k] for k in STATUS_KEYS + ["tasks", "findings", "reports", "handdowns"]}


def test_county_rows_state_each_levels_figures(levels, world):
    """本级 = the county's own units; each district its own; the total their sum."""
    html = client_of(world, COUNTY).get(URL).content.decode()
    rows = table(html)
    east, west = levels[EAST].root.pk, levels[WEST].root.pk
    own = rows[f"own-{levels[COUNTY].root.pk}"]
    # County: overdue + done tasks, decisions 1 done 1 open (正常), 1 finding (正常 task).
    assert numbers(own) == {
        "overdue": "1", "behind": "0", "nearing": "0", "on_track": "2", "not_started": "0",
        "done": "2", "cancelled": "0", "tasks": "5", "findings": "1", "reports": "1",
        "handdowns": "0",
    }  # fmt: skip
    assert numbers(rows[f"sub-{east}"]) == {
        "overdue": "2", "behind": "1", "nearing": "1", "on_track": "5", "not_started": "0",
        "done": "2", "cancelled": "0", "tasks": "11", "findings": "2", "reports": "1",
        "handdowns": "2",
    }  # fmt: skip
    assert numbers(rows[f"sub-{west}"]) == {
        "overdue": "0", "behind": "0", "nearing": "0", "on_track": "3", "not_started": "1",
        "done": "5", "cancelled": "0", "tasks": "9", "findings": "1", "reports": "0",
        "handdowns": "1",
    }  # fmt: skip
    total = numbers(rows["total"])
    for key in total:
        assert int(total[key]) == sum(int(numbers(rows[r])[key]) for r in rows if r != "total")
    # Indicators against 序时进度; decisions' 完成率 with its base, counts only under 5.
    assert "达序时0 · 落后1 · 未填报1" in html and "达序时1 · 落后1 · 未填报0" in html
    assert "完成1/2项" in html  # the county: 2 decisions, under SMALL_BASE: no percentage
    assert "40.0%" in html and "完成2/5项" in html  # 东区
    assert "80.0%" in html and "完成4/5项" in html  # 西区
    assert "58.3%" in html and "完成7/12项" in html  # the total: 7 of 12, recomputed


def test_a_subordinate_row_is_the_sum_of_its_subtree(levels, world):
    """The city's row for 甲县 counts the county and its two districts: the county page's
    total, cell for cell; the city's own row its own task only."""
    city_rows = table(client_of(world, CITY).get(URL).content.decode())
    county_rows = table(client_of(world, COUNTY).get(URL).content.decode())
    county_row = city_rows[f"sub-{levels[COUNTY].root.pk}"]
    assert county_row == county_rows["total"]
    assert county_row["tasks"] == "25" and county_row["findings"] == "4"
    assert numbers(city_rows[f"own-{levels[CITY].root.pk}"])["on_track"] == "1"
    assert city_rows["total"]["tasks"] == "26"


def test_drill_down_into_the_county_with_a_breadcrumb(levels, world):
    city_client = client_of(world, CITY)
    county = levels[COUNTY].root
    response = city_client.get(f"{URL}?level={county.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert table(html) == table(client_of(world, COUNTY).get(URL).content.decode())
    crumbs = html[html.index("data-crumbs") : html.index("</nav>", html.index("data-crumbs"))]
    assert f'href="{URL}?level={levels[CITY].root.pk}"' in crumbs and "甲县党委政府" in crumbs
    # The city's row for the county links its figures to the drilled page.
    assert f'href="{URL}?level={county.pk}"' in city_client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("level", "role"),
    [(EAST, "coordinator"), (EAST, "inspector"), (COUNTY, "reporter"), (COUNTY, "leader")],
)
def test_404_without_levels_below_or_for_other_roles(levels, world, level, role):
    assert client_of(world, level, role).get(URL).status_code == 404


@pytest.mark.parametrize("raw", ["east", "city", "abc", "999999", "-1"])
def test_404_for_a_level_outside_scope_or_without_levels_below(levels, world, raw):
    wanted = {"east": levels[EAST].root.pk, "city": levels[CITY].root.pk}.get(raw, raw)
    assert client_of(world, COUNTY).get(f"{URL}?level={wanted}").status_code == 404


def test_access_functions(levels):
    county, east = levels[COUNTY], levels[EAST]
    assert can_view_levels(county.users["inspector"])
    assert not can_view_levels(east.users["coordinator"])
    assert not is_operator(county.users["coordinator"])
    assert levels_below_exist(county.root.pk) and not levels_below_exist(east.root.pk)
    assert level_for_user(county.users["coordinator"], "") == county.root
    with pytest.raises(Http404):
        level_for_user(county.users["coordinator"], str(levels[CITY].root.pk))


def test_inspector_reads_the_same_figures(levels, world):
    ours = table(client_of(world, COUNTY, "inspector").get(URL).content.decode())
    assert ours == table(client_of(world, COUNTY).get(URL).content.decode())


def test_operator_compares_every_top_level(levels, client_for):
    operator = get_user_model().objects.create_superuser("op", password="x" * 12)
    assert is_operator(operator) and can_view_levels(operator)
    rows = table(client_for(operator).get(URL).content.decode())
    assert list(rows) == [f"sub-{levels[CITY].root.pk}", "total"]
    assert rows[f"sub-{levels[CITY].root.pk}"]["tasks"] == "26"


def links(html: str) -> list[str]:
    body = html[html.index("data-levels") : html.index("</table>")]
    return sorted(set(re.findall(r'href="([^"]+)"', body.replace("&amp;", "&"))))


@pytest.mark.parametrize(
    ("level", "role"), [(CITY, "coordinator"), (COUNTY, "coordinator"), (COUNTY, "inspector")]
)
def test_every_cell_link_answers_for_its_viewer(levels, world, level, role):
    client = client_of(world, level, role)
    found = links(client.get(URL).content.decode())
    assert found
    for url in found:
        assert client.get(url).status_code == 200, url


def test_links_show_the_rows_counted(levels, world):
    client = client_of(world, COUNTY)
    east = levels[EAST].root.pk
    rows = {
        key: dict(re.findall(r'data-cell="(\w+)"><a href="([^"]+)"', body))
        for key, body in re.findall(
            r'data-row="([^"]+)">(.*?)</tr>', client.get(URL).content.decode(), re.S
        )
    }
    overdue = rows[f"sub-{east}"]["overdue"].replace("&amp;", "&")
    data = client.get(overdue).context["data"]
    assert [r.status.value for r in data.rows] == ["overdue", "overdue"]
    findings = client.get(rows[f"sub-{east}"]["findings"].replace("&amp;", "&")).context
    assert findings["total"] == 2
    every = client.get(rows[f"sub-{east}"]["tasks"].replace("&amp;", "&")).context["data"]
    assert every.total == 11
    # 西区's one hand-down waiting: its upper task's page, where 西区 is listed; 东区 waits on
    # two upper tasks: no single page to show them (a district row has no drill-down).
    west = rows[f"sub-{levels[WEST].root.pk}"]["handdowns"]
    assert west == f"/directives/task/{levels[COUNTY].tasks[0].pk}/"
    assert "西区党委政府" in client.get(west).content.decode()
    assert "handdowns" not in rows[f"sub-{east}"]


def test_finding_list_level_filter_never_widens_the_scope(levels, world):
    """?level= of a level outside the viewer's scope lists nothing of it."""
    client = client_of(world, EAST)
    response = client.get(f"/supervision/findings/?level={levels[WEST].root.pk}")
    assert response.status_code == 200 and response.context["total"] == 0
    mine = client.get(f"/supervision/findings/?level={levels[EAST].root.pk}").context["total"]
    assert mine == 2


def test_nav_offers_it_under_more_to_those_with_levels_below(levels, world):
    for level, role in [(COUNTY, "coordinator"), (COUNTY, "inspector"), (CITY, "coordinator")]:
        main, more, _ = bar(client_of(world, level, role))
        assert "下级对比" in more and "下级对比" not in main
    for level, role in [(EAST, "coordinator"), (COUNTY, "leader"), (COUNTY, "reporter")]:
        main, more, _ = bar(client_of(world, level, role))
        assert "下级对比" not in main + more


def test_cockpit_links_to_it_for_those_with_levels_below(levels, world):
    assert "data-levels-link" in client_of(world, COUNTY).get("/map/cockpit/").content.decode()
    assert "data-levels-link" not in client_of(world, EAST).get("/map/cockpit/").content.decode()


def test_as_of_counts_what_was_known_then(levels, world):
    rows = table(client_of(world, COUNTY).get(f"{URL}?as_of=2023-06-15").content.decode())
    east = rows[f"sub-{levels[EAST].root.pk}"]
    assert east["overdue"] == "0"  # due 2023-07-01: not yet overdue on 6-15
    bad = client_of(world, COUNTY).get(f"{URL}?as_of=2023-13-40")
    assert bad.status_code == 200 and "统计日期" in bad.content.decode()


def cell_link(html: str, row: str, key: str) -> str:
    body = dict(re.findall(r'data-row="([^"]+)">(.*?)</tr>', html, re.S))[row]
    found = dict(re.findall(r'data-cell="(\w+)"[^>]*><a href="([^"]+)"', body))
    return found.get(key, "").replace("&amp;", "&")


def late_rows(html: str) -> dict[str, tuple[str, str]]:
    """Unit name → (the row it counts in, 未报) of the late units' list."""
    found = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td>.*?data-cell="missing">(\d+)<', html, re.S
    )
    return {name: (branch, missing) for name, branch, missing in found}


@pytest.mark.parametrize("level", [CITY, COUNTY])
def test_the_totals_late_units_link_lists_them(levels, world, level):
    """合计's 逾期未报单位 (2: 甲县's bureau and 东区's, none of their June reports filed; the
    city's and 西区's filed) links to the list of those units, each with the row it counts in,
    as the other cells link down; nothing before the deadline; 404 outside the scope."""
    client = client_of(world, level)
    html = client.get(URL).content.decode()
    assert table(html)["total"]["reports"] == "2"
    url = cell_link(html, "total", "reports")
    assert url.startswith("/map/levels/late/")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and "6月逾期未报单位" in page
    due = {EAST: "11", COUNTY: "5"}  # every task of theirs (those done closed in July)
    rows = late_rows(page)
    if level == COUNTY:
        assert rows == {
            "甲县交通局": ("本级", due[COUNTY]),
            "东区交通局": ("东区党委政府", due[EAST]),
        }
    else:  # the city's row for the county counts both
        assert rows == {
            "甲县交通局": ("甲县党委政府", due[COUNTY]),
            "东区交通局": ("甲县党委政府", due[EAST]),
        }
    early = client.get(f"{url}{'&' if '?' in url else '?'}as_of=2023-07-03").content.decode()
    assert "截止日未到" in early and not late_rows(early)
    east = levels[EAST].root.pk
    assert client_of(world, EAST).get(f"/map/levels/late/?level={east}").status_code == 404


def test_a_task_of_a_unit_deep_in_a_level_counts_in_its_levels_row(levels, world):
    """Tasks are counted by the lead unit's level (levels._tally_tasks): a task of 东区交通局's
    路政科 (two units below 东区) is in 东区's row on the county's page and in 甲县's on the
    city's, as the district's own tasks are."""
    east = levels[EAST]
    section = Unit.objects.create(name="东区路政科", kind=UnitKind.BUREAU, parent=east.bureau)
    make_task(
        campaign=east.campaign, category=east.category, unit=section, title="路政任务", number=99
    )
    county_rows = table(client_of(world, COUNTY).get(URL).content.decode())
    assert county_rows[f"sub-{east.root.pk}"]["tasks"] == "12"  # was 11
    assert county_rows[f"own-{levels[COUNTY].root.pk}"]["tasks"] == "5"
    city_rows = table(client_of(world, CITY).get(URL).content.decode())
    assert city_rows[f"sub-{levels[COUNTY].root.pk}"]["tasks"] == "26"  # was 25
    assert city_rows["total"]["tasks"] == "27"
