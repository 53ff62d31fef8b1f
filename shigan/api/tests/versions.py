"""The `version` a PUT must send back (issue 19: a write without it is refused), as the record's
detail answers it: core.editing.record_version of the record the PUT's URL names — for tests that
write a record several times, or as several roles in turn, without reading its detail first."""

from django.urls import resolve

from shigan.campaigns.models import Campaign, Phase, PlanSection
from shigan.core.editing import record_version
from shigan.directives.editing import directive_version
from shigan.directives.models import Directive
from shigan.grassroots.models import (
    Concern,
    ConcernCategory,
    Pairing,
    PracticeActivity,
    ReceptionDay,
    Visit,
)
from shigan.indicators.models import Agreement, Indicator, InvestmentTrip, KeyEnterprise, KeyProject
from shigan.indicators.year_guard import year_version
from shigan.meetings.models import Meeting, MeetingSeries, StudySession
from shigan.orgs.models import WorkdayOverride
from shigan.publicity.models import MediaReport
from shigan.supervision.models import Finding, Inspection, Notice
from shigan.tasks.models import Task, TaskCategory

# The URL name of each PUT that takes a `version` → the record it edits and the parts of that
# record its version covers (the task's milestones, as api.endpoints.tasks reads it).
EDITED = {
    "campaign_detail": (Campaign, ()),
    "plan_section_detail": (PlanSection, ()),
    "phase_detail": (Phase, ()),
    "category_detail": (TaskCategory, ()),
    "task_detail": (Task, ("tasks.milestone",)),
    "indicator_detail": (Indicator, ()),
    "key_project_detail": (KeyProject, ()),
    "investment_trip_detail": (InvestmentTrip, ()),
    "agreement_detail": (Agreement, ()),
    "key_enterprise_detail": (KeyEnterprise, ()),
    "media_report_detail": (MediaReport, ()),
    "series_detail": (MeetingSeries, ()),
    "meeting_detail": (Meeting, ()),
    "concern_detail": (Concern, ()),
    "visit_detail": (Visit, ()),
    "pairing_detail": (Pairing, ()),
    "practice_activity_detail": (PracticeActivity, ()),
    "concern_category_detail": (ConcernCategory, ()),
    "reception_day_detail": (ReceptionDay, ()),
    "workday_detail": (WorkdayOverride, ()),
    "study_detail": (StudySession, ()),
    "directive_detail": (Directive, ()),  # with its points and files (directive_version)
    "indicator_year": (Indicator, ()),  # the year's target and same-period rows (year_version)
    "notice_detail": (Notice, ()),
    "inspection_detail": (Inspection, ()),
    "finding_detail": (Finding, ()),
}


def current_version(url: str) -> int:
    """The version of the record `url` (a PUT's address) edits, as its detail answers it now."""
    match = resolve(url.split("?")[0])
    if match.url_name == "directive_detail":  # the directive with its points and attachments
        return directive_version(Directive.objects.get(pk=match.kwargs["directive_id"]))
    if match.url_name == "indicator_year":  # a year of an indicator: no row of its own
        indicator = Indicator.objects.get(pk=match.kwargs["indicator_id"])
        return year_version(indicator, int(match.kwargs["year"]))
    model, parts = EDITED[match.url_name]
    (pk,) = match.kwargs.values()
    return record_version(model.objects.get(pk=pk), parts)


def versioned(url: str, body: dict) -> dict:
    """`body` with the current version of the record `url` edits when it sends none (or None);
    `body` as it is when it sends one, or when `url` edits no record carrying a version."""
    if body.get("version") is not None or _edited(url) not in EDITED:
        return body
    return body | {"version": current_version(url)}


def _edited(url: str) -> str:
    return resolve(url.split("?")[0]).url_name
