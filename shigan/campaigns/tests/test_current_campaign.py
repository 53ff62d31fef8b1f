"""One "current campaign" rule (campaigns.queries.campaign_current) behind every picker: newest
year, then latest start date, then highest id; an explicit ?campaign= naming nothing the user may
open — malformed or unknown — is a 404 on every page."""

import datetime
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command

from shigan.campaigns.access import campaign_for_user
from shigan.campaigns.models import Campaign
from shigan.campaigns.queries import CampaignNotFound, campaign_current, campaigns_current_first
from shigan.tasks.models import TaskCategory
from shigan.testing import make_task

D = datetime.date


def _campaign(world, name: str, start: datetime.date, year: int = 2023) -> Campaign:
    campaign = Campaign.objects.create(
        year=year, name=name, organiser=world.district, start_date=start, end_date=D(year, 12, 31)
    )
    category = TaskCategory.objects.create(campaign=campaign, name=f"{name}类别")
    make_task(campaign=campaign, category=category, unit=world.unit_a, title=f"{name}任务")
    return campaign


@pytest.fixture
def same_year(world, monkeypatch):
    """The world's 2023 campaign (starts 1 January) and a later-starting one of the same year
    (the two tie-breaks once in use picked different ones of these two)."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    world.later = _campaign(world, "营商环境提升年", D(2023, 3, 1))
    return world


# Each page and where it says which campaign it shows.
PAGES = {
    "/map/": lambda r: r.context["data"].campaign,
    "/map/cockpit/": lambda r: r.context["data"].campaign,
    "/tasks/": lambda r: r.context["campaign"],
    "/meetings/": lambda r: r.context["campaign"],
    "/meetings/decisions/": lambda r: r.context["campaign"],
    "/meetings/study/": lambda r: r.context["campaign"],
    "/meetings/new/": lambda r: r.context["form"].initial["campaign"],
    "/reports/": lambda r: r.context["form"].cleaned_data["campaign"],
    "/reports/narrative/": lambda r: r.context["campaign"],
    "/indicators/investment/": lambda r: r.context["campaign"],
    "/campaigns/": lambda r: r.context["campaigns"][0],
}
DOWNLOADS = ["/map/export.xlsx", "/reports/download/md/"]


def test_the_rule_orders_by_year_then_start_date_then_id(world):
    world.campaign.start_date = D(2023, 3, 1)
    world.campaign.save()
    same_start = _campaign(world, "同日开始", D(2023, 3, 1))
    earlier = _campaign(world, "较早开始", D(2023, 2, 1))
    older_year = _campaign(world, "上一年", D(2022, 12, 1), year=2022)
    assert campaign_current() == same_start  # same year and start: the highest id
    assert list(campaigns_current_first()) == [same_start, world.campaign, earlier, older_year]
    assert campaign_current(among=[older_year, earlier, world.campaign]) == world.campaign
    assert campaign_current(str(earlier.pk)) == earlier


def test_every_page_shows_the_same_current_campaign_of_two_in_one_year(same_year, client_for):
    later = same_year.later
    c = client_for(same_year.coordinator)
    for url, shown in PAGES.items():
        response = c.get(url)
        assert response.status_code == 200, url
        assert shown(response) == later, url
    assert campaign_for_user(same_year.coordinator) == later  # the entry forms' default
    assert quote(str(later)) in c.get("/map/export.xlsx")["Content-Disposition"]


def test_an_explicit_campaign_is_shown_on_every_page(same_year, client_for):
    c = client_for(same_year.coordinator)
    for url, shown in PAGES.items():
        if url == "/campaigns/":
            continue
        response = c.get(url, {"campaign": same_year.campaign.pk})
        assert shown(response) == same_year.campaign, url


@pytest.mark.parametrize("raw", ["999", "²", "9223372036854775808", "abc", "-1", "1.0"])
def test_a_campaign_naming_nothing_is_404_on_every_page(same_year, client_for, raw):
    c = client_for(same_year.coordinator)
    for url in [*PAGES, *DOWNLOADS]:
        if url == "/campaigns/":
            continue
        assert c.get(url, {"campaign": raw}).status_code == 404, url
    with pytest.raises(CampaignNotFound):
        campaign_current(raw)


def test_a_campaign_the_user_may_not_open_on_the_map_is_404(same_year, client_for):
    # reporter_b reads no task of the later campaign: it is not among his campaigns.
    c = client_for(same_year.reporter_b)
    for url in ["/map/", "/map/cockpit/", "/tasks/"]:
        assert c.get(url, {"campaign": same_year.later.pk}).status_code == 404, url


def test_the_report_command_uses_the_same_rule(same_year, tmp_path, capsys):
    call_command("report", "--as-of", "2023-07-20", "-o", str(tmp_path / "r.md"))
    assert str(same_year.later) in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有编号为"):
        call_command("report", "--campaign", "²", "-o", str(tmp_path / "r.md"))
