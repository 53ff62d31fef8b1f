"""The trip and agreement forms offer a county coordinator only his own level's campaigns (and
leaders, trips), never a district's he reads but may not file under (campaigns.access
.narrow_choices): nothing offered is then refused."""

import pytest

from shigan.dashboards.tests.levels_world import COUNTY, EAST, TODAY, WEST, build_world


@pytest.fixture
def levels(db, settings, monkeypatch):
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    return build_world()


@pytest.mark.parametrize(
    "url", ["/indicators/investment/trips/new/", "/indicators/investment/agreements/new/"]
)
def test_the_county_is_offered_only_its_own_campaign(levels, client, url):
    client.force_login(levels[COUNTY].users["coordinator"])
    page = client.get(url)
    offered = list(page.context["form"].fields["campaign"].queryset)
    assert offered == [levels[COUNTY].campaign]
    html = page.content.decode()
    assert levels[COUNTY].campaign.name in html
    assert levels[EAST].campaign.name not in html and levels[WEST].campaign.name not in html
