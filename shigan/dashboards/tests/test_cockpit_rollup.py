"""An upper level's cockpit (工作总览) is its roll-up: on its own campaign, the task, decision,
finding and indicator cards count its whole subtree (every campaign of the year it reads), with
the figures of 下级对比's 合计 row on the same day, each linking to where exactly those records
are listed; the cards of its campaign's own records say 本级. A district's cockpit is unchanged.
(It counted only the county's own campaign: 0 逾期 while 下级对比 showed its district's.)"""

import datetime
from functools import partial

import pytest
from django.contrib.auth import get_user_model

from shigan.core.testing import assert_same_queries, get_page
from shigan.dashboards.level_rows import levels_page
from shigan.dashboards.levels import level_figures, level_tree
from shigan.indicators.calc import IndicatorStatus
from shigan.tasks.status import TaskStatus

from .levels_world import CITY, COUNTY, EAST, TODAY, WEST, build_world
from .test_levels_queries import _grow, cold

URL = "/map/cockpit/"
AS_OF = datetime.date(2023, 7, 31)


@pytest.fixture
def levels(db, settings, monkeypatch):
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    return build_world()


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def cards_of(response) -> dict:
    return {c.key: c for c in response.context["data"].cards}


def total_figures(user, level):
    """下级对比's 合计 row of `level` for `user` on AS_OF."""
    root = level.root.pk
    return level_figures(fresh(user), root, level_tree(root), AS_OF).total


@pytest.mark.parametrize("name", [COUNTY, CITY])
@pytest.mark.parametrize("role", ["coordinator", "inspector"])
def test_upper_cockpit_states_the_levels_pages_total(levels, client_for, name, role):
    level = levels[name]
    user = level.users[role]
    cards = cards_of(client_for(user).get(f"{URL}?campaign={level.campaign.pk}"))
    total = total_figures(user, level)
    tasks = cards["tasks"]
    assert {s: tasks.counts[s] for s in TaskStatus} == {s: total.tasks[s] for s in TaskStatus}
    assert tasks.value == total.task_total
    decisions = cards["decisions"]
    assert (decisions.value, int(dict((i.label, i.value) for i in decisions.items)["已完成"])) == (
        total.decisions.total,
        total.decisions.done,
    )
    assert cards["findings"].value == total.findings_open
    indicators = cards["indicators"].counts
    for status in (IndicatorStatus.GREEN, IndicatorStatus.MISSING):
        assert indicators[status] == total.indicators[status]
    behind = (IndicatorStatus.RED, IndicatorStatus.YELLOW)
    assert sum(indicators[s] for s in behind) == sum(total.indicators[s] for s in behind)
    for key in ("tasks", "decisions", "findings", "indicators"):
        assert cards[key].scope_tag == ("全县" if name == COUNTY else "全市"), key
    for key in ("meetings", "media_reports", "inspections", "notices", "study"):
        assert cards[key].scope_tag == "本级", key


def test_county_figures_are_its_districts_as_well(levels, client_for):
    """The documented world: the county's own tasks (逾期, 完成) and both districts' — 东区's
    two 逾期, 西区's none — so 逾期 3; its decisions 1+2+4 done of 2+5+5."""
    county = levels[COUNTY]
    response = client_for(county.users["coordinator"]).get(URL)
    cards = cards_of(response)
    assert cards["tasks"].counts[TaskStatus.OVERDUE] == 3
    assert cards["tasks"].note == "本级和下级2023年各活动 · 逾期、滞后共4项"
    assert (cards["decisions"].value, cards["decisions"].note) == (12, "完成率 58.3%")
    assert cards["findings"].value == 1 + 2 + 1
    band = {b.key: b.count for b in response.context["data"].band}
    assert band["overdue"] == 3 and band["behind"] == 1 and band["nearing"] == 1
    page = levels_page(fresh(county.users["coordinator"]), county.root, AS_OF, "")
    total_row = page.rows[-1]
    assert total_row.kind == "total"
    assert dict((s, int(c.text)) for s, c in total_row.status_cells)[TaskStatus.OVERDUE] == 3


def listed(client, url: str) -> int:
    """How many records the page at `url` lists."""
    response = client.get(url)
    assert response.status_code == 200, url
    if url.startswith("/map/?"):
        return response.context["data"].shown
    return response.context["total"]  # the finding list


