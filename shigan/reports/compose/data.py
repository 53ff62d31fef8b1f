"""The records a report states, loaded in a fixed number of queries whatever their number.

Everything dated after the report's date is left out (meetings, study sessions, notices,
inspections, media reports, trips and agreements); tasks are read as the battle map reads them
on that day (tasks.queries: progress filed by then, milestones done by then, approvals by then).
The report is the district's document: it reads every record, not a user's scope.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from shigan.campaigns.models import Campaign, PlanSection
from shigan.indicators.models import Agreement, InvestmentTrip, KeyEnterprise, KeyProject
from shigan.indicators.queries import ProjectRate, project_rates
from shigan.meetings.models import Meeting, MeetingSeries, StudySession
from shigan.orgs.models import GroupRole, LeadingGroupMember, Unit
from shigan.orgs.scope import subtree_ids
from shigan.publicity.models import MediaReport
from shigan.supervision.models import Exemplar, Finding, Inspection, Notice
from shigan.tasks.models import Task, TaskOrigin
from shigan.tasks.queries import TaskRow, task_rows, tasks_known
from shigan.tasks.status import TaskStatus


@dataclass
class ActivityFacts:
    plan_sections: list[PlanSection]
    group_leader: LeadingGroupMember | None
    series: list[MeetingSeries]
    meetings: list[Meeting]
    studies: list[StudySession]
    notices: list[Notice]
    inspections: list[Inspection]
    findings: list[Finding]
    media: list[MediaReport]


@dataclass
class EconomyFacts:
    enterprises: list[KeyEnterprise]
    short_names: dict[str, str]
    projects: list[KeyProject]
    rates: list[ProjectRate]
    trips: list[InvestmentTrip]
    agreements: list[Agreement]


@dataclass
class TaskFacts:
    rows: list[TaskRow]  # with their milestones as known on the report's date


def campaign_loaded(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_related("organiser", "leading_group").get(pk=campaign.pk)


def _group_leader(campaign: Campaign) -> LeadingGroupMember | None:
    if campaign.leading_group_id is None:
        return None
    members = LeadingGroupMember.objects.filter(
        group_id=campaign.leading_group_id, role=GroupRole.LEADER
    )
    return members.select_related("person").order_by("sort_order", "id").first()


def activity_facts(campaign: Campaign, as_of: datetime.date) -> ActivityFacts:
    """Plan, leading group, meetings, study, notices, inspections and media (ten queries)."""
    notices = Notice.objects.filter(campaign=campaign, date__lte=as_of).prefetch_related(
        Prefetch("exemplars", queryset=Exemplar.objects.order_by("sort_order", "id"))
    )
    inspections = Inspection.objects.filter(campaign=campaign, date__lte=as_of)
    return ActivityFacts(
        plan_sections=list(PlanSection.objects.filter(campaign=campaign)),
        group_leader=_group_leader(campaign),
        series=list(MeetingSeries.objects.filter(campaign=campaign).select_related("campaign")),
        meetings=list(
            Meeting.objects.filter(campaign=campaign, date__lte=as_of).order_by("date", "id")
        ),
        studies=list(
            StudySession.objects.filter(
                campaign=campaign, date__year=as_of.year, date__lte=as_of
            ).order_by("date", "id")
        ),
        notices=list(notices.order_by("date", "id")),
        inspections=list(inspections.order_by("date", "id")),
        findings=list(
            Finding.objects.filter(inspection__in=inspections).select_related("inspection")
        ),
        media=list(
            MediaReport.objects.filter(
                campaign=campaign, date__year=as_of.year, date__lte=as_of
            ).order_by("date", "id")
        ),
    )


def _short_names(enterprises: list[KeyEnterprise]) -> dict[str, str]:
    """An enterprise's short name (零傲) from the unit of the same name, when there is one."""
    names = [e.name for e in enterprises]
    units = Unit.objects.filter(name__in=names).exclude(short_name="")
    return dict(units.values_list("name", "short_name"))


def economy_facts(campaign: Campaign, as_of: datetime.date) -> EconomyFacts:
    """Key enterprises, key projects and their rates, trips and agreements (seven queries), of
    the campaign organiser's own units only (a city database holds every district's)."""
    district = subtree_ids([campaign.organiser_id])
    projects = KeyProject.objects.filter(year=as_of.year, responsible_unit_id__in=district)
    enterprises = list(
        KeyEnterprise.objects.filter(
            Q(unit_id__in=district) | Q(id__in=projects.values("enterprise_id"))
        ).order_by("sort_order", "id")
    )
    return EconomyFacts(
        enterprises=enterprises,
        short_names=_short_names(enterprises) if enterprises else {},
        projects=list(projects.order_by("sort_order", "id")),
        rates=project_rates(projects, as_of),
        trips=list(
            InvestmentTrip.objects.filter(campaign=campaign, date__lte=as_of).order_by("date", "id")
        ),
        agreements=list(
            Agreement.objects.filter(campaign=campaign, signed_on__lte=as_of).order_by(
                "signed_on", "id"
            )
        ),
    )


def task_facts(campaign: Campaign, as_of: datetime.date) -> TaskFacts:
    """The campaign's list tasks not cancelled by `as_of`, with their status, latest progress
    and milestones as known on that day (tasks.queries.task_rows; two queries)."""
    tasks = tasks_known(Task.objects.filter(campaign=campaign, origin=TaskOrigin.LIST), as_of)
    ordered = tasks.order_by("category__sort_order", "category_id", "number", "id")
    rows = task_rows(ordered, as_of, with_milestones=True)
    return TaskFacts(rows=[r for r in rows if r.status != TaskStatus.CANCELLED])
