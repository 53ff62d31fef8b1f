"""An upper level's indicator through the API as its pages show it (indicators.rolled): the
county's 固定资产投资, filed by none of its own, is its districts' sum (下级汇总) — on the list as
the indicator table's value, on the detail with each district's part and those not filed."""

from decimal import Decimal

import pytest

from shigan.indicators.models import Actual
from shigan.indicators.tests.conftest import today  # noqa: F401 — the pinned day
from shigan.indicators.tests.test_pages_lower import YEAR, add_district, levels  # noqa: F401

pytestmark = pytest.mark.django_db


def num(text):
    return None if text is None else Decimal(text)


@pytest.fixture
def api(levels, token_client):  # noqa: F811
    return token_client(levels.coordinator, scope="read")[0]


def test_the_countys_figure_is_its_districts_sum_with_the_missing_named(levels, api):  # noqa: F811
    body = api.get(f"/api/v1/indicators/{levels.upper.pk}?year={YEAR}&month=7").json()
    assert (num(body["value"]), body["value_source"]) == (700, "lowers")
    assert body["missing_label"] == "1个区未报" and body["status"] == "missing"
    rolled = body["rolled"]
    assert (num(rolled["value"]), num(rolled["target"])) == (700, 2400)
    assert rolled["target_source_label"] == "下级目标之和" and rolled["complete"] is False
    assert rolled["missing_label"] == "1个区未报" and rolled["completion_pct"] is None
    assert [(p["indicator_id"], num(p["value"])) for p in rolled["parts"]] == [
        (levels.lowers[0].pk, 700),
        (levels.lowers[1].pk, None),
    ]
    assert [p["indicator_id"] for p in rolled["missing"]] == [levels.lowers[1].pk]
    listed = api.get(f"/api/v1/indicators?year={YEAR}&month=7").json()["items"]
    county = next(i for i in listed if i["id"] == levels.upper.pk)
    assert (num(county["value"]), county["value_source"], county["missing_label"]) == (
        700, "lowers", "1个区未报",
    )  # fmt: skip


def test_a_complete_sum_is_judged_against_the_lowers_targets(levels, api):  # noqa: F811
    Actual.objects.create(
        indicator=levels.lowers[1], year=YEAR, month=7, value=Decimal(50), unit=levels.county
    )
    rolled = api.get(f"/api/v1/indicators/{levels.upper.pk}?year={YEAR}&month=7").json()
    # 750 of 2400 = 31.3%, 序时进度 7/12 = 58.3%: 27.0 points behind, red (as the page)
    assert num(rolled["value"]) == 750 and rolled["status"] == "red"
    section = rolled["rolled"]
    assert (section["completion_pct"], section["time_progress_pct"]) == ("31.3", "58.3")
    assert (section["gap_points"], section["status"], section["missing"]) == ("-27.0", "red", [])


def test_a_district_reads_no_rolled_section_and_not_the_countys_parts(levels, token_client):  # noqa: F811
    district, _ = token_client(levels.coordinators[0], scope="read")
    body = district.get(f"/api/v1/indicators/{levels.lowers[0].pk}?year={YEAR}&month=7").json()
    assert body["rolled"] is None and body["value_source"] == "own"
    assert district.get(f"/api/v1/indicators/{levels.upper.pk}").status_code == 404
