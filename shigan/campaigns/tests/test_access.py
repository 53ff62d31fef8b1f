"""campaigns.access persona by persona: the plan, phases and leading group are read by every
role; an account with no role reads no campaign."""

import datetime

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.campaigns.access import (
    campaign_for_user,
    campaigns_visible_to,
    can_create_campaigns,
    can_manage_campaign,
    can_read_campaigns,
    get_campaign_for_user,
    narrow_choices,
)
from shigan.campaigns.models import Campaign
from shigan.orgs.models import Person, Unit, UnitKind
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


def test_can_create_campaigns(users):
    assert answers(users, can_create_campaigns) == only("coordinator")


def test_can_manage_campaign_of_his_district_only(world, users):
    assert answers(users, lambda u: can_manage_campaign(u, world.campaign)) == only("coordinator")
    other = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    elsewhere = Campaign.objects.create(
        year=2023, name="邻区活动", organiser=other,
        start_date=world.campaign.start_date, end_date=world.campaign.end_date,
    )  # fmt: skip
    assert not can_manage_campaign(users["coordinator"], elsewhere)
    users["coordinator"].is_active = False
    assert not can_manage_campaign(users["coordinator"], world.campaign)


def test_get_campaign_for_user_to_write(world, users):
    def write(user):
        try:
            get_campaign_for_user(
                user, world.campaign.pk, queryset=Campaign.objects.all(), write=True
            )
        except Http404:
            return 404
        except PermissionDenied:
            return 403
        return 200

    expected = only(*ROLES, yes=403, no=404) | {"coordinator": 200}
    assert answers(users, write) == expected


def _other_district_campaign(world):
    """乙县 (a second district) with its own campaign of the newest year and a person."""
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    Person.objects.create(name="乙县人员", unit=other)
    return Campaign.objects.create(
        year=world.campaign.year + 1,
        name="乙县活动",
        organiser=other,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )


def test_campaign_for_user_is_the_users_districts(world, users):
    elsewhere = _other_district_campaign(world)
    current = answers(users, lambda u: getattr(campaign_for_user(u), "pk", None))
    assert current == only(*ROLES, yes=world.campaign.pk, no=None)
    assert campaign_for_user(users["coordinator"], str(world.campaign.pk)) == world.campaign
    with pytest.raises(Http404):
        campaign_for_user(users["coordinator"], str(elsewhere.pk))


class _Choices(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.all())
    person = forms.ModelMultipleChoiceField(Person.objects.all())
    campaign = forms.ModelChoiceField(Campaign.objects.all())
    note = forms.CharField()


def test_narrow_choices_keeps_units_people_and_campaigns_to_the_district(world, users):
    elsewhere = _other_district_campaign(world)
    form = _Choices()
    narrow_choices(form, users["coordinator"])
    units = set(form.fields["unit"].queryset.values_list("name", flat=True))
    assert "区交通局" in units and "乙县党委政府" not in units
    people = set(form.fields["person"].queryset.values_list("name", flat=True))
    assert "王填报" in people and "乙县人员" not in people
    assert list(form.fields["campaign"].queryset) == [world.campaign]
    posted = _Choices({"unit": elsewhere.organiser_id, "person": [], "campaign": elsewhere.pk})
    narrow_choices(posted, users["coordinator"])
    assert not posted.is_valid() and {"unit", "campaign"} <= set(posted.errors)
    none = _Choices()
    narrow_choices(none, users["no_role"])
    assert not none.fields["unit"].queryset.exists()
