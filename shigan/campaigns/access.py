"""Who may read campaigns: the plan (实施方案), phases and leading group are read by every role
of the district that organises the campaign, and by the coordinators and inspectors of the
levels above it (orgs.scope.within_district); coordinators set up their own level's campaigns
(基础设置, orgs.access.can_manage_setup). A campaign picker opens the user's own level's current
campaign unless he names another."""

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from shigan.orgs.access import can_manage_setup
from shigan.orgs.models import Person, Unit
from shigan.orgs.scope import (
    district_id_of,
    get_visible,
    has_levels_below,
    has_role,
    within_district,
    within_own_level,
)

from .models import Campaign
from .queries import campaign_current


def can_read_campaigns(user) -> bool:
    return has_role(user)


def campaigns_visible_to(user, campaigns: QuerySet) -> QuerySet:
    """The campaigns organised within the user's scope (orgs.scope.within_district: a
    coordinator's or inspector's level and the levels below, anyone else's own level; none
    without a role). Where the scope holds levels below, each campaign is annotated
    `at_own_level`, and pickers open the own level's current campaign first
    (campaigns.queries.campaign_current)."""
    if not can_read_campaigns(user):
        return campaigns.none()
    visible = within_district(user, campaigns, "organiser_id")
    return own_level_first(user, visible) if has_levels_below(user) else visible


def own_level_first(user, campaigns: QuerySet) -> QuerySet:
    """`campaigns` annotated `at_own_level` (organised at the user's level), so that pickers
    (campaigns.queries.campaign_current) open his own level's current campaign first, never
    a newer one of another level — a district's mirror of its county's campaign or a county's
    of its district's (shigan.exchange), a level below's he reads. As given for an account
    without a level (an operator)."""
    district_id = district_id_of(user)
    if district_id is None:
        return campaigns
    own = Q(organiser__district_id=district_id)
    return campaigns.annotate(at_own_level=ExpressionWrapper(own, BooleanField()))


def can_create_campaigns(user) -> bool:
    """Create a campaign (organised by a unit of the user's district): active coordinators."""
    return can_manage_setup(user)


def can_manage_campaign(user, campaign) -> bool:
    """Edit a campaign, its plan sections, phases and task categories: an active coordinator of
    the district whose unit organises it (an operator without a person: every district)."""
    if not can_manage_setup(user):
        return False
    district_id = district_id_of(user)
    return district_id is None or campaign.organiser.district_id == district_id


def get_campaign_for_user(user, pk, *, queryset: QuerySet, write: bool = False):
    """The campaign `pk` of `queryset` for a user with a role; 404 otherwise. With write=True
    also 403 unless he manages it (can_manage_campaign)."""
    campaign = get_visible(campaigns_visible_to(user, queryset), pk, "活动不存在。")
    if write and not can_manage_campaign(user, campaign):
        raise PermissionDenied("只有本区（县）专班可以设置活动。")
    return campaign


def campaign_for_user(user, raw: object = None) -> Campaign | None:
    """The campaign `raw` names among those the user reads, else his district's current one
    (campaigns.queries.campaign_current: a value naming none of his is a 404); None when his
    district has none."""
    return campaign_current(raw, among=campaigns_visible_to(user, Campaign.objects.all()))


def narrow_choices(form, user) -> None:
    """Keep every unit, person and campaign a form offers to the user's own level
    (orgs.scope.within_own_level): names repeat across districts, and a record is filed at the
    level of whoever files it, never under another district's unit, leader or campaign — not
    even a district below his own, whose records he reads but does not keep (a forged id then
    reads as 不存在 like any unknown one)."""
    for field in form.fields.values():
        choices = getattr(field, "queryset", None)
        if choices is None:
            continue
        if choices.model is Unit:
            field.queryset = within_own_level(user, choices, "id")
        elif choices.model is Person:
            field.queryset = within_own_level(user, choices, "unit_id")
        elif choices.model is Campaign:
            field.queryset = campaigns_visible_to(
                user, within_own_level(user, choices, "organiser_id")
            )
