"""A leader reads his district's headline indicators (read-only), his overseen units' marked and
filterable; another district's do not exist for him (issue 15: his indicator table was empty).

World: the leader oversees unit A; investment and hogs are unit A's, output unit B's."""

import re

import pytest

from shigan.indicators.access import (
    can_manage_indicators,
    can_report_indicator,
    get_indicator_for_user,
    indicator_units_overseen,
    indicators_visible_to,
    reads_district_indicators,
)
from shigan.indicators.models import Indicator
from shigan.orgs.models import Oversight, Role, Unit, UnitKind
from shigan.testing import make_user
from shigan.tests.personas import all_personas, answers, only

from .conftest import make_indicator
from .test_pages_dashboard import figures, rows_by_name  # noqa: F401  (the fixture)

URL = "/indicators/"


@pytest.fixture
def elsewhere(db):
    """A second district with its own leader and indicator."""
    district = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    bureau = Unit.objects.create(name="邻区统计局", kind=UnitKind.BUREAU, parent=district)
    leader, person = make_user("other_leader", unit=district, role=Role.LEADER, name="邻区领导")
    Oversight.objects.create(leader=person, unit=bureau)
    indicator = make_indicator("邻区地区生产总值", bureau)
    return leader, indicator


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_leader_reads_every_indicator_of_his_district_and_no_other(ind, world, elsewhere):
    other_leader, other_indicator = elsewhere
    names = set(
        indicators_visible_to(world.leader, Indicator.objects.all()).values_list("name", flat=True)
    )
    assert names == {"固定资产投资", "规模以上工业总产值", "生猪存栏"}
    theirs = indicators_visible_to(other_leader, Indicator.objects.all())
    assert list(theirs.values_list("name", flat=True)) == ["邻区地区生产总值"]
    assert get_indicator_for_user(world.leader, ind.output.pk) == ind.output  # unit B's


def test_leaders_and_reporters_have_their_own_indicator_units(world):
    users = all_personas(world)
    assert answers(users, indicator_units_overseen) == {
        **only(no=set()),
        "leader": {world.unit_a.pk},
        "reporter_a": {world.unit_a.pk},
        "reporter_b": {world.unit_b.pk},
    }
    assert answers(users, reads_district_indicators) == only("leader", "reporter_a", "reporter_b")


def test_reporter_reads_the_districts_indicators_read_only(figures, world, client_for):  # noqa: F811
    """A unit reporter (issue 15 review: told 共 0 项指标, 暂无指标): the district's rows, his own
    unit's tagged 本单位 and reportable; another unit's readable, not editable nor reportable."""
    client = client_for(world.reporter_b)
    response = client.get(URL)
    assert set(rows_by_name(response)) == {"固定资产投资", "规模以上工业总产值", "生猪存栏"}
    html = response.content.decode()
    assert html.count('<span class="ind-mine-tag"') == 1  # output: unit B's
    assert "标「本单位」的1项由本单位负责、填报" in text_of(response)
    assert "暂无指标" not in html and "Excel导入" in html
    investment = figures.investment  # unit A's
    assert client.get(f"/indicators/{investment.pk}/").status_code == 200
    detail = client.get(f"/indicators/{investment.pk}/")
    assert detail.context["may_report"] is False and detail.context["may_edit"] is False
    assert client.get(f"/indicators/{investment.pk}/edit/").status_code == 403


def test_reporter_without_indicators_gets_no_import_buttons(figures, world, client_for):  # noqa: F811
    """A unit responsible for no indicator: the table read-only, no template nor import offered."""
    from shigan.indicators.models import Indicator as Ind

    Ind.objects.filter(responsible_unit=world.unit_b).update(responsible_unit=world.unit_a)
    response = client_for(world.reporter_b).get(URL)
    html = response.content.decode()
    assert len(rows_by_name(response)) == 3
    assert "下载填报模板" not in html and "Excel导入" not in html
    assert "全区主要指标（只读）；其中没有本单位负责的指标" in text_of(response)


def test_another_districts_indicator_does_not_exist_for_a_reporter(
    ind, world, client_for, elsewhere
):
    _, other_indicator = elsewhere
    client = client_for(world.reporter_b)
    assert client.get(f"/indicators/{other_indicator.pk}/").status_code == 404
    assert "邻区地区生产总值" not in client.get(URL).content.decode()


