"""A unit's district (the nearest 党委政府 at or above it) and names unique within a district."""

import pytest
from django.db import IntegrityError, transaction

from shigan.orgs.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _unit(name, kind=UnitKind.BUREAU, parent=None, **extra):
    return Unit.objects.create(name=name, kind=kind, parent=parent, **extra)


def test_a_district_is_its_own_and_the_units_below_belong_to_it():
    district = _unit("甲区党委政府", UnitKind.PARTY_GOVERNMENT)
    town = _unit("甲镇", UnitKind.TOWNSHIP, district)
    village = _unit("甲村", UnitKind.VILLAGE, town)
    for unit in (district, town, village):
        unit.refresh_from_db()
        assert unit.district_id == district.pk


def test_a_district_below_a_city_is_its_own_district():
    city = _unit("某市党委政府", UnitKind.PARTY_GOVERNMENT)
    bureau = _unit("市水务局", UnitKind.BUREAU, city)
    district = _unit("乙区党委政府", UnitKind.PARTY_GOVERNMENT, city)
    station = _unit("水务站", UnitKind.BUREAU, district)
    assert Unit.objects.get(pk=bureau.pk).district_id == city.pk
    assert Unit.objects.get(pk=station.pk).district_id == district.pk


def test_a_root_that_is_no_party_government_is_its_own_district():
    root = _unit("独立单位")
    assert Unit.objects.get(pk=root.pk).district_id == root.pk


def test_two_districts_may_both_have_a_water_station_one_district_may_not():
    first = _unit("甲区党委政府", UnitKind.PARTY_GOVERNMENT)
    second = _unit("乙区党委政府", UnitKind.PARTY_GOVERNMENT)
    _unit("水务站", parent=first, code="SW01")
    _unit("水务站", parent=second, code="SW01")
    with pytest.raises(IntegrityError), transaction.atomic():
        _unit("水务站", parent=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        _unit("另一个站", parent=first, code="SW01")
    _unit("无编码一", parent=first)
    _unit("无编码二", parent=first)  # blank codes never collide


def test_moving_a_unit_to_another_district_moves_its_subtree():
    first = _unit("甲区党委政府", UnitKind.PARTY_GOVERNMENT)
    second = _unit("乙区党委政府", UnitKind.PARTY_GOVERNMENT)
    town = _unit("丙镇", UnitKind.TOWNSHIP, first)
    village = _unit("丙村", UnitKind.VILLAGE, town)
    hamlet = _unit("丙组", UnitKind.VILLAGE, village)
    town.parent = second
    town.save()
    for unit in (town, village, hamlet):
        assert Unit.objects.get(pk=unit.pk).district_id == second.pk
    town.parent = first
    town.save(update_fields=["parent"])
    assert Unit.objects.get(pk=hamlet.pk).district_id == first.pk


def test_a_unit_that_becomes_a_district_takes_its_subtree_along():
    city = _unit("某市党委政府", UnitKind.PARTY_GOVERNMENT)
    county = _unit("丁县", UnitKind.OFFICE, city)
    office = _unit("丁县办公室", UnitKind.OFFICE, county)
    county.kind = UnitKind.PARTY_GOVERNMENT
    county.save()
    assert Unit.objects.get(pk=office.pk).district_id == county.pk
