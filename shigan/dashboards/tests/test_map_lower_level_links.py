"""A county's task force reads its districts' battle maps, read-only: 本月填报 links a unit to
its monthly report only where the viewer may open it (tasks.access.can_open_campaign_reports:
a coordinator of the campaign's own level). On a district's map the county's coordinator got
links that answered 403; no link of the map's views (table, timeline, wall, 大屏) is a dead
end for the county's coordinator or inspector."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from shigan.tasks.access import can_open_campaign_reports
from shigan.testing import make_task

from .levels_world import COUNTY, EAST, TODAY, build_level

VIEWS = ["", "&view=timeline", "&view=wall", "&view=wall&screen=1"]
REPORT_LINK = re.compile(r'href="(/tasks/report/\?unit=\d+[^"]*)"')


@pytest.fixture
def levels(db, settings, monkeypatch):
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    county = build_level(COUNTY, None, "xian")
    east = build_level(EAST, county.root, "dong", 1)
    for level in (county, east):
        make_task(campaign=level.campaign, category=level.category, unit=level.bureau, title="任务")
    return county, east


def test_the_filing_board_links_reports_only_at_the_viewers_own_level(levels, client):
    county, east = levels
    coordinator = county.users["coordinator"]
    assert can_open_campaign_reports(coordinator, county.campaign)
    assert not can_open_campaign_reports(coordinator, east.campaign)
    assert can_open_campaign_reports(east.users["coordinator"], east.campaign)
    assert not can_open_campaign_reports(county.users["inspector"], county.campaign)
    client.force_login(coordinator)
    lower = client.get(f"/map/?campaign={east.campaign.pk}")
    assert lower.context["filing_links"] is False
    assert "本月填报" in lower.content.decode() and east.bureau.name in lower.content.decode()
    assert not REPORT_LINK.findall(lower.content.decode())
    own = client.get(f"/map/?campaign={county.campaign.pk}").content.decode()
    links = REPORT_LINK.findall(own)
    assert links == [f"/tasks/report/?unit={county.bureau.pk}&amp;period=2023-07"]
    assert client.get(unescape(links[0])).status_code == 200
    client.force_login(east.users["coordinator"])
    theirs = client.get(f"/map/?campaign={east.campaign.pk}").content.decode()
    assert REPORT_LINK.findall(theirs) == [
        f"/tasks/report/?unit={east.bureau.pk}&amp;period=2023-07"
    ]


@pytest.mark.parametrize("role", ["coordinator", "inspector"])
def test_no_link_of_a_districts_map_is_a_dead_end_for_the_county(levels, client, role):
    county, east = levels
    client.force_login(county.users[role])
    seen, dead = set(), []
    for view in VIEWS:
        page = f"/map/?campaign={east.campaign.pk}{view}"
        response = client.get(page)
        assert response.status_code == 200, page
        for href in re.findall(r'href="([^"#]*)"', response.content.decode()):
            url = urljoin(page, unescape(href))
            parts = urlsplit(url)
            if parts.netloc or url in seen or url.startswith(("/static/", "/accounts/logout")):
                continue
            seen.add(url)
            status = client.get(url).status_code
            if status in {403, 404, 500}:
                dead.append((status, url, page))
    assert seen and not dead, dead
