"""The battle map (挂图作战): table and timeline views and the xlsx export."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from shigan.campaigns.queries import campaign_current
from shigan.core.clock import today
from shigan.core.params import date_or_default
from shigan.core.xlsx.layout import workbook_bytes
from shigan.tasks.access import can_open_report_period, tasks_visible_to
from shigan.tasks.models import Task
from shigan.tasks.queries import campaign_choices, unit_filing

from .. import export
from ..legend import status_legend
from ..queries import (
    GROUPINGS,
    VIEWS,
    BattleMap,
    MapFilters,
    battle_map_build,
)
from ..timeline import timeline_build

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _map_for(request, *, with_milestones: bool = False) -> tuple[BattleMap | None, dict]:
    """Parse the query string and build the map; the context common to every view."""
    params = request.GET
    campaigns = campaign_choices(request.user)
    campaign = campaign_current(params.get("campaign"), among=campaigns)
    as_of, as_of_error = date_or_default(params.get("as_of"), today())
    context = {"campaigns": campaigns, "as_of_error": as_of_error, "today": today()}
    if campaign is None:
        return None, context
    filters = MapFilters.from_params(params)
    data = battle_map_build(request.user, campaign, filters, as_of, with_milestones=with_milestones)
    return data, context


@login_required
def battle_map(request):
    view = request.GET.get("view", "table")
    view = view if view in VIEWS else "table"
    data, context = _map_for(request, with_milestones=view == "timeline")
    context.update(
        data=data,
        view=view,
        views=VIEWS,
        groupings=GROUPINGS,
        legend=status_legend(),
        paper="a4" if request.GET.get("paper") == "a4" else "a3",
    )
    if data is not None and view == "timeline":
        context["timeline"] = timeline_build(data.campaign, data.groups, data.as_of)
    if data is not None:
        readable = tasks_visible_to(request.user, Task.objects.all())
        filing = unit_filing(data.campaign, data.as_of, readable)
        context.update(
            filing_missing=[row for row in filing if row.missing],
            filing_done=[row for row in filing if not row.missing],
            filing_links=can_open_report_period(request.user),
        )
    return render(request, "dashboards/battle_map.html", context)


@login_required
def battle_map_xlsx(request):
    data, _ = _map_for(request)
    if data is None:
        raise Http404("没有可导出的活动。")
    body = workbook_bytes(export.battle_map_workbook(data))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = export.content_disposition(
        export.export_filename(data), f"battle-map-{data.as_of:%Y%m%d}.xlsx"
    )
    return response
