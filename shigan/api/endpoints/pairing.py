"""结对帮扶 (联系基层) as its pages: the pairings the caller reads (grassroots.access
.pairings_visible_to: the task force and inspectors their district's, a leader his own and
those of the units he oversees, a reporter his unit's cadres'), each with its visits, the last
one and the 90-day flag (grassroots.queries.pairing: 超过90天未走访); a pairing made as the
安排结对 page does (PairingForm, grassroots.services.pairing.pairing_create) and adjusted or
ended as its edit page does (PairingEditForm, pairing_update), by the task force of its own
level. The same messages, audited with before and after, all or nothing."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import record_version
from shigan.grassroots.access import (
    can_manage_pairings,
    get_pairing_for_user,
    pairings_visible_to,
    require_own_campaign,
    visits_readable_by,
)
from shigan.grassroots.forms.pairing import PairingEditForm, PairingForm
from shigan.grassroots.models import Pairing, PairingTargetKind, Visit
from shigan.grassroots.queries.pairing import PairingRow, pairing_rows
from shigan.grassroots.queries.pairing import pairing_detail as pairing_detail_row
from shigan.grassroots.services.pairing import pairing_create, pairing_update

from ..body import body_documented, body_parsed
from ..corrections import VERSION_DESCRIPTION, corrected
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, Day, RecordId, Version

router = Router(tags=["基层治理台账"])


class PairingFilters(PageFilters):
    campaign: RecordId | None = Field(None, description="活动编号")


class PairingOut(Schema):
    id: int
    campaign_id: int
    cadre_id: int = Field(description="结对干部（人员编号）")
    cadre: str
    cadre_unit_id: int
    cadre_unit: str
    target_kind: str = Field(
        description="结对对象类型：household 农户/居民户、village 村/社区、enterprise 企业"
    )
    target_kind_label: str
    target_name: str = Field(description="结对对象")
    place_unit_id: int | None = Field(description="所在村（社区）单位编号")
    place_unit: str | None
    started_on: datetime.date = Field(description="结对日期")
    ended_on: datetime.date | None = Field(description="结束日期（仍在结对为 null）")
    note: str = Field(description="帮扶内容")
    visits: int = Field(description="走访次数")
    last_visit: datetime.date | None = Field(description="最近一次走访日期")
    stale: bool = Field(description="超过90天未走访（仍在结对的，自结对或上次走访起）")


class PairingPage(Schema):
    items: list[PairingOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class PairingVisitOut(Schema):
    id: int = Field(description="走访编号（/visits/{id}）")
    date: datetime.date
    kind: str
    kind_label: str
    cadres: list[str] = Field(description="走访干部")
    place: str
    what_done: str = Field(description="帮扶内容")


class PairingDetailOut(PairingOut):
    visit_list: list[PairingVisitOut] = Field(
        description="结对下调用者可查看的走访，新的在前（走访次数 visits 计全部走访）"
    )
    version: int = Field(description=VERSION_DESCRIPTION)


def _out(row: PairingRow) -> dict:
    pairing = row.pairing
    return {
        "id": pairing.pk,
        "campaign_id": pairing.campaign_id,
        "cadre_id": pairing.cadre_id,
        "cadre": pairing.cadre.name,
        "cadre_unit_id": pairing.cadre.unit_id,
        "cadre_unit": pairing.cadre.unit.name,
        "target_kind": pairing.target_kind,
        "target_kind_label": pairing.get_target_kind_display(),
        "target_name": pairing.target_name,
        "place_unit_id": pairing.place_unit_id,
        "place_unit": pairing.place_unit.name if pairing.place_unit_id else None,
        "started_on": pairing.started_on,
        "ended_on": pairing.ended_on,
        "note": pairing.note,
        "visits": row.visits,
        "last_visit": row.last_visit,
        "stale": row.stale,
    }


def _rows(ids) -> list[dict]:
    rows = pairing_rows(Pairing.objects.filter(pk__in=ids), clock.today())
    return [_out(row) for row in sorted(rows, key=lambda r: r.pairing.pk)]


def _detail(user, pairing_id: int) -> dict:
    """A pairing with the visits under it that `user` opens, as its page lists them (the count,
    last visit and flag are the pairing's, of every visit)."""
    readable = visits_readable_by(user, Visit.objects.all())
    row = pairing_detail_row(Pairing.objects.all(), pairing_id, clock.today(), readable=readable)
    visits = [
        {
            "id": v.pk,
            "date": v.date,
            "kind": v.kind,
            "kind_label": v.get_kind_display(),
            "cadres": [p.name for p in v.cadres.all()],
            "place": v.place,
            "what_done": v.what_done,
        }
        for v in row.pairing.visits.all()
    ]
    return _out(row) | {"visit_list": visits, "version": record_version(row.pairing)}


@router.get("/pairings", response={200: PairingPage, **READ_ERRORS}, summary="结对帮扶列表")
def pairing_list(request, filters: Query[PairingFilters]):
    """The pairings the caller reads (as the 结对帮扶 page, every role), by id, each with its
    visits and the 90-day flag — of every campaign he reads, or of `campaign` alone (the page
    shows the current one). The same queries whatever the page's size: its ids, its rows."""
    known_only(request, PairingFilters)
    pairings = pairings_visible_to(request.user, Pairing.objects.all())
    if filters.campaign is not None:
        pairings = pairings.filter(campaign_id=filters.campaign)
    page, next_cursor = page_of(pairings.only("id"), filters.cursor, filters.limit)
    return {"items": _rows([p.pk for p in page]), "next": next_cursor}


@router.get(
    "/pairings/{pairing_id}",
    response={200: PairingDetailOut, **RECORD_ERRORS},
    summary="结对帮扶详情",
)
def pairing_detail(request, pairing_id: RecordId):
    """A pairing as its page shows it, with the visits made under it that the caller opens
    (grassroots.access.visits_readable_by), newest first (404 for a pairing the caller does not
    read, with the message of one that does not exist)."""
    get_pairing_for_user(request.user, pairing_id)
    return _detail(request.user, pairing_id)


class PairingIn(Schema):
    """A pairing as the 安排结对 page takes it (PairingForm)."""

    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")
    cadre: RecordId = Field(description="结对干部（本级人员编号）")
    target_kind: PairingTargetKind = Field(description="结对对象类型")
    target_name: str = Field(max_length=100, description="结对对象（户主姓名、村或企业名称）")
    place_unit: RecordId | None = Field(None, description="所在村（社区）单位编号")
    started_on: Day = Field(description="结对日期（不晚于今天）")
    note: str = Field("", max_length=2000, description="帮扶内容")


class PairingEditIn(Schema):
    """A pairing adjusted or ended as its 调整或结束结对 page takes it (PairingEditForm)."""

    target_name: str = Field(max_length=100, description="结对对象")
    note: str = Field("", max_length=2000, description="帮扶内容")
    ended_on: Day | None = Field(None, description="结束日期（结对结束的填写，不早于结对日期）")


class PairingUpdateIn(PairingEditIn):
    version: Version


@router.post(
    "/pairings",
    response={201: PairingDetailOut, **{k: v for k, v in WRITE_ERRORS.items() if k != 404}},
    summary="安排结对帮扶",
    url_name="pairing_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(PairingIn),
)
def pairing_create_api(request):
    """Pair a cadre as the 安排结对 page does (the same form and service, audited): the task
    force (403 for anyone else, before the body is read), in a campaign of its own level
    (the current one when `campaign` is left out; a district's campaign, read by its county's
    task force, is 403 to it as on the page)."""
    if not can_manage_pairings(request.user):
        raise PermissionDenied("只有专班可以安排结对帮扶。")
    payload = body_parsed(request, PairingIn)
    campaign = campaign_for_user(request.user, payload.campaign)
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    require_own_campaign(request.user, campaign)  # a district's campaign: read-only to its county
    form = PairingForm(form_data(payload.model_copy(update={"campaign": None})), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        pairing = pairing_create(campaign=campaign, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _detail(request.user, pairing.pk))


@router.put(
    "/pairings/{pairing_id}",
    response={200: PairingDetailOut, **WRITE_ERRORS},
    summary="调整或结束结对帮扶",
    url_name="pairing_detail",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(PairingUpdateIn),
)
def pairing_edit(request, pairing_id: RecordId):
    """Rename the target, change the help planned or end the pairing as its edit page does
    (PairingEditForm, pairing_update; audited with before and after): the task force of the
    pairing's own level (404 for a pairing the caller does not read, 403 for whoever only
    reads it). Every field is sent: an `ended_on` left out (null) means still paired.
    `version` is required (a missing one is a 422 on it); a save by someone else since is
    refused (422 on version, naming who changed what and when) and nothing is written."""
    pairing = get_pairing_for_user(request.user, pairing_id, write=True)
    payload = body_parsed(request, PairingUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = PairingEditForm(form_data(bare, **{VERSION_FIELD: payload.version}))
    corrected(
        form, pairing, what=Pairing._meta.verbose_name,
        save=lambda: pairing_update(pairing=pairing, by=request.user, **form.cleaned_data),
    )  # fmt: skip
    return _detail(request.user, pairing.pk)
