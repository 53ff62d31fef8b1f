"""Supervision: inspections (supervision.access: those of, or with findings in, the caller's
units) with their findings counted by status, and findings (of the units the caller reads) with
the status the supervision pages derive (supervision.queries.finding_rows).

Writes as the supervision pages make them, through their forms (choices of the caller's
district and level, their messages) and supervision.services (rules, audit): recording an
inspection, its findings (each opens its rectification task) and the verification of a
rectification (核查). A finding's rectification progress and its closure (办结销号) are its task's:
POST /tasks/{task_id}/progress and /tasks/{task_id}/change-requests."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from shigan.core import clock
from shigan.core.editing import record_version
from shigan.orgs.scope import person_of
from shigan.supervision.access import (
    can_record_supervision,
    findings_visible_to,
    get_finding_for_user,
    get_inspection_for_user,
    inspections_visible_to,
)
from shigan.supervision.forms import (
    FindingEditForm,
    FindingForm,
    InspectionEditForm,
    InspectionForm,
    VerificationForm,
)
from shigan.supervision.models import (
    Finding,
    Inspection,
    InspectionKind,
    Severity,
    VerificationResult,
)
from shigan.supervision.queries import (
    FindingRow,
    finding_rows,
    inspection_rows,
    inspections_listed,
)
from shigan.supervision.services import (
    finding_correct,
    finding_record,
    inspection_correct,
    inspection_record,
    verification_record,
)
from shigan.supervision.status import FindingStatus

from ..body import body_documented, body_parsed
from ..corrections import VERSION_DESCRIPTION, Correction, corrected, correction_data
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, cursor_decode, cursor_encode, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, RecordId

router = Router(tags=["督查"])


class PageQuery(PageFilters):
    campaign: RecordId | None = NinjaField(None, description="活动编号")


class FindingFilters(PageQuery):
    inspection: RecordId | None = NinjaField(None, description="督查编号")
    unit: RecordId | None = NinjaField(None, description="被督查单位编号")
    status: FindingStatus | None = NinjaField(
        None,
        description="今天的整改状态（如问题列表页的筛选）：pending 待整改、in_progress 整改中、"
        "overdue 逾期、awaiting 待核查、verified 已核查、closed 已销号、cancelled 已撤销",
    )


class FindingOut(Schema):
    id: int
    inspection_id: int
    unit_id: int
    unit: str
    problem: str
    severity: str
    severity_label: str
    requirement: str
    deadline: datetime.date
    task_id: int = NinjaField(description="整改任务（进展、延期、销号经任务办理）")
    status: FindingStatus = NinjaField(description="今天的整改状态")
    status_label: str
    days_left: int
    reports: int = NinjaField(description="整改进展报告数")
    last_result: str | None = NinjaField(description="最近一次核查结果")
    last_verified_on: datetime.date | None


class FindingPage(Schema):
    items: list[FindingOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


class InspectionOut(Schema):
    id: int
    campaign_id: int
    topic: str
    kind: str
    kind_label: str
    date: datetime.date
    unit_ids: list[int] = NinjaField(description="被督查单位")
    findings_total: int = NinjaField(description="调用者可查看的问题数")
    findings_by_status: dict[str, int]


class InspectionPage(Schema):
    items: list[InspectionOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


class FindingDetailOut(FindingOut):
    version: int = NinjaField(description=VERSION_DESCRIPTION)


class InspectionDetailOut(InspectionOut):
    summary: str
    findings: list[FindingOut]
    version: int = NinjaField(description=VERSION_DESCRIPTION)


def _finding_out(row: FindingRow) -> dict:
    finding = row.finding
    return {
        "id": finding.pk,
        "inspection_id": finding.inspection_id,
        "unit_id": finding.unit_id,
        "unit": finding.unit.name,
        "problem": finding.problem,
        "severity": finding.severity,
        "severity_label": finding.get_severity_display(),
        "requirement": finding.requirement,
        "deadline": finding.deadline,
        "task_id": finding.task_id,
        "status": row.status,
        "status_label": FindingStatus(row.status).label,
        "days_left": row.days_left,
        "reports": row.reports,
        "last_result": row.last_result,
        "last_verified_on": row.last_verified_on,
    }


def _inspection_rows(user, inspections: list[Inspection], today: datetime.date) -> list[dict]:
    findings = findings_visible_to(user, Finding.objects.all())
    return [
        {
            "id": row.inspection.pk,
            "campaign_id": row.inspection.campaign_id,
            "topic": row.inspection.topic,
            "kind": row.inspection.kind,
            "kind_label": row.inspection.get_kind_display(),
            "date": row.inspection.date,
            "unit_ids": sorted(unit.pk for unit in row.inspection.units.all()),
            "findings_total": row.total,
            "findings_by_status": {status.value: n for status, n in row.counts.items()},
        }
        for row in inspection_rows(inspections, findings, today)
    ]


@router.get("/inspections", response={200: InspectionPage, **READ_ERRORS}, summary="督查列表")
def inspection_list(request, filters: Query[PageQuery]):
    """The inspections the caller reads, by id, each with the findings he reads counted by
    their status today."""
    known_only(request, PageQuery)
    inspections = inspections_visible_to(request.user, Inspection.objects.all())
    if filters.campaign is not None:
        inspections = inspections.filter(campaign_id=filters.campaign)
    page, next_cursor = page_of(inspections.only("id"), filters.cursor, filters.limit)
    chosen = inspections_listed(Inspection.objects.filter(pk__in=[i.pk for i in page]))
    rows = _inspection_rows(request.user, list(chosen.order_by("pk")), clock.today())
    return {"items": rows, "next": next_cursor}


@router.get(
    "/inspections/{inspection_id}",
    response={200: InspectionDetailOut, **RECORD_ERRORS},
    summary="督查详情",
)
def inspection_detail(request, inspection_id: RecordId):
    """An inspection with the findings the caller reads (their units his), each with its status."""
    today = clock.today()
    queryset = inspections_listed(Inspection.objects.all())
    inspection = get_inspection_for_user(request.user, inspection_id, queryset=queryset)
    (row,) = _inspection_rows(request.user, [inspection], today)
    findings = findings_visible_to(request.user, Finding.objects.filter(inspection=inspection))
    found = finding_rows(findings.order_by("pk"), today)
    return row | {
        "summary": inspection.summary,
        "findings": [_finding_out(r) for r in found],
        "version": record_version(inspection),
    }


@router.get("/findings", response={200: FindingPage, **READ_ERRORS}, summary="督查问题列表")
def finding_list(request, filters: Query[FindingFilters]):
    """The findings of the units the caller reads, by id, each with its status today."""
    known_only(request, FindingFilters)
    findings = findings_visible_to(request.user, Finding.objects.all())
    if filters.campaign is not None:
        findings = findings.filter(inspection__campaign_id=filters.campaign)
    for name in ("inspection", "unit"):
        if (value := getattr(filters, name)) is not None:
            findings = findings.filter(**{f"{name}_id": value})
    if filters.status is not None:
        rows, next_cursor = _rows_of_status(findings, filters)
        return {"items": [_finding_out(r) for r in rows], "next": next_cursor}
    page, next_cursor = page_of(findings.only("id"), filters.cursor, filters.limit)
    chosen = Finding.objects.filter(pk__in=[f.pk for f in page]).order_by("pk")
    rows = finding_rows(chosen, clock.today())
    return {"items": [_finding_out(r) for r in rows], "next": next_cursor}


def _rows_of_status(findings, filters: FindingFilters) -> tuple[list[FindingRow], str | None]:
    """The page of findings of one status today after the cursor: the status is derived from a
    finding's task and verifications (supervision.status), so the rows after the cursor are
    judged as the list page judges them (finding_rows, one query) and the page taken from
    those of the status."""
    after = cursor_decode(filters.cursor)
    rows = finding_rows(
        findings.filter(pk__gt=after).order_by("pk"), clock.today(), statuses={filters.status}
    )
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        return rows, cursor_encode(rows[-1].finding.pk)
    return rows, None


@router.get(
    "/findings/{finding_id}",
    response={200: FindingDetailOut, **RECORD_ERRORS},
    summary="督查问题详情",
)
def finding_detail(request, finding_id: RecordId):
    finding = get_finding_for_user(request.user, finding_id)
    (row,) = finding_rows(Finding.objects.filter(pk=finding.pk), clock.today())
    return _finding_out(row) | {"version": record_version(finding)}


class InspectionIn(Schema):
    """An inspection as the 录入督查 page takes it (supervision.forms.InspectionForm)."""

    campaign: RecordId = NinjaField(description="活动编号（本级的活动）")
    topic: str = NinjaField(max_length=200, description="督查主题")
    kind: InspectionKind = NinjaField(description="督查方式")
    date: str = NinjaField(description="督查日期，YYYY-MM-DD", examples=["2023-07-31"])
    inspectors: list[RecordId] = NinjaField(max_length=1000, description="督查人员（人员编号）")
    units: list[RecordId] = NinjaField(max_length=1000, description="被督查单位编号")
    summary: str = NinjaField("", max_length=20000, description="督查情况")


def _recorder(user) -> None:
    if not can_record_supervision(user):  # as the page: before anything is read
        raise PermissionDenied("只有督查人员或专班可以录入督查记录。")


@router.post(
    "/inspections",
    response={201: InspectionDetailOut, **WRITE_ERRORS},
    summary="录入督查",
    url_name="inspection_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(InspectionIn),
)
def inspection_create(request):
    """Record an inspection as the 录入督查 page does (supervision.services.inspection_record,
    audited): an inspector or the task force, in a campaign of its level, with its district's
    inspectors and units. Its findings are then added one by one (POST …/findings)."""
    _recorder(request.user)
    payload = body_parsed(request, InspectionIn)
    form = InspectionForm(form_data(payload), person=person_of(request.user), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        inspection = inspection_record(by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, inspection_detail(request, inspection.pk))


class FindingIn(Schema):
    """A finding as the inspection page's form takes it (supervision.forms.FindingForm)."""

    unit: RecordId = NinjaField(description="问题所在单位编号（须为被督查单位）")
    problem: str = NinjaField(max_length=20000, description="问题描述")
    severity: Severity = NinjaField(description="严重程度")
    requirement: str = NinjaField(max_length=20000, description="整改要求")
    deadline: str = NinjaField(description="整改时限，YYYY-MM-DD", examples=["2023-08-31"])


