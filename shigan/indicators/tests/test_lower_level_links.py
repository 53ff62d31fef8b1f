"""A district's indicator records are read-only to its county (orgs.scope: writes stay at the
own level): the county's coordinator reads a district's indicator, key projects, key enterprises
and investment trips without their edit links (403), which the district's own coordinator still
sees (indicators.access.can_manage_indicator_record)."""

import datetime

import pytest

from shigan.indicators.access import can_manage_indicator_record
from shigan.indicators.models import InvestmentTrip, KeyEnterprise, KeyProject
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST, client_of, fresh

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels


@pytest.fixture
def records(levels):
    """Per level: its key enterprise, key project and investment trip."""
    made = {}
    for name in (COUNTY, EAST):
        level = levels[name]
        enterprise = KeyEnterprise.objects.create(name=f"{name}重点企业", unit=level.bureau)
        project = KeyProject.objects.create(
            year=2023, name=f"{name}重点项目", enterprise=enterprise, responsible_unit=level.bureau
        )
        trip = InvestmentTrip.objects.create(
            campaign=level.campaign, date=datetime.date(2023, 3, 1), destination=f"{name}深圳"
        )
        made[name] = (enterprise, project, trip)
    return made


def _links(levels, records, name):
    enterprise, project, trip = records[name]
    campaign = levels[name].campaign
    indicator = levels[name].indicator
    return [
        ("/indicators/setup/?year=2023", f"/indicators/{indicator.pk}/year/"),
        ("/indicators/projects/?year=2023", f"/indicators/projects/{project.pk}/edit/"),
        ("/indicators/enterprises/", f"/indicators/enterprises/{enterprise.pk}/edit/"),
        (
            f"/indicators/investment/?campaign={campaign.pk}&as_of=2023-07-31",
            f"/indicators/investment/trips/{trip.pk}/edit/",
        ),
    ]


def test_the_county_reads_a_districts_indicator_records_without_their_edit_links(
    levels, world, records
):
    county = client_of(world, COUNTY, "coordinator")
    for page, edit in _links(levels, records, EAST):
        response = county.get(page)
        assert response.status_code == 200, page
        assert edit not in response.content.decode(), page
        assert county.get(edit).status_code == 403, edit
    for page, edit in _links(levels, records, COUNTY):
        assert edit in county.get(page).content.decode(), page


def test_the_districts_coordinator_still_sees_the_edit_links(levels, world, records):
    district = client_of(world, EAST, "coordinator")
    for page, edit in _links(levels, records, EAST):
        assert edit in district.get(page).content.decode(), page


def test_the_county_reads_a_districts_indicator_without_修改指标_and_年度目标(levels, world):
    county = client_of(world, COUNTY, "coordinator")
    for name, shown in [(EAST, False), (COUNTY, True)]:
        indicator = levels[name].indicator
        page = county.get(f"/indicators/{indicator.pk}/?year=2023").content.decode()
        assert (f"/indicators/{indicator.pk}/edit/" in page) is shown, name
        assert (f"/indicators/{indicator.pk}/year/" in page) is shown, name
    indicator = levels[EAST].indicator
    district = client_of(world, EAST, "coordinator")
    assert (
        f"/indicators/{indicator.pk}/edit/"
        in district.get(f"/indicators/{indicator.pk}/?year=2023").content.decode()
    )


def test_an_indicator_record_is_managed_at_its_own_level_only(levels):
    county = fresh(levels[COUNTY].users["coordinator"])
    assert can_manage_indicator_record(county, levels[COUNTY].bureau.pk)
    assert not can_manage_indicator_record(county, levels[EAST].bureau.pk)
    assert can_manage_indicator_record(
        fresh(levels[EAST].users["coordinator"]), levels[EAST].bureau.pk
    )
    assert not can_manage_indicator_record(
        fresh(levels[EAST].users["reporter"]), levels[EAST].bureau.pk
    )
