"""campaigns.access persona by persona: the plan, phases and leading group are read by every
role; an account with no role reads no campaign."""

import pytest
from django.http import Http404

from shigan.campaigns.access import campaigns_visible_to, can_read_campaigns, get_campaign_for_user
from shigan.campaigns.models import Campaign
from shigan.tests.personas import all_personas, answers, only

ROLES = ("coordinator", "leader", "reporter_a", "reporter_b", "inspector")


@pytest.fixture
def users(world):
    return all_personas(world)


def test_can_read_campaigns(users):
    assert answers(users, can_read_campaigns) == only(*ROLES)


def test_campaigns_visible_to(users):
    counted = answers(users, lambda u: campaigns_visible_to(u, Campaign.objects.all()).count())
    assert counted == only(*ROLES, yes=1, no=0)


def test_get_campaign_for_user(world, users):
    def read(user):
        try:
            get_campaign_for_user(user, world.campaign.pk, queryset=Campaign.objects.all())
        except Http404:
            return 404
        return 200

    assert answers(users, read) == only(*ROLES, yes=200, no=404)
    for pk in [987654, "abc", None]:
        with pytest.raises(Http404):
            get_campaign_for_user(users["coordinator"], pk, queryset=Campaign.objects.all())
    with pytest.raises(Http404):
        get_campaign_for_user(
            users["coordinator"], world.campaign.pk, queryset=Campaign.objects.none()
        )