@router.post(
    "/inspections/{inspection_id}/findings",
    response={201: FindingDetailOut, **WRITE_ERRORS},
    summary="录入督查发现的问题",
    openapi_extra=body_documented(FindingIn),
)
def finding_create(request, inspection_id: RecordId):
    """Record a finding of the inspection as its page does (supervision.services.finding_record:
    a rectification task opens for the unit, both audited): who records supervision at the
    inspection's level (404 for whoever does not read it, 403 for whoever only reads it)."""
    queryset = Inspection.objects.select_related("campaign").prefetch_related("units")
    inspection = get_inspection_for_user(request.user, inspection_id, write=True, queryset=queryset)
    payload = body_parsed(request, FindingIn)
    form = FindingForm(form_data(payload), inspection=inspection)
    if not form.is_valid():
        raise form_refused(form)
    try:
        finding = finding_record(inspection=inspection, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, finding_detail(request, finding.pk))


class VerificationIn(Schema):
    """A verification as the 核查 page takes it (supervision.forms.VerificationForm)."""

    verified_by: RecordId = NinjaField(description="核查人（人员编号）")
    date: str = NinjaField(description="核查日期，YYYY-MM-DD", examples=["2023-07-31"])
    result: VerificationResult = NinjaField(description="核查结果")
    note: str = NinjaField("", max_length=20000, description="核查意见（未通过时必填）")


