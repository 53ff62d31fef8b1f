"""A district's concern categories are read-only to its county (orgs.scope: writes stay at the
own level): the county's coordinator lists a district's categories without the 修改 link (403),
which the district's own coordinator still sees."""

from shigan.grassroots.access import can_edit_concern_category
from shigan.grassroots.models import ConcernCategory
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST, client_of, fresh

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels


def _category(levels, level):
    return ConcernCategory.objects.get(district=levels[level].root)


def test_the_county_lists_a_districts_categories_without_the_修改_link(levels, world):
    district, own = _category(levels, EAST), _category(levels, COUNTY)
    county = client_of(world, COUNTY, "coordinator")
    page = county.get("/grassroots/concern-categories/").content.decode()
    assert district.name in page
    assert f"/grassroots/concern-categories/{district.pk}/" not in page
    assert f"/grassroots/concern-categories/{own.pk}/" in page
    assert county.get(f"/grassroots/concern-categories/{district.pk}/").status_code == 403
    east = client_of(world, EAST, "coordinator").get("/grassroots/concern-categories/")
    assert f"/grassroots/concern-categories/{district.pk}/" in east.content.decode()


def test_a_category_is_edited_at_its_own_level_only(levels):
    county = fresh(levels[COUNTY].users["coordinator"])
    assert can_edit_concern_category(county, _category(levels, COUNTY))
    assert not can_edit_concern_category(county, _category(levels, EAST))
    east = _category(levels, EAST)
    assert can_edit_concern_category(fresh(levels[EAST].users["coordinator"]), east)
    assert not can_edit_concern_category(fresh(levels[EAST].users["reporter"]), east)
