"""Who may read and record supervision (督查): inspections, findings, verifications, spot checks
and notices.

- coordinators and inspectors read all of it and record inspections, findings, verifications
  and spot checks; coordinators alone record notices;
- a leader reads the inspections and findings of the units he oversees, and the spot checks;
- a reporter reads the inspections and findings of his unit, not the spot checks (they pick the
  items to be checked on site);
- notices are read by every role;
- all of it within the user's scope (orgs.scope: a county's coordinators and inspectors read its
  districts' too), recorded and corrected at the user's own level only (require_own_level).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from shigan.orgs.models import Role
from shigan.orgs.scope import (
    at_own_level,
    get_visible,
    has_role,
    is_coordinator,
    reads_everything,
    require_own_level,
    role_of,
    visible_unit_ids,
    within_district,
    within_units,
)

from .models import Finding, Inspection, Notice, SpotCheck


def can_record_supervision(user) -> bool:
    return role_of(user) in {Role.COORDINATOR, Role.INSPECTOR}


def can_record_notice(user) -> bool:
    return is_coordinator(user)


def can_correct_inspection(user, inspection: Inspection) -> bool:
    """Correct an inspection (更正) or add a finding to it: who records supervision, for an
    inspection of his own level's campaign (`inspection.campaign` loaded; no query unless his
    scope holds levels below his own). A district's are read-only to its county."""
    return can_record_supervision(user) and at_own_level(user, inspection.campaign.organiser_id)


def can_correct_finding(user, finding: Finding) -> bool:
    """Correct a finding (更正) or verify its rectification: who records supervision, for a
    finding of his own level's inspection (`finding.inspection.campaign` loaded)."""
    return can_correct_inspection(user, finding.inspection)


def can_correct_notice(user, notice: Notice) -> bool:
    """Correct a notice (更正): a coordinator, for a notice of his own level's campaign
    (`notice.campaign` loaded)."""
    return can_record_notice(user) and at_own_level(user, notice.campaign.organiser_id)


def can_read_notices(user) -> bool:
    """Notices (通报) are read by every role."""
    return has_role(user)


def can_read_spot_checks(user) -> bool:
    return role_of(user) in {Role.COORDINATOR, Role.INSPECTOR, Role.LEADER}


def spot_checks_visible_to(user, spot_checks: QuerySet) -> QuerySet:
    """Spot checks of the campaigns of the user's district, for those who read them."""
    if not can_read_spot_checks(user):
        return spot_checks.none()
    return within_district(user, spot_checks, "campaign__organiser_id")


def findings_visible_to(user, findings: QuerySet) -> QuerySet:
    """Filter a Finding queryset down to the findings of units the user may read."""
    return within_units(user, findings, "unit_id")


def inspections_visible_to(user, inspections: QuerySet) -> QuerySet:
    """Inspections of, or with findings in, units the user may read; every inspection of his
    district's campaigns for a coordinator or inspector."""
    if reads_everything(user):
        return within_district(user, inspections, "campaign__organiser_id")
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return inspections
    model = inspections.model
    concerned = model.objects.filter(Q(units__in=unit_ids) | Q(findings__unit__in=unit_ids))
    return inspections.filter(id__in=concerned.values("id"))


def notices_visible_to(user, notices: QuerySet) -> QuerySet:
    """Notices of the campaigns of the user's district."""
    if not can_read_notices(user):
        return notices.none()
    return within_district(user, notices, "campaign__organiser_id")


def get_inspection_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The inspection `pk` if it concerns the user's units (404 otherwise); with write=True also
    403 unless he records supervision."""
    base = queryset if queryset is not None else Inspection.objects.all()
    inspection = get_visible(inspections_visible_to(user, base), pk, "督查记录不存在或无权查看。")
    if write and not can_record_supervision(user):
        raise PermissionDenied("只有督查人员或专班可以录入督查记录。")
    if write:
        require_own_level(user, inspection, "campaign__organiser_id")
    return inspection


def get_finding_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The finding `pk` if it is of a unit the user may read (404 otherwise); with write=True
    also 403 unless he records supervision."""
    base = queryset if queryset is not None else Finding.objects.all()
    finding = get_visible(findings_visible_to(user, base), pk, "督查问题不存在或无权查看。")
    if write and not can_record_supervision(user):
        raise PermissionDenied("只有督查人员或专班可以更正督查问题、核查整改情况。")
    if write:
        require_own_level(user, finding, "inspection__campaign__organiser_id")
    return finding


def get_spot_check_for_user(user, pk, *, queryset: QuerySet | None = None):
    """A spot check for those who read them (404 for everyone else)."""
    base = queryset if queryset is not None else SpotCheck.objects.all()
    visible = spot_checks_visible_to(user, base)
    return get_visible(visible, pk, "抽查记录不存在或无权查看。")


def get_notice_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """A notice (通报): readable by every role; with write=True (correcting it) 403 unless he
    records notices."""
    base = queryset if queryset is not None else Notice.objects.all()
    notice = get_visible(notices_visible_to(user, base), pk, "通报不存在。")
    if write and not can_record_notice(user):
        raise PermissionDenied("只有专班可以录入、更正通报。")
    if write:
        require_own_level(user, notice, "campaign__organiser_id")
    return notice