@router.post(
    "/findings/{finding_id}/verifications",
    response={201: FindingDetailOut, **WRITE_ERRORS},
    summary="核查整改情况",
    openapi_extra=body_documented(VerificationIn),
)
def verification_create(request, finding_id: RecordId):
    """Record whether the finding's rectification passed verification (核查), as its page does
    (supervision.services.verification_record, audited): who records supervision at the
    finding's level. Refused (422) for a finding closed or cancelled, a date before the
    inspection or after today, a failed verification without its note. The finding answered
    with its status after."""
    queryset = Finding.objects.select_related("inspection__campaign", "task")
    finding = get_finding_for_user(request.user, finding_id, write=True, queryset=queryset)
    payload = body_parsed(request, VerificationIn)
    form = VerificationForm(form_data(payload), person=person_of(request.user), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        verification_record(finding=finding, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, finding_detail(request, finding.pk))


class InspectionUpdateIn(InspectionIn, Correction):
    """An inspection as its 更正 page takes it (supervision.forms.InspectionEditForm)."""


@router.put(
    "/inspections/{inspection_id}",
    response={200: InspectionDetailOut, **WRITE_ERRORS},
    summary="更正督查",
    url_name="inspection_detail",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(InspectionUpdateIn),
)
def inspection_edit(request, inspection_id: RecordId):
    """Correct an inspection as its 更正 page does (supervision.services.inspection_correct: the rules
    of entry, its findings holding its campaign, date and units in place, a reason, the before and
    after audited): who records supervision at the inspection's level (404 for whoever does not read
    it, 403 for whoever only reads it). `version` is required (a missing one is a 422 on it); a save
    by someone else since is refused (422 on version); nothing changed is refused too."""
    queryset = Inspection.objects.select_related("campaign").prefetch_related("units", "inspectors")
    inspection = get_inspection_for_user(request.user, inspection_id, write=True, queryset=queryset)
    payload = body_parsed(request, InspectionUpdateIn)
    form = InspectionEditForm(correction_data(payload), inspection=inspection, user=request.user)
    corrected(
        form, inspection, what="督查",
        save=lambda: inspection_correct(inspection=inspection, by=request.user, **form.cleaned_data),
    )  # fmt: skip
    return inspection_detail(request, inspection.pk)


class FindingUpdateIn(FindingIn, Correction):
    """A finding as its 更正 page takes it (supervision.forms.FindingEditForm)."""


@router.put(
    "/findings/{finding_id}",
    response={200: FindingDetailOut, **WRITE_ERRORS},
    summary="更正督查问题",
    url_name="finding_detail",
    openapi_extra=body_documented(FindingUpdateIn),
)
def finding_edit(request, finding_id: RecordId):
    """Correct a finding as its 更正 page does (supervision.services.finding_correct: its
    rectification task follows — its unit, title, target and, unless already changed by an approved
    request, its due date; a reason; audited): who records supervision at the finding's level.
    `version` is required (a missing one is a 422 on it); a save by someone else since is refused
    (422 on version); nothing changed is refused too."""
    queryset = Finding.objects.select_related(
        "inspection__campaign", "unit", "task__leader", "task__lead_unit"
    )
    finding = get_finding_for_user(request.user, finding_id, write=True, queryset=queryset)
    payload = body_parsed(request, FindingUpdateIn)
    form = FindingEditForm(correction_data(payload), finding=finding)
    corrected(
        form, finding, what="督查发现的问题",
        save=lambda: finding_correct(finding=finding, by=request.user, **form.cleaned_data),
    )  # fmt: skip
    return finding_detail(request, finding.pk)
