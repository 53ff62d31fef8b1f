"""A district's supervision records are read-only to its county (orgs.scope: writes stay at the
own level): the county's coordinator and inspector read a district's inspection, finding and
notice without the 更正 link (nor the forms to add a finding or verify one), which the
district's own coordinator still sees."""

import pytest

from shigan.supervision.access import (
    can_correct_finding,
    can_correct_inspection,
    can_correct_notice,
)
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST, client_of, fresh

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels


def _pages(level):
    finding = level.finding
    return {
        f"/supervision/{finding.inspection_id}/": f"/supervision/{finding.inspection_id}/edit/",
        f"/supervision/findings/{finding.pk}/": f"/supervision/findings/{finding.pk}/edit/",
        f"/supervision/notices/{level.notice.pk}/": f"/supervision/notices/{level.notice.pk}/edit/",
    }  # fmt: skip


@pytest.mark.parametrize("role", ["coordinator", "inspector"])
def test_the_county_reads_a_districts_supervision_records_without_the_更正_link(
    levels, world, role
):
    client = client_of(world, COUNTY, role)
    for page, edit in _pages(levels[EAST]).items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert edit not in response.content.decode(), page
        assert client.get(edit).status_code == 403, edit


def test_the_districts_coordinator_and_the_county_on_its_own_records_see_the_更正_link(
    levels, world
):
    for level, role in [(EAST, "coordinator"), (COUNTY, "coordinator")]:
        client = client_of(world, level, role)
        for page, edit in _pages(levels[level]).items():
            assert edit in client.get(page).content.decode(), (level, page)
    inspector = client_of(world, COUNTY, "inspector")
    finding = levels[COUNTY].finding
    assert (
        f"/supervision/findings/{finding.pk}/edit/"
        in inspector.get(f"/supervision/findings/{finding.pk}/").content.decode()
    )


def test_the_correct_functions_hold_the_own_level_rule(levels):
    county = fresh(levels[COUNTY].users["coordinator"])
    east = fresh(levels[EAST].users["coordinator"])
    for target, county_may in [(COUNTY, True), (EAST, False)]:
        finding = levels[target].finding
        assert can_correct_inspection(county, finding.inspection) is county_may
        assert can_correct_finding(county, finding) is county_may
        assert can_correct_notice(county, levels[target].notice) is county_may
    assert can_correct_finding(east, levels[EAST].finding)
    assert can_correct_notice(east, levels[EAST].notice)
    reporter = fresh(levels[EAST].users["reporter"])
    assert not can_correct_finding(reporter, levels[EAST].finding)
    assert not can_correct_notice(reporter, levels[EAST].notice)
