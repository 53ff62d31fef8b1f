"""A district's time bank is read-only to its county (orgs.scope: writes stay at the own level):
the county's coordinator reads a district volunteer's statement without the 冲正 links (a
reversal he may not make, 403), which the district's own coordinator still sees."""

import pytest

from shigan.orgs.models import Role, Unit, UnitKind
from shigan.testing import make_user
from shigan.timebank.access import can_reverse_on

from .factories import credited, volunteer


@pytest.fixture
def county_coordinator(world):
    """A county above the world's district, with its own coordinator."""
    county = Unit.objects.create(name="云岭县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    world.district.parent = county
    world.district.save()
    force = Unit.objects.create(name="县作风专班", kind=UnitKind.TASK_FORCE, parent=county)
    return make_user("xian_zhuanban", unit=force, role=Role.COORDINATOR, name="县专班")[0]


def test_the_county_reads_a_districts_statement_without_the_冲正_links(
    world, county_coordinator, client_for
):
    account = volunteer(world)
    posting = credited(world, account, "2").transaction
    reverse = f"/timebank/transactions/{posting.pk}/reverse/"

    county = client_for(county_coordinator)
    page = county.get(f"/timebank/accounts/{account.pk}/?year=2023")
    assert page.status_code == 200
    assert "上门打扫卫生" in page.content.decode()
    assert reverse not in page.content.decode()
    assert county.get(reverse).status_code == 403

    district = client_for(world.coordinator)
    assert reverse in district.get(f"/timebank/accounts/{account.pk}/?year=2023").content.decode()
    assert can_reverse_on(world.coordinator, account)
    assert not can_reverse_on(county_coordinator, account)
    assert not can_reverse_on(world.reporter_a, account)
