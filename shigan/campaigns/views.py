from django.http import Http404
from django.shortcuts import redirect, render

from .models import Campaign, PlanSectionKind
from .queries import campaign_overview, campaigns_all


def campaign_list(request):
    campaigns = list(campaigns_all())
    if len(campaigns) == 1:
        return redirect("campaigns:campaign_detail", pk=campaigns[0].pk)
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


def campaign_detail(request, pk):
    """The campaign's plan (实施方案), phases and leading group; readable by every role."""
    try:
        campaign = campaign_overview(pk)
    except Campaign.DoesNotExist:
        raise Http404("活动不存在。") from None
    order = {kind.value: i for i, kind in enumerate(PlanSectionKind)}
    sections = sorted(campaign.plan_sections.all(), key=lambda s: order[s.kind])
    return render(
        request, "campaigns/campaign_detail.html", {"campaign": campaign, "sections": sections}
    )
