"""Who may read campaigns: the plan (实施方案), phases and leading group are read by every role;
coordinators set them up (基础设置, orgs.access.can_manage_setup)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from shigan.orgs.access import can_manage_setup
from shigan.orgs.scope import district_id_of, get_visible, has_role


def can_read_campaigns(user) -> bool:
    return has_role(user)


def campaigns_visible_to(user, campaigns: QuerySet) -> QuerySet:
    return campaigns if can_read_campaigns(user) else campaigns.none()


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
