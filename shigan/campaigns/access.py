"""Who may read campaigns: the plan (实施方案), phases and leading group are read by every role;
coordinators set them up (基础设置, orgs.access.can_manage_setup)."""

from django.db.models import QuerySet

from shigan.orgs.scope import get_visible, has_role


def can_read_campaigns(user) -> bool:
    return has_role(user)


def campaigns_visible_to(user, campaigns: QuerySet) -> QuerySet:
    return campaigns if can_read_campaigns(user) else campaigns.none()


def get_campaign_for_user(user, pk, *, queryset: QuerySet):
    """The campaign `pk` of `queryset` for a user with a role; 404 otherwise."""
    return get_visible(campaigns_visible_to(user, queryset), pk, "活动不存在。")
