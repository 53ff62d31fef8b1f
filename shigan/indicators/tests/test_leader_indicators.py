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


def test_only_a_leader_has_overseen_indicator_units(world):
    users = all_personas(world)
    assert answers(users, indicator_units_overseen) == {
        **only(no=set()),
        "leader": {world.unit_a.pk},
    }
    assert answers(users, reads_district_indicators) == only("leader")


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
    assert "全区主要指标（只读）；标「分管」的 2 项由您分管的单位负责，只看这些。" in text_of(
        response
    )
    mine = client.get(URL + "?mine=1")
    assert set(rows_by_name(mine)) == {"固定资产投资", "生猪存栏"}
    assert "当前只看您分管单位负责的 2 项，看全区。" in text_of(mine)
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
