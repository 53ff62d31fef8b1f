"""The battle map (挂图作战): table and timeline views and the xlsx and CSV exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from shigan.campaigns.queries import campaign_current
from shigan.core.clock import today
from shigan.core.csv_export import csv_response
from shigan.core.params import date_or_default, id_or_none
from shigan.core.xlsx.layout import workbook_bytes
from shigan.tasks.access import can_open_report_period, tasks_visible_to
from shigan.tasks.models import Task
from shigan.tasks.queries import campaign_choices, unit_filing
from shigan.tasks.status import TaskStatus

from .. import export
from ..legend import rule_precedence, status_legend
from ..queries import (
    GROUPINGS,
    HEADLINE,
    VIEWS,
    BattleMap,
    MapFilters,
    battle_map_build,
)
from ..timeline import timeline_build
from ..wall import wall_lanes, wall_screen_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _map_for(
    request,
    *,
    with_milestones: bool = False,
    with_headline: bool = False,
    with_rollups: bool = False,
) -> tuple[BattleMap | None, dict]:
    """Parse the query string and build the map; the context common to every view."""
    params = request.GET
    campaigns = campaign_choices(request.user)
    campaign = campaign_current(params.get("campaign"), among=campaigns)
    as_of, as_of_error = date_or_default(params.get("as_of"), today())
    context = {"campaigns": campaigns, "as_of_error": as_of_error, "today": today()}
    if campaign is None:
        return None, context
    filters = MapFilters.from_params(params)
    data = battle_map_build(
        request.user,
        campaign,
        filters,
        as_of,
        with_milestones=with_milestones,
        with_headline=with_headline,
        with_rollups=with_rollups,
    )
    return data, context


def css_string(text: str) -> str:
    """`text` as a CSS string literal: every character that is not a letter, digit or CJK is
    written as a hex escape, so no quote, backslash or "</style>" can end it."""
    out = []
    for char in text:
        if char.isalnum() or ord(char) >= 0x3000:
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return '"' + "".join(out) + '"'


def print_footer_css(data: BattleMap) -> str:
    """The printed map's footer on every page (an @page margin box): who made the chart and
    as of when; the page numbers are in battle_map.css."""
    text = f"制表单位：{data.campaign.organiser.name}　截至{data.as_of:%Y}年{data.as_of.month}月{data.as_of.day}日"
    return mark_safe(css_string(text))  # escaped above for a CSS string


@login_required
def battle_map(request):
    screen = request.GET.get("screen") == "1"
    view = "wall" if screen else request.GET.get("view", "table")
    view = view if view in VIEWS else "table"
    data, context = _map_for(
        request,
        with_milestones=view == "timeline",
        with_headline=view == "wall",
        with_rollups=view == "table",
    )
    context.update(
        data=data,
        view=view,
        views=VIEWS,
        groupings=GROUPINGS,
        legend=status_legend(),
        legend_precedence="、".join(s.label for s in rule_precedence()),
        paper="a4" if request.GET.get("paper") == "a4" else "a3",
        screen=screen,
    )
    if data is not None and view == "timeline":
        context["timeline"] = timeline_build(data.campaign, data.groups, data.as_of)
    if data is not None:
        context["print_footer"] = print_footer_css(data)
    if data is not None and view == "wall":
        context["rest_tiles"] = [t for t in data.tiles if t.status not in HEADLINE]
        context["statuses"] = list(TaskStatus)
        lanes = wall_lanes(data.groups)
        context["lanes"] = lanes
        if screen:
            context["wall_page"] = wall_screen_page(lanes, id_or_none(request.GET.get("page")) or 1)
    if data is not None and view != "wall":
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


@login_required
def battle_map_csv(request):
    """The xlsx's columns and rows as a CSV, for the same user, filters and date."""
    data, _ = _map_for(request)
    if data is None:
        raise Http404("没有可导出的活动。")
    return csv_response(
        export.battle_map_csv(data),
        export.export_filename(data, "csv"),
        f"battle-map-{data.as_of:%Y%m%d}.csv",
    )
