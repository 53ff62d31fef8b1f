"""Supervision: inspections (supervision.access: those of, or with findings in, the caller's
units) with their findings counted by status, and findings (of the units the caller reads) with
the status the supervision pages derive (supervision.queries.finding_rows)."""

import datetime

from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from shigan.core import clock
from shigan.supervision.access import (
    findings_visible_to,
    get_finding_for_user,
    get_inspection_for_user,
    inspections_visible_to,
)
from shigan.supervision.models import Finding, Inspection
from shigan.supervision.queries import (
    FindingRow,
    finding_rows,
    inspection_rows,
    inspections_listed,
)
from shigan.supervision.status import FindingStatus

from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, RecordId

router = Router(tags=["督查"])


class PageQuery(Schema):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    cursor: str | None = NinjaField(None, max_length=40, description="上一页返回的 next")
    limit: int = NinjaField(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数")


class FindingFilters(PageQuery):
    inspection: RecordId | None = NinjaField(None, description="督查编号")
    unit: RecordId | None = NinjaField(None, description="被督查单位编号")


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


class InspectionDetailOut(InspectionOut):
    summary: str
    findings: list[FindingOut]


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
    return row | {"summary": inspection.summary, "findings": [_finding_out(r) for r in found]}


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
    page, next_cursor = page_of(findings.only("id"), filters.cursor, filters.limit)
    chosen = Finding.objects.filter(pk__in=[f.pk for f in page]).order_by("pk")
    rows = finding_rows(chosen, clock.today())
    return {"items": [_finding_out(r) for r in rows], "next": next_cursor}


@router.get(
    "/findings/{finding_id}", response={200: FindingOut, **RECORD_ERRORS}, summary="督查问题详情"
)
def finding_detail(request, finding_id: RecordId):
    finding = get_finding_for_user(request.user, finding_id)
    (row,) = finding_rows(Finding.objects.filter(pk=finding.pk), clock.today())
    return _finding_out(row)
