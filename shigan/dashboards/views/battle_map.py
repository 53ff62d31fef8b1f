"""The battle map (挂图作战): table and timeline views and the xlsx and CSV exports.

Above MAP_EXPAND_LIMIT rows the table and the timeline show their groups collapsed with their
counts (cached, map_cache); battle_map_group answers the rows of one group, which
battle_map_groups.js fetches when the group is opened. The wall chart and its meeting-room
screen (大屏) show, above it, each lane's counts and its worst tasks (逾期, 滞后, 临期), a
lane's 查看全部 every tile of that lane. ?all=1 shows every row or tile (to print)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from shigan.campaigns.queries import campaign_current
from shigan.core.clock import today
from shigan.core.csv_export import csv_response
from shigan.core.params import date_or_default, id_or_none
from shigan.core.xlsx.layout import workbook_bytes
from shigan.tasks.access import can_open_campaign_reports, tasks_visible_to
from shigan.tasks.models import Task
from shigan.tasks.queries import campaign_choices, unit_filing
from shigan.tasks.status import TaskStatus

from .. import export
from ..legend import rule_precedence, status_legend
from ..map_cache import cached, keep, last_change, map_key
from ..queries import (
    GROUPINGS,
    HEADLINE,
    MAP_EXPAND_LIMIT,
    VIEWS,
    WORST_PER_GROUP,
    BattleMap,
    MapFilters,
    RowGroup,
    battle_map_build,
    group_page,
)
from ..timeline import timeline_build
from ..wall import collapsed_lanes, wall_lanes, wall_screen_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _map_for(
    request,
    *,
    with_milestones: bool = False,
    with_headline: bool = False,
    with_rollups: bool = False,
    collapse_above: int | None = None,
) -> tuple[BattleMap | None, dict]:
    """Parse the query string and build the map; the context common to every view. With
    `collapse_above`, a collapsed map is cached (map_cache) and its key is the context's
    "cache_key"."""
    params = request.GET
    campaigns = campaign_choices(request.user)
    campaign = campaign_current(params.get("campaign"), among=campaigns)
    as_of, as_of_error = date_or_default(params.get("as_of"), today())
    context = {"campaigns": campaigns, "as_of_error": as_of_error, "today": today()}
    if campaign is None:
        return None, context
    filters = MapFilters.from_params(params)
    options = (with_milestones, with_headline, with_rollups, collapse_above)
    key = None
    if collapse_above is not None:
        change = last_change(campaign)
        if change.tasks <= collapse_above:  # never collapsed: built whole, not cached
            collapse_above = None
    if collapse_above is not None:
        key = map_key("page", request.user, campaign, change, as_of, filters, *options)
        data = cached(key)
        if data is not None:
            return data, {**context, "cache_key": key}
    data = battle_map_build(
        request.user,
        campaign,
        filters,
        as_of,
        with_milestones=with_milestones,
        with_headline=with_headline,
        with_rollups=with_rollups,
        collapse_above=collapse_above,
    )
    if key is not None and data.collapsed:
        keep(key, data)
        context["cache_key"] = key
    return data, context


def _filing(request, data: BattleMap, key: str | None) -> list:
    """本月填报 of the map's units (tasks.queries.unit_filing), cached with a collapsed map."""
    filing = cached(f"{key}:filing") if key else None
    if filing is None:
        readable = tasks_visible_to(request.user, Task.objects.all())
        filing = unit_filing(data.campaign, data.as_of, readable)
        if key:
            keep(f"{key}:filing", filing)
    return filing


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
    show_all = request.GET.get("all") == "1"
    data, context = _map_for(
        request,
        with_milestones=view == "timeline",
        with_headline=view == "wall",
        with_rollups=view == "table",
        collapse_above=None if show_all else MAP_EXPAND_LIMIT,
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
        show_all=show_all,
        expand_limit=MAP_EXPAND_LIMIT,
        worst_per_group=WORST_PER_GROUP,
    )
    if data is not None and view == "timeline":
        context["timeline"] = timeline_build(data.campaign, data.groups, data.as_of)
    if data is not None:
        context["print_footer"] = print_footer_css(data)
    if data is not None and view == "wall":
        context["rest_tiles"] = [t for t in data.tiles if t.status not in HEADLINE]
        context["statuses"] = list(TaskStatus)
        if data.collapsed:  # summaries and the worst tasks, not every tile
            lanes = collapsed_lanes(data.summaries, data.worst)
        else:
            lanes = wall_lanes(data.groups)
        context["lanes"] = lanes
        if screen:
            context["wall_page"] = wall_screen_page(lanes, id_or_none(request.GET.get("page")) or 1)
    if data is not None and view != "wall":
        filing = _filing(request, data, context.get("cache_key"))
        context.update(
            filing_missing=[row for row in filing if row.missing],
            filing_done=[row for row in filing if not row.missing],
            filing_links=can_open_campaign_reports(request.user, data.campaign),
        )
    return render(request, "dashboards/battle_map.html", context)


@login_required
def battle_map_group(request):
    """The rows of one group of a collapsed map (table or timeline), GROUP_PAGE at a time: a
    fragment of <tr> the page's script inserts under the group's heading. The same query string
    as the page, with `key` (the category's or lead unit's id) and `page`; the same access and
    filters as the page (queries.group_page): a group the user reads nothing of is empty. The
    rendered rows are cached (map_cache)."""
    params = request.GET
    view = "timeline" if params.get("view") == "timeline" else "table"
    group_key = id_or_none(params.get("key"))
    page = id_or_none(params.get("page")) or 1
    campaign = campaign_current(params.get("campaign"), among=campaign_choices(request.user))
    if campaign is None or group_key is None:
        raise Http404("没有这一组任务。")
    as_of, _ = date_or_default(params.get("as_of"), today())
    filters = MapFilters.from_params(params)
    change = last_change(campaign)
    key = map_key("group", request.user, campaign, change, as_of, filters, view, group_key, page)
    html = cached(key)
    if html is None:
        part = group_page(
            request.user,
            campaign,
            filters,
            as_of,
            group_key,
            page,
            with_milestones=view == "timeline",
            with_rollups=view == "table",
        )
        following = params.copy()
        following["page"] = str(page + 1)
        context = {
            "rows": part.rows,
            "more": part.more,
            "more_url": f"{reverse('dashboards:battle_map_group')}?{following.urlencode()}",
        }
        template = "dashboards/_table_rows.html"
        if view == "timeline":
            timeline = timeline_build(campaign, [RowGroup("", part.rows)], as_of)
            context.update(timeline=timeline, lines=timeline.groups[0].lines)
            template = "dashboards/_timeline_rows.html"
        html = render_to_string(template, context, request=request)
        keep(key, html)
    return HttpResponse(html)


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
