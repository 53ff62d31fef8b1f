"""Who may read and record media reports (宣传报道): every role reads them, coordinators record
them — those of their own level (a district's are read-only to its county's)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from shigan.orgs.scope import (
    at_own_level,
    get_visible,
    has_role,
    is_coordinator,
    require_own_level,
    within_district,
)

from .models import MediaReport


def can_record_media_report(user) -> bool:
    return is_coordinator(user)


def can_correct_media_report(user, report: MediaReport) -> bool:
    """Correct a media report (更正): a coordinator, for a report on his own level's campaign
    (`report.campaign` loaded; no query unless his scope holds levels below his own)."""
    return can_record_media_report(user) and at_own_level(user, report.campaign.organiser_id)


def can_read_media_reports(user) -> bool:
    return has_role(user)


def media_reports_visible_to(user, reports: QuerySet) -> QuerySet:
    """Media reports on the campaigns of the user's district."""
    if not can_read_media_reports(user):
        return reports.none()
    return within_district(user, reports, "campaign__organiser_id")


def get_media_report_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The media report `pk` if the user reads it (404 otherwise); with write=True (correcting
    it) also 403 unless he records media reports."""
    base = queryset if queryset is not None else MediaReport.objects.all()
    report = get_visible(media_reports_visible_to(user, base), pk, "宣传报道不存在或无权查看。")
    if write and not can_record_media_report(user):
        raise PermissionDenied("只有专班可以登记、更正宣传报道。")
    if write:
        require_own_level(user, report, "campaign__organiser_id")
    return report
