"""The records a report states and their figures, read through the apps' query modules: the
functions the cockpit and the apps' pages read the same figures from (meetings_held,
series_cadence_in, study_tally, notice_tally, inspection_tally, finding_tally,
media_report_counts, investment_records, project_rates, task_tally), so each figure is computed
once. The report is the district's document: its scope is every record of the campaign, not a
user's. What was known on the report's date follows the apps' one as-of rule
(tasks.queries.known_until): nothing dated, filed, reached or approved after it counts. A fixed
number of queries whatever the number of records.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from shigan.campaigns.models import Campaign, PlanSection
from shigan.grassroots.queries.ledger import LedgerFacts, ledger_facts
from shigan.indicators.models import KeyEnterprise, KeyProject
from shigan.indicators.queries import (
    InvestmentRecords,
    ProjectRate,
    investment_records,
    project_rates,
)
from shigan.meetings.models import Meeting, MeetingSeries, StudySession
from shigan.meetings.queries import (
    SeriesCadence,
    StudyTally,
    meetings_held,
    series_cadence_in,
    study_tally,
)
from shigan.orgs.models import GroupRole, LeadingGroupMember, Unit
from shigan.publicity.models import MediaReport
from shigan.publicity.queries import MediaCounts, media_report_counts, media_reports_counted
from shigan.supervision.models import Finding, Inspection, Notice
from shigan.supervision.queries import (
    FindingTally,
    InspectionTally,
    NoticeTally,
    finding_tally,
    inspection_tally,
    notice_tally,
)
from shigan.tasks.models import Task, TaskOrigin
from shigan.tasks.queries import TaskRow, task_tally
from shigan.tasks.status import TaskStatus
from shigan.timebank.models import ServiceRecord
from shigan.timebank.queries import services_counted


@dataclass
class ActivityFacts:
    plan_sections: list[PlanSection]
    group_leader: LeadingGroupMember | None
    meetings: list[Meeting]  # held by the date, oldest first
    series: list[SeriesCadence]  # each series' meetings held and its cadence periods
    study: StudyTally
    notices: NoticeTally
    inspections: InspectionTally
    findings: FindingTally
    media: MediaCounts  # this year's reports by level
    media_reports: list[MediaReport]  # the reports `media` counts


@dataclass
class EconomyFacts:
    enterprises: list[KeyEnterprise]
    short_names: dict[str, str]
    projects: list[KeyProject]
    rates: list[ProjectRate]
    investment: InvestmentRecords


@dataclass
class TaskFacts:
    rows: list[TaskRow]  # with their milestones as known on the report's date


@dataclass
class PeopleFacts:
    ledger: LedgerFacts
    services: list[ServiceRecord]  # the time bank's confirmed hours by the date


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
    """Plan, leading group, meetings, series, study, notices, inspections, findings and media as
    of `as_of` (twelve queries)."""
    media = MediaReport.objects.filter(campaign=campaign)
    return ActivityFacts(
        plan_sections=list(PlanSection.objects.filter(campaign=campaign)),
        group_leader=_group_leader(campaign),
        meetings=list(meetings_held(campaign, as_of, Meeting.objects.all())),
        series=series_cadence_in(campaign, as_of, MeetingSeries.objects.all()),
        study=study_tally(campaign, as_of, StudySession.objects.all()),
        notices=notice_tally(campaign, as_of, Notice.objects.all()),
        inspections=inspection_tally(campaign, as_of, Inspection.objects.all()),
        findings=finding_tally(campaign, as_of, Finding.objects.all()),
        media=media_report_counts(media, as_of=as_of),
        media_reports=list(media_reports_counted(media, as_of=as_of)),
    )


def _short_names(enterprises: list[KeyEnterprise]) -> dict[str, str]:
    """An enterprise's short name (零傲) from the unit of the same name, when there is one."""
    names = [e.name for e in enterprises]
    units = Unit.objects.filter(name__in=names).exclude(short_name="")
    return dict(units.values_list("name", "short_name"))


def own_level_ids(campaign: Campaign) -> set[int]:
    """The units of the campaign organiser's own level (orgs.Unit.district): a county's report
    states its own units' records as its own, its districts' only as theirs (levels.py), and a
    city database holds every district's (one query)."""
    units = Unit.objects.filter(district_id=campaign.organiser.district_id)
    return set(units.values_list("pk", flat=True))


def economy_facts(campaign: Campaign, as_of: datetime.date) -> EconomyFacts:
    """Key enterprises, key projects and their rates (of the campaign organiser's own level's
    units only), trips and agreements (seven queries)."""
    district = own_level_ids(campaign)
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
        investment=investment_records(campaign, as_of),
    )


def task_facts(campaign: Campaign, as_of: datetime.date) -> TaskFacts:
    """The campaign's list tasks not cancelled by `as_of`, with their status, latest progress
    and milestones as known on that day (tasks.queries.task_tally, as the battle map reads them;
    three queries)."""
    listed = Task.objects.filter(origin=TaskOrigin.LIST)
    ordered = listed.order_by("category__sort_order", "category_id", "number", "id")
    tally = task_tally(campaign, as_of, ordered, with_milestones=True)
    return TaskFacts(rows=[r for r in tally.rows if r.status != TaskStatus.CANCELLED])


def people_facts(campaign: Campaign, as_of: datetime.date) -> PeopleFacts:
    """The grassroots ledger (grassroots.queries.ledger) and the time bank's hours of the
    campaign's district, as known on `as_of` (nine queries)."""
    district = campaign.organiser.district_id
    return PeopleFacts(
        ledger=ledger_facts(campaign, as_of),
        services=services_counted(district, year=as_of.year, as_of=as_of),
    )
