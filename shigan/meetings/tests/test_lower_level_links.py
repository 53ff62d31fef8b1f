"""A district's meetings are read-only to its county (orgs.scope: writes stay at the own level):
the county's coordinator reads a district's meeting without the 编辑会议 link (403) nor the form
to add its decisions, which the district's own coordinator still sees."""

from shigan.meetings.access import can_correct_meeting_record
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST, client_of, fresh

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels


def test_the_county_reads_a_districts_meeting_without_the_编辑会议_link(levels, world):
    meeting = levels[EAST].meeting
    page, edit = f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/edit/"
    county = client_of(world, COUNTY, "coordinator")
    response = county.get(page)
    assert response.status_code == 200
    assert edit not in response.content.decode()
    assert f"/meetings/{meeting.pk}/decisions/new/" not in response.content.decode()
    assert county.get(edit).status_code == 403
    assert edit in client_of(world, EAST, "coordinator").get(page).content.decode()
    own = levels[COUNTY].meeting
    assert f"/meetings/{own.pk}/edit/" in county.get(f"/meetings/{own.pk}/").content.decode()


def test_a_meeting_is_edited_at_its_own_level_only(levels):
    county = fresh(levels[COUNTY].users["coordinator"])
    assert can_correct_meeting_record(county, levels[COUNTY].meeting)
    assert not can_correct_meeting_record(county, levels[EAST].meeting)
    east = levels[EAST].meeting
    assert can_correct_meeting_record(fresh(levels[EAST].users["coordinator"]), east)
    assert not can_correct_meeting_record(fresh(levels[EAST].users["inspector"]), east)
