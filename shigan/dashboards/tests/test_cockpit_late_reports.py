"""An upper level's own cockpit shows 逾期未报: the units of its subtree still owing the month's
progress report after the deadline — the figure of 下级对比's 合计 row (levels.late_units, the
same rule and query), linking to the same list of those units. A district's cockpit and a
unit-filtered one have no such card (the filing board is theirs)."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from shigan.dashboards.levels import level_figures, level_tree

from .levels_world import CITY, COUNTY, EAST, TODAY, build_world
from .test_levels_page import late_rows

URL = "/map/cockpit/"
AS_OF = datetime.date(2023, 7, 31)


@pytest.fixture
def levels(db, settings, monkeypatch):
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    return build_world()


def late_card(response):
    return next((c for c in response.context["data"].cards if c.key == "late_reports"), None)


@pytest.mark.parametrize("name", [COUNTY, CITY])
@pytest.mark.parametrize("role", ["coordinator", "inspector"])
def test_upper_cockpit_counts_the_late_units_of_its_subtree(levels, client_for, name, role):
    """The documented world: 甲县's bureau and 东区's filed no June report (the city's and
    西区's did), so 2 on the county's and on the city's cockpit — 下级对比's 合计, and the rows
    of the list the card links to."""
    level = levels[name]
    user = level.users[role]
    client = client_for(user)
    card = late_card(client.get(f"{URL}?campaign={level.campaign.pk}"))
    fresh = get_user_model().objects.get(pk=user.pk)
    total = level_figures(fresh, level.root.pk, level_tree(level.root.pk), AS_OF).total
    assert card.value == total.reports_missing == 2
    assert card.url == "/map/levels/late/"
    assert set(late_rows(client.get(card.url).content.decode())) == {i.label for i in card.items}
    assert {i.label: i.value for i in card.items} == {"甲县交通局": "缺5项", "东区交通局": "缺11项"}
    assert card.note == "6月工作进展（7月7日截止）仍有任务未报的牵头单位"
    assert card.scope_tag == ("全县" if name == COUNTY else "全市")
    assert card.tone == "overdue"


def test_before_the_deadline_the_card_says_when_it_counts(levels, client_for):
    county = levels[COUNTY]
    response = client_for(county.users["coordinator"]).get(f"{URL}?as_of=2023-07-03")
    card = late_card(response)
    assert card.empty and card.url == "/map/levels/late/?as_of=2023-07-03"
    assert card.empty_text.startswith("6月工作进展7月7日截止：")


def test_no_card_on_a_districts_cockpit_or_a_unit_filter(levels, client_for):
    """东区 has no level below (its filing board lists its late units); the county filtered by
    a unit reads that unit's tasks only."""
    assert late_card(client_for(levels[EAST].users["coordinator"]).get(URL)) is None
    county = levels[COUNTY]
    unit = county.bureau.pk
    assert late_card(client_for(county.users["coordinator"]).get(f"{URL}?unit={unit}")) is None


@pytest.mark.django_db
def test_demo_countys_late_units_are_the_levels_pages_total(client_for, monkeypatch):
    """The demo's 云岭县 (xianzhuanban) on 2023-07-31: the card's figure is 合计's 逾期未报单位
    of 下级对比, more than none, and counts units of 示范区 (a level below) as well as the
    county's own — so a card counting the county's campaign or level only would differ."""
    from shigan.demo.district import load_demo

    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo()
    client = client_for(get_user_model().objects.get(username="xianzhuanban"))
    card = late_card(client.get(URL))
    total = client.get("/map/levels/").context["page"].rows[-1]
    assert total.kind == "total"
    assert card.value == int(total.cells["reports"].text) > 0
    listed = client.get(card.url).context["page"].rows
    assert len(listed) == card.value
    assert any(r.branch != "本级" for r in listed)  # a lower level's units count too
    html = client.get(URL).content.decode()
    assert 'data-card="late_reports"' in html and 'href="/map/levels/late/"' in html


@pytest.mark.django_db
def test_warm_cockpit_queries_do_not_grow_with_levels(client_for, settings, monkeypatch):
    """With the campaigns' figures of the day kept (warm: the page requested once since the
    last write), the county's cockpit and its late card make the same number of queries with
    2 districts and with 5."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .test_levels_queries import _grow

    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    county = build_world()[COUNTY]
    client = client_for(county.users["coordinator"])
    counts = []
    for grow in (lambda: None, lambda: _grow(county, 3)):
        grow()
        client.get(URL)  # counts what was written since
        with CaptureQueriesContext(connection) as warm:
            response = client.get(URL)
        counts.append(len(warm))
    assert counts[0] == counts[1] <= 40, counts
    assert late_card(response).value == 2 + 3
