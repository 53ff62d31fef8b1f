from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from .access import campaigns_visible_to, can_read_campaigns, get_campaign_for_user
from .models import Campaign, PlanSectionKind
from .queries import campaigns_current_first, campaigns_with_overview


def campaign_list(request):
    if not can_read_campaigns(request.user):
        raise PermissionDenied("无权查看活动。")
    campaigns = list(
        campaigns_current_first(campaigns_visible_to(request.user, Campaign.objects.all()))
    )
    if len(campaigns) == 1:
        return redirect("campaigns:campaign_detail", pk=campaigns[0].pk)
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


def campaign_detail(request, pk):
    """The campaign's plan (实施方案), phases and leading group; readable by every role."""
    campaign = get_campaign_for_user(request.user, pk, queryset=campaigns_with_overview())
    order = {kind.value: i for i, kind in enumerate(PlanSectionKind)}
    sections = sorted(campaign.plan_sections.all(), key=lambda s: order[s.kind])
    return render(
        request, "campaigns/campaign_detail.html", {"campaign": campaign, "sections": sections}
    )
