"""Mirror campaigns are ordinary Campaign rows of another level (a district's mirror of its
county's campaign, shigan.exchange; a county reading its districts'): a campaign picker never
opens one of them as a user's current campaign — his own level's comes first
(campaigns.access.own_level_first), even when the other level's is newer."""

import datetime

import pytest
from django.urls import reverse

from shigan.campaigns.access import campaigns_visible_to, own_level_first
from shigan.campaigns.models import Campaign
from shigan.campaigns.queries import campaign_current, campaigns_current_first
from shigan.directives.tests.factories import build_county, child_task
from shigan.exchange.services import import_package
from shigan.orgs.models import Oversight, Role
from shigan.tasks.queries import campaign_choices
from shigan.testing import make_task, make_user

from .test_handdown import district, handdown_package  # noqa: F401 — the district's fixture

pytestmark = pytest.mark.django_db


def test_a_district_never_opens_its_mirror_of_the_countys_campaign(district, client_for):  # noqa: F811
    unit, bureau, user, campaign, peer = district
    import_package(handdown_package(1))
    mirror = Campaign.objects.get(organiser=peer.unit)  # newer, same year and start
    assert (mirror.pk > campaign.pk, mirror.start_date) == (True, campaign.start_date)
    leader, person = make_user("district_leader", unit=unit, role=Role.LEADER, name="区领导")
    Oversight.objects.create(leader=person, unit=bureau)
    make_task(campaign=campaign, category=campaign.task_categories.get(), unit=bureau,
              title="区道路改造")  # fmt: skip
    for who in (user, leader):
        choices = campaign_choices(who)
        assert choices[0] == campaign and campaign_current(None, among=choices) == campaign
        assert mirror not in choices
    assert list(campaigns_visible_to(user, Campaign.objects.all())) == [campaign]
    page = client_for(user).get(reverse("dashboards:cockpit"))
    assert page.status_code == 200 and page.context["data"].campaign == campaign


def test_a_county_reader_opens_the_countys_campaign_before_a_newer_districts():
    county = build_county()
    first = county.districts[0]
    first.campaign.start_date = datetime.date(2023, 3, 1)  # newer than the county's
    first.campaign.save(update_fields=["start_date"])
    child_task(first, county.upper_task)
    leader, person = make_user("county_leader", unit=county.unit, role=Role.LEADER, name="县领导")
    Oversight.objects.create(leader=person, unit=county.office)
    Oversight.objects.create(leader=person, unit=first.bureau)  # reads a district's task too
    choices = campaign_choices(leader)
    assert set(choices) == {county.campaign, first.campaign}
    assert choices[0] == county.campaign
    assert campaign_current(None, among=choices) == county.campaign
    assert campaign_current(None, among=campaign_choices(county.coordinator)) == county.campaign
    # the ordering itself: own level first, then the newest
    mine = campaigns_current_first(own_level_first(leader, Campaign.objects.all()))
    assert mine.first() == county.campaign
    assert campaign_current(None, among=campaign_choices(first.coordinator)) == first.campaign
