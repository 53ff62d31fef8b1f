"""A coordinator's scope in a query (orgs.scope.district_scope_units, issue 17): the units of his
level and the levels below it, written into the statement as numbers, not one parameter per unit
(a province's 18,000 units were 18,000 parameters Django prepared in Python for every query of
its pages). The same records as filtering by district_scope_ids."""

import pytest
from django.db import connection

from shigan.orgs.models import Role, Unit, UnitKind
from shigan.orgs.scope import district_scope_ids, visible_units, within_district, within_units
from shigan.testing import make_user

pytestmark = pytest.mark.django_db


def _county(n_bureaus: int):
    """A county with two districts, each with `n_bureaus` bureaus; the county's coordinator."""
    county = Unit.objects.create(name="甲县", kind=UnitKind.PARTY_GOVERNMENT)
    for d in ("东区", "西区"):
        district = Unit.objects.create(name=d, kind=UnitKind.PARTY_GOVERNMENT, parent=county)
        for i in range(n_bureaus):
            Unit.objects.create(name=f"{d}局{i}", kind=UnitKind.BUREAU, parent=district)
    Unit.objects.create(name="乙县", kind=UnitKind.PARTY_GOVERNMENT)  # outside his scope
    user, _ = make_user("county", unit=county, role=Role.COORDINATOR, name="县专班")
    return user


def _params(queryset) -> tuple:
    with connection.cursor():  # the connection's features (the SQL is compiled, not run)
        return queryset.query.sql_with_params()[1]


@pytest.mark.parametrize("n_bureaus", [3, 30])
def test_scope_adds_no_parameter_per_unit(n_bureaus):
    user = _county(n_bureaus)
    units = Unit.objects.all()
    narrowed = within_district(user, units, "id")
    assert len(district_scope_ids(user)) == 3 + 2 * n_bureaus
    assert _params(narrowed) == ()
    assert _params(within_units(user, units, "id")) == ()
    names = set(narrowed.values_list("name", flat=True))
    assert names == set(
        Unit.objects.filter(pk__in=district_scope_ids(user)).values_list("name", flat=True)
    )
    assert "乙县" not in names and {"甲县", "东区", f"西区局{n_bureaus - 1}"} <= names


def test_scope_ids_and_no_role():
    user = _county(1)
    assert visible_units(user).ids == sorted(district_scope_ids(user))
    nobody, _ = make_user("nobody", unit=Unit.objects.get(name="东区"), role="", name="无角色")
    assert visible_units(nobody) == set()
    assert not within_units(nobody, Unit.objects.all(), "id").exists()
