"""Who may roll a campaign over into the next year: whoever manages it
(campaigns.access.can_manage_campaign — the active coordinators of the district that organises
it). The items offered are the campaign's tasks the user reads (tasks.access.tasks_visible_to)."""

from django.db.models import QuerySet

from shigan.campaigns.access import get_campaign_for_user
from shigan.campaigns.models import Campaign
from shigan.tasks.access import tasks_visible_to


def get_campaign_to_roll_over(user, pk) -> Campaign:
    """The campaign `pk` to roll over: 404 outside the user's district, 403 unless he manages
    it (campaigns.access.can_manage_campaign; the campaign page links here on the same rule)."""
    queryset = Campaign.objects.select_related("organiser", "leading_group")
    return get_campaign_for_user(user, pk, queryset=queryset, write=True)


def rollover_tasks(user, campaign: Campaign) -> QuerySet:
    """The campaign's tasks the user may carry over (those he reads)."""
    return tasks_visible_to(user, campaign.tasks.all())
