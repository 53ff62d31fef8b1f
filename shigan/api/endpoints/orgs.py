"""Units and campaigns the caller reads (orgs.scope, campaigns.access)."""

from ninja import Router

from shigan.campaigns.access import campaigns_visible_to
from shigan.campaigns.models import Campaign
from shigan.orgs.models import Unit
from shigan.orgs.scope import within_units

from ..schemas import READ_ERRORS, CampaignOut, UnitOut

router = Router(tags=["组织与活动"])


@router.get(
    "/units", response={200: list[UnitOut], **READ_ERRORS}, summary="可查看的单位（组织树）"
)
def unit_list(request):
    """The units whose records the caller reads, in the organisation's order (parent_id builds
    the tree)."""
    units = within_units(request.user, Unit.objects.order_by("sort_order", "id"), "id")
    return [
        {
            "id": unit.pk,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "kind_label": unit.get_kind_display(),
            "parent_id": unit.parent_id,
            "district_id": unit.district_id,
        }
        for unit in units
    ]


@router.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS}, summary="可查看的活动")
def campaign_list(request):
    campaigns = campaigns_visible_to(request.user, Campaign.objects.all())
    return list(campaigns.order_by("-year", "id"))