def test_each_figure_links_to_exactly_its_records(levels, client_for):
    county = levels[COUNTY]
    client = client_for(county.users["coordinator"])
    response = client.get(URL)
    cards = cards_of(response)
    tasks = cards["tasks"]
    for item in tasks.items:
        status = TaskStatus(item.tone)
        if item.url == "/map/levels/":  # several campaigns: each level's share there
            continue
        assert listed(client, item.url) == tasks.counts[status], item.label
    # 逾期: the county's own and 东区's (two campaigns) → 下级对比, which breaks them down.
    overdue = next(i for i in tasks.items if i.tone == "overdue")
    assert overdue.url == "/map/levels/" and tasks.url == "/map/levels/"
    # 临期 and 滞后: 东区's campaign only → its battle map lists them.
    behind = next(i for i in tasks.items if i.tone == "behind")
    assert behind.url.startswith(f"/map/?campaign={levels[EAST].campaign.pk}&")
    assert listed(client, behind.url) == 1
    findings = cards["findings"]
    for item in findings.items:
        assert listed(client, item.url) == int(item.value), item.label
    assert listed(client, findings.url) == findings.value  # every one open on this day
    band = {b.key: b.url for b in response.context["data"].band}
    assert band["overdue"] == overdue.url and band["behind"] == behind.url


def test_district_cockpit_is_its_own_campaigns(levels, client_for):
    """A district (no level below): its campaign only, tagged as before."""
    east = levels[EAST]
    cards = cards_of(client_for(east.users["coordinator"]).get(URL))
    assert cards["tasks"].value == 4 + 5 + 2  # its list tasks, decisions' and findings' tasks
    assert cards["tasks"].counts[TaskStatus.OVERDUE] == 2
    assert cards["tasks"].scope_tag == cards["findings"].scope_tag == ""
    assert cards["media_reports"].scope_tag == cards["meetings"].scope_tag == "全区"
    assert cards["inspections"].scope_tag == ""
    assert cards["tasks"].url == f"/map/?campaign={east.campaign.pk}"
    assert cards["decisions"].url == f"/meetings/decisions/?campaign={east.campaign.pk}"


def test_county_on_a_districts_campaign_names_that_district(levels, client_for):
    county, west = levels[COUNTY], levels[WEST]
    cards = cards_of(
        client_for(county.users["coordinator"]).get(f"{URL}?campaign={west.campaign.pk}")
    )
    assert cards["tasks"].value == 3 + 5 + 1  # 西区's campaign only
    assert cards["tasks"].scope_tag == cards["media_reports"].scope_tag == west.root.label
    assert cards["indicators"].scope_tag == "全县"  # indicators are not a campaign's


@pytest.mark.django_db
def test_upper_cockpit_queries_do_not_grow_with_levels(client_for, settings, monkeypatch):
    """A county with 2 districts, then 5 (and their records): the same count, with the
    campaigns' figures of the day not kept (cold: its late card reads them, as 下级对比 does;
    after a write only the written campaigns are counted again, dashboards.campaign_counts)."""
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    county = build_world()[COUNTY]
    client = client_for(county.users["coordinator"])
    response = assert_same_queries(
        cold(get_page(client, URL)), partial(_grow, county, 3), at_most=40, warm_up=True
    )
    cards = cards_of(response)
    assert cards["tasks"].counts[TaskStatus.OVERDUE] == 3 + 3
    # 逾期未报 (cockpit.late): 甲县's and 东区's bureaus, and each added district's (none filed).
    assert cards["late_reports"].value == 2 + 3 and cards["late_reports"].hidden == 0


@pytest.mark.django_db
def test_demo_countys_cockpit_states_its_districts_overdue_tasks(client_for, monkeypatch):
    """The demo's 云岭县 (xianzhuanban): 逾期 as 下级对比's 合计 says — 示范区's, not 0 — and
    each figure of its cards the same as there; 示范区's 专班 still sees its own campaign."""
    from shigan.demo.district import load_demo

    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo()
    users = get_user_model().objects
    county = client_for(users.get(username="xianzhuanban"))
    response = county.get(URL)
    cards = cards_of(response)
    total = county.get("/map/levels/").context["page"].rows[-1]
    assert total.kind == "total"
    by_status = {s: int(cell.text) for s, cell in total.status_cells}
    assert cards["tasks"].counts[TaskStatus.OVERDUE] == by_status[TaskStatus.OVERDUE] > 0
    assert {s: cards["tasks"].counts[s] for s in TaskStatus} == by_status
    assert cards["tasks"].value == int(total.cells["tasks"].text)
    assert cards["findings"].value == int(total.cells["findings"].text) > 0
    assert f"完成{cards['decisions'].items[0].value}/{cards['decisions'].value}项" in (
        total.cells["decisions"].hint or total.cells["decisions"].text
    )
    band = {b.key: b.count for b in response.context["data"].band}
    assert band["overdue"] == by_status[TaskStatus.OVERDUE]
    html = response.content.decode()
    assert '<span class="ck-tag">本级</span>' in html and '<span class="ck-tag">全县</span>' in html
    # A long figure (56400万元（下级汇总，含预计）) gets a line of its own on a phone (cockpit.css).
    assert html.count(" ck-fig-long") == 2
    response = client_for(users.get(username="zhuanban")).get(URL)
    district = cards_of(response)
    assert district["tasks"].scope_tag == "" and district["media_reports"].scope_tag == "全区"
    assert " ck-fig-long" not in response.content.decode()
    assert district["tasks"].value < cards["tasks"].value