def test_leader_may_read_but_not_edit_or_report_another_units_indicator(ind, world, client_for):
    client = client_for(world.leader)
    assert not can_manage_indicators(world.leader)
    assert not can_report_indicator(world.leader, ind.output)
    detail = client.get(f"/indicators/{ind.output.pk}/")
    assert detail.status_code == 200
    assert detail.context["may_report"] is False and detail.context["may_edit"] is False
    assert f'href="/indicators/{ind.output.pk}/edit/' not in detail.content.decode()
    assert client.get(f"/indicators/{ind.output.pk}/edit/").status_code == 403
    assert client.get(f"/indicators/{ind.output.pk}/year/").status_code == 403
    assert client.get("/indicators/import/").status_code == 403


def test_another_districts_indicator_does_not_exist_for_him(ind, world, client_for, elsewhere):
    _, other_indicator = elsewhere
    client = client_for(world.leader)
    assert client.get(f"/indicators/{other_indicator.pk}/").status_code == 404
    assert client.get(f"/indicators/{other_indicator.pk}/edit/").status_code in {403, 404}
    assert "邻区地区生产总值" not in client.get(URL).content.decode()


def test_leaders_table_has_the_districts_rows_his_marked(figures, world, client_for):  # noqa: F811
    client = client_for(world.leader)
    response = client.get(URL)
    rows = rows_by_name(response)
    assert set(rows) == {"固定资产投资", "规模以上工业总产值", "生猪存栏"}
    html = response.content.decode()
    assert html.count('<span class="ind-mine-tag"') == 2  # investment and hogs: unit A's
    assert "全区主要指标（只读）；标「分管」的2项由您分管的单位负责，只看这些。" in text_of(
        response
    )
    mine = client.get(URL + "?mine=1")
    assert set(rows_by_name(mine)) == {"固定资产投资", "生猪存栏"}
    assert "当前只看您分管单位负责的2项，看全区。" in text_of(mine)
    # no editing for him: neither the set-up nor the import buttons
    assert "指标设置</a>" not in html and "Excel导入" not in html


def test_coordinator_sees_no_leader_marks_and_mine_is_ignored(figures, world, client_for):  # noqa: F811
    client = client_for(world.coordinator)
    response = client.get(URL + "?mine=1")
    assert len(rows_by_name(response)) == 3
    assert "ind-mine-tag" not in response.content.decode()
    assert "data-leader-note" not in response.content.decode()


def test_status_tiles_are_worst_first(figures, world, client_for):  # noqa: F811
    response = client_for(world.leader).get(URL)
    tiles = [(s.value, n) for s, n in response.context["tiles"]]
    assert [value for value, _ in tiles] == ["red", "yellow", "green", "missing", "grey"]
    statuses = [row.status.value for row in response.context["rows"]]
    assert tiles == [(value, statuses.count(value)) for value, _ in tiles]
    assert (statuses.count("red"), statuses.count("yellow")) == (2, 1)
    html = response.content.decode()
    assert html.index("ind-tile-red") < html.index("ind-tile-yellow") < html.index("ind-tile-green")


@pytest.fixture
def demo(db, monkeypatch):
    import datetime

    from shigan.demo.district import load_demo

    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo(today=datetime.date(2023, 7, 31))


def test_demo_unit_reporters_read_the_districts_twelve_indicators(demo, client):
    """Issue 15 review: tianbao (交通建设办) and cunbao were told 共 0 项指标 / 暂无指标 while the
    district has 12; their cockpit said 2023年暂无指标数据."""
    from django.urls import reverse

    from shigan.indicators.access import indicators_for_report
    from shigan.orgs.models import Person

    for username in ("tianbao", "cunbao"):
        client.login(username=username, password="shigan-demo-2023")
        response = client.get(URL)
        assert len(response.context["rows"]) == 12, username
        html = response.content.decode()
        assert "共12项指标" in text_of(response) and "暂无指标" not in html, username
        user = Person.objects.get(user__username=username).user
        reports = indicators_for_report(user).exists()
        assert ("Excel导入" in html) is reports and ("下载填报模板" in html) is reports, username
        cockpit = client.get(reverse("dashboards:cockpit")).context["data"]
        card = next(c for c in cockpit.cards if c.key == "indicators")
        assert not card.empty and len(card.figures) == 12, username
        assert card.scope_tag, username  # 全区 beside his unit's cards
        client.logout()
