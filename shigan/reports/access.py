"""Who reads the summary report, and which of its source links he may open.

The summary report states every unit's figures: it is the district's document, read by those
who read the whole district — its coordinators and inspectors — and by the members of the
campaign's leading group (领导小组, campaign.leading_group), for whom it is written. Other
leaders and the unit reporters do not read it (403 on every report page and download; the
navigation does not offer it). Whoever reads a campaign's report reads the page of every list
task it states (tasks.access.tasks_visible_to gives leading-group members the campaign's list
tasks), so its task links never lead to a 404.

A source links to the app page that shows its record (reports.compose.links): a task, finding,
inspection, indicator, meeting or notice page, a list, or an admin change page. The preview
shows a link only where the viewer would not meet a 404, a 403 or the admin's log-in page, so
each page's rule is the one its view applies (the app's access module). One query per kind of
scoped page, whatever the number of links.
"""

from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import Resolver404, resolve

from shigan.campaigns.access import campaigns_visible_to
from shigan.campaigns.models import Campaign
from shigan.core.params import id_or_none
from shigan.indicators.access import indicators_visible_to
from shigan.indicators.models import Indicator
from shigan.meetings.access import meetings_visible_to
from shigan.meetings.models import Meeting
from shigan.orgs.scope import has_role, is_coordinator, reads_everything, require_own_level
from shigan.supervision.access import (
    findings_visible_to,
    inspections_visible_to,
    notices_visible_to,
)
from shigan.supervision.models import Finding, Inspection, Notice
from shigan.tasks.access import group_campaigns, sits_in_a_leading_group, tasks_visible_to
from shigan.tasks.models import Task

# Detail pages: the route's record must be within the user's scope (404 otherwise).
SCOPED = {
    "tasks:task_detail": (Task, tasks_visible_to),
    "supervision:finding_detail": (Finding, findings_visible_to),
    "supervision:inspection_detail": (Inspection, inspections_visible_to),
    "indicators:indicator_detail": (Indicator, indicators_visible_to),
    "meetings:meeting_detail": (Meeting, meetings_visible_to),
    "supervision:notice_detail": (Notice, notices_visible_to),
    # an upper level's task's 下级落实情况 (its view reads the task as tasks.access does)
    "directives:upper_task": (Task, tasks_visible_to),
}
# Pages every role reads (lists filtered by the view itself, the campaign's plan).
PUBLIC = {
    "campaigns:campaign_detail",
    "meetings:meeting_list",
    "meetings:study_list",
    "publicity:report_list",
}


def _route(url: str) -> tuple[str, int | None]:
    """The view name of `url` and its record id (None for pages without one)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return "", None
    pk = match.kwargs.get("pk", match.args[0] if match.args else None)
    return match.view_name, id_or_none(pk) if pk is not None else None


def links_openable_by(user, urls: Iterable[str]) -> set[str]:
    """The subset of `urls` the user may open: a coordinator every one (the admin included);
    anyone else no admin page, the pages every role reads, and the detail pages of records
    within his scope. A page of a kind not known here is not linked."""
    urls = {u for u in urls if u}
    if is_coordinator(user):
        return urls
    wanted: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    openable = set()
    for url in urls:
        name, pk = _route(url)
        if name in PUBLIC and has_role(user):
            openable.add(url)
        elif name in SCOPED and pk is not None:
            wanted[name][pk].append(url)
    for name, by_pk in wanted.items():
        model, visible_to = SCOPED[name]
        found = visible_to(user, model.objects.filter(pk__in=list(by_pk)))
        for pk in found.values_list("pk", flat=True):
            openable.update(by_pk[pk])
    return openable


REPORT_REFUSED = "总结报告是全区（县）的文件，仅供专班、督查人员和本活动领导小组成员查看。"


def report_campaigns_for(user, campaigns: QuerySet) -> QuerySet:
    """The campaigns of `campaigns` whose summary report the user reads: every campaign of his
    district for coordinators and inspectors, those whose leading group he sits in for anyone
    else (tasks.access.group_campaigns)."""
    if reads_everything(user):
        return campaigns_visible_to(user, campaigns)
    return campaigns.filter(id__in=group_campaigns(user).values("id"))


def can_generate_report(user) -> bool:
    """Whether the user reads some campaign's summary report (the navigation's 总结报告):
    coordinators, inspectors and the members of a campaign's leading group."""
    return reads_everything(user) or sits_in_a_leading_group(user)


def can_read_report(user, campaign: Campaign) -> bool:
    """Whether the user reads `campaign`'s summary report, in every form (page, downloads)."""
    return report_campaigns_for(user, Campaign.objects.filter(pk=campaign.pk)).exists()


def require_report_reader(user, campaign: Campaign | None = None) -> None:
    """403 (in Chinese) unless the user reads the summary report — `campaign`'s when given."""
    allowed = can_generate_report(user) if campaign is None else can_read_report(user, campaign)
    if not allowed:
        raise PermissionDenied(REPORT_REFUSED)


def can_write_narrative(user) -> bool:
    """The report's own words (the narrative, its history): coordinators."""
    return is_coordinator(user)


def require_own_narrative(user, campaign: Campaign) -> None:
    """403 (orgs.scope.LOWER_LEVEL_READ_ONLY) unless `campaign` is of the user's own level: a
    county's coordinator reads a district's report and its words but writes only his own
    level's (orgs.scope.require_own_level)."""
    require_own_level(user, campaign, "organiser_id")
