"""The cockpit names the scope of a card counting the user's whole level by the level's kind,
read from its 党委政府 unit's name: 全县 for a county's coordinator, 全市 for a city's, 全区 for a
district's (it said 全区 for every level); a county's card counting its own campaign's records
only says 本级."""

import datetime

import pytest
from django.utils import timezone

from shigan.directives.tests.factories import build_county
from shigan.indicators.models import Actual, Indicator, IndicatorYear, MeasureUnit
from shigan.orgs.level_words import level_wide, level_wide_word
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.testing import make_user

URL = "/map/cockpit/"


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("甲县", "全县"),
        ("示范县党委政府", "全县"),
        ("某市", "全市"),
        ("某市人民政府", "全市"),
        ("示范区党委政府", "全区"),
        ("市北区党委政府", "全区"),  # the level's own kind is the last one named
        ("某某自治州党委", "全州"),
        ("某省", "全省"),
        ("党委政府", "本级"),  # says no kind
    ],
)
def test_level_wide_word_names_the_kind_of_level(name, word):
    assert level_wide_word(name) == word


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def test_county_coordinator_sees_quan_xian_district_coordinator_quan_qu(db, client_for):
    county = build_county(1, name="甲县")
    page = client_for(county.coordinator).get(URL + f"?campaign={county.campaign.pk}")
    html = page.content.decode()
    assert "范围：<b data-scope>全县</b>" in html
    cards = {c.key: c for c in page.context["data"].cards}
    # The cards over its subtree say 全县; those of its own campaign's records only say 本级.
    assert cards["tasks"].scope_tag == cards["findings"].scope_tag == "全县"
    assert cards["decisions"].scope_tag == cards["indicators"].scope_tag == "全县"
    assert cards["media_reports"].scope_tag == cards["investment"].scope_tag == "本级"
    assert cards["meetings"].scope_tag == cards["inspections"].scope_tag == "本级"
    assert "全区" not in html
    district = county.districts[0]
    assert level_wide(district.coordinator) == "全区"


def test_city_coordinator_sees_quan_shi(db, client_for, django_assert_num_queries):
    city = Unit.objects.create(name="某市党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    force = Unit.objects.create(name="市作风办", kind=UnitKind.TASK_FORCE, parent=city)
    user, _ = make_user("city_coord", unit=force, role=Role.COORDINATOR, name="市专班")
    user = type(user).objects.get(pk=user.pk)
    level_wide(user)  # the person, his unit and its district: one query
    with django_assert_num_queries(0):
        assert level_wide(user) == "全市"


def test_county_cockpit_names_each_indicators_level(db, client_for):
    """The county's 主要指标 card lists its own 固定资产投资 and its district's, each named by
    its level; the district's coordinator (one level) reads the name alone."""
    county = build_county(1, name="甲县")
    district = county.districts[0]
    filed = timezone.make_aware(datetime.datetime(2023, 7, 5))
    for unit in (county.office, district.bureau):
        indicator = Indicator.objects.create(
            name="固定资产投资", measure_unit=MeasureUnit.WAN_YUAN, responsible_unit=unit
        )
        IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=1000)
        actual = Actual.objects.create(
            indicator=indicator, year=2023, month=6, value=100, unit=unit
        )
        Actual.objects.filter(pk=actual.pk).update(submitted_at=filed)
    page = client_for(county.coordinator).get(URL + f"?campaign={county.campaign.pk}")
    card = {c.key: c for c in page.context["data"].cards}["indicators"]
    assert sorted(f.name for f in card.figures) == [
        "固定资产投资（甲县党委政府）",
        "固定资产投资（第1区党委政府）",
    ]
    assert sorted(i.label for i in card.items) == sorted(f.name for f in card.figures)
    page = client_for(district.coordinator).get(URL + f"?campaign={district.campaign.pk}")
    card = {c.key: c for c in page.context["data"].cards}["indicators"]
    assert [f.name for f in card.figures] == ["固定资产投资"]
