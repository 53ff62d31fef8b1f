"""Who may read and record media reports (宣传报道): every role reads them, coordinators record
them."""

from django.db.models import QuerySet

from shigan.orgs.scope import has_role, is_coordinator


def can_record_media_report(user) -> bool:
    return is_coordinator(user)


def can_read_media_reports(user) -> bool:
    return has_role(user)


def media_reports_visible_to(user, reports: QuerySet) -> QuerySet:
    return reports if can_read_media_reports(user) else reports.none()
