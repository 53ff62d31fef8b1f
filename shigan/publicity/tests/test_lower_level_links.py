"""A district's media reports are read-only to its county (orgs.scope: writes stay at the own
level): the county's coordinator reads a district's report without the 更正 link (403), which
the district's own coordinator still sees."""

from shigan.publicity.access import can_correct_media_report
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST, client_of, fresh

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels


def test_the_county_reads_a_districts_media_report_without_the_更正_link(levels, world):
    report = levels[EAST].media
    page, edit = f"/publicity/{report.pk}/", f"/publicity/{report.pk}/edit/"
    county = client_of(world, COUNTY, "coordinator")
    response = county.get(page)
    assert response.status_code == 200
    assert edit not in response.content.decode()
    assert county.get(edit).status_code == 403
    assert edit in client_of(world, EAST, "coordinator").get(page).content.decode()
    own = levels[COUNTY].media
    assert f"/publicity/{own.pk}/edit/" in county.get(f"/publicity/{own.pk}/").content.decode()


def test_a_media_report_is_corrected_at_its_own_level_only(levels):
    county = fresh(levels[COUNTY].users["coordinator"])
    assert can_correct_media_report(county, levels[COUNTY].media)
    assert not can_correct_media_report(county, levels[EAST].media)
    assert can_correct_media_report(fresh(levels[EAST].users["coordinator"]), levels[EAST].media)
    assert not can_correct_media_report(fresh(levels[EAST].users["inspector"]), levels[EAST].media)
