"""The grassroots ledger's concerns (群众诉求): those the caller reads (grassroots.access), each
with its status today on its district's working-day calendar and the requester's phone and ID
number masked, as the list, the page and the export show them (grassroots.queries.concerns
.concern_rows, core.masking). The full numbers are never given here: the page shows them to
the concern's handler on asking, and records each asking."""

import datetime
from collections import defaultdict

from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from shigan.core import clock
from shigan.core.models import user_display_name
from shigan.grassroots.access import concerns_visible_to, get_concern_for_user
from shigan.grassroots.models import Concern
from shigan.grassroots.queries.concerns import ConcernRow, concern_page_facts, concern_rows
from shigan.grassroots.steps import ConcernStatus
from shigan.orgs.workdays import calendar_for

from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, RecordId

router = Router(tags=["基层治理台账"])


class ConcernFilters(Schema):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    assigned_unit: RecordId | None = NinjaField(None, description="承办单位编号")
    cursor: str | None = NinjaField(None, max_length=40, description="上一页返回的 next")
    limit: int = NinjaField(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数")


class ConcernOut(Schema):
    id: int
    campaign_id: int
    number: str
    kind: str
    kind_label: str
    source: str
    source_label: str
    category: str | None
    requester_name: str
    requester_phone: str = NinjaField(description="联系电话（已脱敏：138****1234）")
    requester_id_number: str = NinjaField(description="身份证号（已脱敏）")
    content: str
    received_on: datetime.date
    due_on: datetime.date
    assigned_unit_id: int | None
    assigned_unit: str | None
    step: str
    step_label: str
    closed_on: datetime.date | None
    status: ConcernStatus = NinjaField(description="今天的办理状态（按所在区的工作日历）")
    status_label: str


class ConcernPage(Schema):
    items: list[ConcernOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


class ConcernActionOut(Schema):
    step: str
    step_label: str
    by: str
    on: datetime.date
    note: str
    to_unit_id: int | None
    satisfaction: str


class ConcernDetailOut(ConcernOut):
    parties: str
    outcome: str
    satisfaction: str
    actions: list[ConcernActionOut]


def _concern_out(row: ConcernRow) -> dict:
    c = row.concern
    return {
        "id": c.pk,
        "campaign_id": c.campaign_id,
        "number": c.number,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "source": c.source,
        "source_label": c.get_source_display(),
        "category": c.category.name if c.category_id else None,
        "requester_name": c.requester_name,
        "requester_phone": row.phone,
        "requester_id_number": row.id_number,
        "content": c.content,
        "received_on": c.received_on,
        "due_on": c.due_on,
        "assigned_unit_id": c.assigned_unit_id,
        "assigned_unit": c.assigned_unit.name if c.assigned_unit_id else None,
        "step": c.step,
        "step_label": c.get_step_display(),
        "closed_on": c.closed_on,
        "status": row.status,
        "status_label": ConcernStatus(row.status).label,
    }


def _rows(ids: list[int], today: datetime.date) -> list[ConcernRow]:
    """The concerns `ids`, by id, each judged on its campaign's district's calendar (one query
    for the districts, then concern_rows per district: one in practice)."""
    districts = Concern.objects.filter(pk__in=ids).values_list(
        "pk", "campaign__organiser__district_id"
    )
    by_district: dict[int | None, list[int]] = defaultdict(list)
    for pk, district_id in districts:
        by_district[district_id].append(pk)
    rows = [
        row
        for district_id, pks in by_district.items()
        for row in concern_rows(
            Concern.objects.filter(pk__in=pks), today=today, calendar=calendar_for(district_id)
        )
    ]
    return sorted(rows, key=lambda row: row.concern.pk)


@router.get("/concerns", response={200: ConcernPage, **READ_ERRORS}, summary="群众诉求列表")
def concern_list(request, filters: Query[ConcernFilters]):
    """The concerns the caller reads, by id, each with its status today; the requester's phone
    and ID number masked, as on the list and in the export."""
    known_only(request, ConcernFilters)
    concerns = concerns_visible_to(request.user, Concern.objects.all())
    for name in ("campaign", "assigned_unit"):
        if (value := getattr(filters, name)) is not None:
            concerns = concerns.filter(**{f"{name}_id": value})
    page, next_cursor = page_of(concerns.only("id"), filters.cursor, filters.limit)
    rows = _rows([c.pk for c in page], clock.today())
    return {"items": [_concern_out(row) for row in rows], "next": next_cursor}


@router.get(
    "/concerns/{concern_id}",
    response={200: ConcernDetailOut, **RECORD_ERRORS},
    summary="群众诉求详情",
)
def concern_detail(request, concern_id: RecordId):
    """A concern with its steps taken (办理记录), the requester's numbers masked."""
    concern = get_concern_for_user(request.user, concern_id)
    (row,) = _rows([concern.pk], clock.today())
    actions, _ = concern_page_facts(concern)
    return _concern_out(row) | {
        "parties": concern.parties,
        "outcome": concern.outcome,
        "satisfaction": concern.satisfaction,
        "actions": [
            {
                "step": a.step,
                "step_label": a.get_step_display(),
                "by": user_display_name(a.by),
                "on": a.on,
                "note": a.note,
                "to_unit_id": a.to_unit_id,
                "satisfaction": a.satisfaction,
            }
            for a in actions
        ],
    }
