"""Key projects with their four rates and key enterprises; investment attraction with its
tallies. Read-only pages; records are entered on the pages of indicators.views.project_records and investment_records."""

import datetime
from dataclasses import dataclass
from operator import itemgetter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shigan.campaigns.access import campaigns_visible_to
from shigan.campaigns.models import Campaign
from shigan.campaigns.queries import campaign_current, campaigns_current_first
from shigan.core import clock
from shigan.core.params import date_or_default, id_or_none, year_or_this_year
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task

from ..access import (
    can_manage_indicator_record,
    can_manage_indicators,
    can_read_investment,
    key_enterprises_visible_to,
    key_projects_visible_to,
)
from ..models import Agreement, InvestmentTrip, KeyProject
from ..queries import enterprises_latest, investment_tallies, key_projects_annotated, project_rates

STARTED_CHOICES = [("", "全部"), ("yes", "已开工"), ("no", "未开工")]


def year_as_of(year: int) -> datetime.date:
    """The day a year's projects are measured on: today, or the last day of a past year."""
    return min(clock.today(), datetime.date(year, 12, 31))


@dataclass
class ProjectFilters:
    """?year=&enterprise=&unit=&started=yes|no"""

    year: int
    enterprise: int | None
    unit: int | None
    started: str

    @classmethod
    def from_request(cls, request) -> "ProjectFilters":
        params = request.GET
        started = params.get("started", "")
        return cls(
            year=year_or_this_year(request.GET.get("year")),
            enterprise=id_or_none(params.get("enterprise")),
            unit=id_or_none(params.get("unit")),
            started=started if started in {"yes", "no"} else "",
        )

    def apply(self, projects: QuerySet, as_of: datetime.date) -> QuerySet:
        if self.enterprise:
            projects = projects.filter(enterprise_id=self.enterprise)
        if self.unit:
            projects = projects.filter(responsible_unit_id=self.unit)
        started = Q(actual_start__lte=as_of)
        if self.started == "yes":
            projects = projects.filter(started)
        elif self.started == "no":
            projects = projects.exclude(started)
        return projects


def _options(projects: QuerySet) -> tuple[list, list]:
    """(enterprises, units) of the projects, as (id, name) pairs sorted by name (one query)."""
    fields = ["enterprise_id", "enterprise__name", "responsible_unit_id", "responsible_unit__name"]
    enterprises, units = set(), set()
    for ent_id, ent_name, unit_id, unit_name in projects.order_by().values_list(*fields).distinct():
        units.add((unit_id, unit_name))
        if ent_id:
            enterprises.add((ent_id, ent_name))
    return sorted(enterprises, key=itemgetter(1)), sorted(units, key=itemgetter(1))


@login_required
@require_GET
def project_list(request):
    """Key projects of a year (?year=) the user reads, filtered, with the four rates over the
    filtered set, each project's nodes, and the key enterprises' latest figures."""
    user, filters = request.user, ProjectFilters.from_request(request)
    as_of = year_as_of(filters.year)
    visible = key_projects_visible_to(user, KeyProject.objects.filter(year=filters.year))
    projects = filters.apply(visible, as_of)
    rows = list(key_projects_annotated(projects).prefetch_related("task__milestones"))
    readable_tasks = tasks_visible_to(user, Task.objects.filter(id__in=projects.values("task_id")))
    enterprise_options, unit_options = _options(visible)
    enterprises = enterprises_latest(
        key_enterprises_visible_to(user, visible), filters.year, as_of.month
    )
    rates = project_rates(projects, as_of)
    context = {
        "filters": filters,
        "as_of": as_of,
        "rows": rows,
        "rates": rates,
        "rate_by_key": {rate.definition.key: rate for rate in rates},
        "readable_task_ids": set(readable_tasks.values_list("id", flat=True)),
        "enterprise_options": enterprise_options,
        "unit_options": unit_options,
        "started_choices": STARTED_CHOICES,
        "enterprises": list(enterprises),
        "may_edit": can_manage_indicators(user),
        "editable_ids": {
            p.pk for p in rows if can_manage_indicator_record(user, p.responsible_unit_id)
        },
    }
    return render(request, "indicators/keyproject_list.html", context)


@login_required
@require_GET
def investment(request):
    """Investment attraction of a campaign (?campaign=, newest by default) up to ?as_of=
    (today by default): the tallies, the trips and the agreements. Read by every role."""
    if not can_read_investment(request.user):
        raise PermissionDenied("无权查看招商引资。")
    campaigns = list(
        campaigns_current_first(campaigns_visible_to(request.user, Campaign.objects.all()))
    )
    campaign = campaign_current(request.GET.get("campaign"), among=campaigns)
    as_of, as_of_error = date_or_default(request.GET.get("as_of"), clock.today())
    context = {"campaigns": campaigns, "campaign": campaign, "as_of": as_of}
    context["as_of_error"] = as_of_error
    if campaign is not None:
        trips = InvestmentTrip.objects.filter(campaign=campaign, date__lte=as_of)
        agreements = Agreement.objects.filter(campaign=campaign, signed_on__lte=as_of)
        signed = Count("agreements", filter=Q(agreements__signed_on__lte=as_of))
        context.update(
            tallies=investment_tallies(campaign, as_of),
            trips=list(trips.select_related("leader").annotate(agreement_count=signed)),
            agreements=list(agreements.select_related("trip")),
            may_edit=can_manage_indicator_record(request.user, campaign.organiser_id),
        )
    return render(request, "indicators/investment.html", context)
