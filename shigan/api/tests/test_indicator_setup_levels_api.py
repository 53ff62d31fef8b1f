"""An upper level's indicator rules through the API as on the 指标设置 pages: a district's
indicator rolls into its county's only with the same measure unit (the county's then keeps that
unit while it has lowers), and a district's indicator, its year's target included, is read-only
to its county (403, as the pages) while the district's own coordinator sets it up."""

from django.test import Client

from shigan.api.services import token_create
from shigan.indicators.models import Indicator
from shigan.indicators.rollup import LOWER_OTHER_UNIT, UPPER_OTHER_UNIT
from shigan.orgs.scope import LOWER_LEVEL_READ_ONLY
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST

from .versions import versioned

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels
JSON = "application/json"


def api_of(user) -> Client:
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t', scope='write')[1]}"
    )


def body(level, **fields) -> dict:
    return {
        "name": "规上工业增加值", "measure_unit": "wan_yuan", "category": "economy",
        "accumulation": "cumulative", "direction": "higher", "responsible_unit": level.bureau.pk,
    } | fields  # fmt: skip


def test_a_districts_indicator_rolls_into_its_countys_of_the_same_unit(levels):
    east, county = levels[EAST], levels[COUNTY]
    api = api_of(east.users["coordinator"])
    other_unit = api.post(
        "/api/v1/indicators",
        body(east, measure_unit="yi_yuan", upper=county.indicator.pk),
        content_type=JSON,
    )
    assert other_unit.status_code == 422, other_unit.content
    assert [e["field"] for e in other_unit.json()["errors"]] == ["upper"]
    assert other_unit.json()["detail"] == UPPER_OTHER_UNIT.format(upper="万元", own="亿元")
    rolled = api.post(
        "/api/v1/indicators", body(east, upper=county.indicator.pk), content_type=JSON
    )
    assert rolled.status_code == 201, rolled.content
    assert rolled.json()["upper_id"] == county.indicator.pk
    # The county's indicator now has a lower in 万元: its unit stays.
    county_api = api_of(county.users["coordinator"])
    shown = county_api.get(f"/api/v1/indicators/{county.indicator.pk}").json()
    changed = county_api.put(
        f"/api/v1/indicators/{county.indicator.pk}",
        body(county, name=shown["name"], measure_unit="yi_yuan", version=shown["version"]),
        content_type=JSON,
    )
    assert changed.status_code == 422, changed.content
    assert changed.json()["detail"] == LOWER_OTHER_UNIT.format(count=1, own="万元", new="亿元")
    assert Indicator.objects.get(pk=county.indicator.pk).measure_unit == "wan_yuan"


def test_a_districts_indicator_and_its_target_are_read_only_to_the_county(levels):
    east, county = levels[EAST], levels[COUNTY]
    county_api = api_of(county.users["coordinator"])
    theirs = east.indicator.pk
    assert county_api.get(f"/api/v1/indicators/{theirs}").status_code == 200  # it reads it
    for method, url, data in [
        ("put", f"/api/v1/indicators/{theirs}", body(east, name="改")),
        ("put", f"/api/v1/indicators/{theirs}/years/2023", {"annual_target": 1}),
        ("get", f"/api/v1/indicators/{theirs}/years/2023", None),
    ]:
        response = getattr(county_api, method)(url, data, content_type=JSON)
        assert response.status_code == 403, (url, response.content)
        assert response.json()["detail"] == LOWER_LEVEL_READ_ONLY
    own_url = f"/api/v1/indicators/{county.indicator.pk}/years/2023"
    own = county_api.put(own_url, versioned(own_url, {"annual_target": 500}), content_type=JSON)
    assert own.status_code == 200 and own.json()["annual_target"] == "500.0000"
    district = api_of(east.users["coordinator"])
    year_url = f"/api/v1/indicators/{theirs}/years/2023"
    target = district.put(year_url, versioned(year_url, {"annual_target": 120}), content_type=JSON)
    assert target.status_code == 200, target.content
