"""Units the caller reads (orgs.scope). Campaigns: endpoints/campaigns.py. No unit or account
is written through the API: units and people come from the organisation workbook (组织架构导入,
a file), and an account's initial password is shown once to the coordinator on its page."""

from ninja import Router

from shigan.orgs.models import Unit
from shigan.orgs.scope import within_units

from ..schemas import READ_ERRORS, UnitOut

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
