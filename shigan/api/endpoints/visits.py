"""Visits (走访 / 下访 / 现场办公): those the caller reads (grassroots.access.visits_visible_to:
a reporter's and a leader's units', the district's for the task force and inspectors), a visit
with its photos and the concerns raised on it that the caller reads (the requester's numbers
masked, as everywhere in the API), and recording one as the 录入走访 page does: the page's form
and concern formset (grassroots.forms.visits: the same choices and messages) and
grassroots.services.visits.visit_record (its rules, its audit) — the visit, its photos and the
concerns raised there saved all or nothing; correcting one (更正) as its 更正 page does
(VisitEditForm, grassroots.services.corrections.visit_correct, api.corrections' guarded save).
Photos are downloaded at /visit-photos/{id}."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.datastructures import MultiValueDict
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.core.editing import record_version
from shigan.grassroots.access import (
    can_record_visits,
    concerns_visible_to,
    get_visit_for_user,
    visits_visible_to,
)
from shigan.grassroots.forms.visits import ConcernFormSet, VisitEditForm, VisitForm
from shigan.grassroots.models import Concern, PlaceKind, Visit, VisitKind
from shigan.grassroots.queries.visits import visit_rows
from shigan.grassroots.services.corrections import visit_correct
from shigan.grassroots.services.visits import visit_record
from shigan.orgs.scope import own_unit_id

from ..body import body_documented, body_parsed, multipart_parsed
from ..corrections import VERSION_DESCRIPTION, Correction, corrected, correction_data
from ..pageforms import WHOLE, form_data, refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..problems import Problem
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, RecordId
from .files import FileOut, _file_out, files_property, uploads_of
from .grassroots import ConcernFields, ConcernOut, _concern_out, _rows

router = Router(tags=["基层治理台账"])
PHOTOS = "photos"  # the 照片 input of the 录入走访 page
CONCERNS = "concerns"


class VisitFilters(PageFilters):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    unit: RecordId | None = NinjaField(None, description="组织单位编号")
    kind: VisitKind | None = NinjaField(None, description="类型")


class VisitOut(Schema):
    id: int
    campaign_id: int
    kind: str
    kind_label: str
    date: datetime.date
    unit_id: int
    unit: str
    cadre_ids: list[int] = NinjaField(description="走访干部（人员编号）")
    cadres: list[str] = NinjaField(description="走访干部姓名")
    place_kind: str
    place_kind_label: str
    place: str
    place_unit_id: int | None
    place_unit: str | None
    pairing_id: int | None = NinjaField(
        description="所属结对帮扶编号（GET /pairings 的 id），不属于结对为 null"
    )
    people_met: str
    what_done: str
    photo_count: int
    concern_count: int = NinjaField(description="走访中登记的诉求件数（含调用者看不到的）")


class VisitPage(Schema):
    items: list[VisitOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


class VisitDetailOut(VisitOut):
    photos: list[FileOut]
    concerns: list[ConcernOut] = NinjaField(description="走访中登记、调用者可查看的诉求（已脱敏）")
    version: int = NinjaField(description=VERSION_DESCRIPTION)


def _visit_out(visit: Visit) -> dict:
    cadres = list(visit.cadres.all())
    return {
        "id": visit.pk,
        "campaign_id": visit.campaign_id,
        "kind": visit.kind,
        "kind_label": visit.get_kind_display(),
        "date": visit.date,
        "unit_id": visit.unit_id,
        "unit": visit.unit.name,
        "cadre_ids": [p.pk for p in cadres],
        "cadres": [p.name for p in cadres],
        "place_kind": visit.place_kind,
        "place_kind_label": visit.get_place_kind_display(),
        "place": visit.place,
        "place_unit_id": visit.place_unit_id,
        "place_unit": visit.place_unit.name if visit.place_unit_id else None,
        "pairing_id": visit.pairing_id,
        "people_met": visit.people_met,
        "what_done": visit.what_done,
        "photo_count": visit.photo_count,
        "concern_count": visit.concern_count,
    }


@router.get("/visits", response={200: VisitPage, **READ_ERRORS}, summary="走访列表")
def visit_list(request, filters: Query[VisitFilters]):
    """The visits the caller reads (as the 走访 list: his units', the district's for the task
    force and inspectors), by id, with their cadres and the number of photos and concerns.
    Three queries whatever the page's size: the page's ids, the rows, their cadres."""
    known_only(request, VisitFilters)
    visits = visits_visible_to(request.user, Visit.objects.all())
    for name in ("campaign", "unit", "kind"):
        if (value := getattr(filters, name)) is not None:
            visits = visits.filter(**{name if name == "kind" else f"{name}_id": value})
    page, next_cursor = page_of(visits.only("id"), filters.cursor, filters.limit)
    rows = visit_rows(Visit.objects.filter(pk__in=[v.pk for v in page])).order_by("pk")
    return {"items": [_visit_out(v) for v in rows], "next": next_cursor}


@router.get(
    "/visits/{visit_id}", response={200: VisitDetailOut, **RECORD_ERRORS}, summary="走访详情"
)
def visit_detail(request, visit_id: RecordId):
    """A visit the caller reads, or the visit a concern he reads was raised on (as its page),
    with its photos and the concerns raised there that he reads."""
    get_visit_for_user(request.user, visit_id)
    return _detail(request.user, visit_id)


def _detail(user, visit_id: int) -> dict:
    visit = visit_rows(Visit.objects.filter(pk=visit_id)).get()
    photos = visit.photos.select_related("uploaded_by__person")
    concerns = concerns_visible_to(user, Concern.objects.filter(visit=visit))
    rows = _rows(list(concerns.values_list("pk", flat=True)), clock.today())
    return _visit_out(visit) | {
        "photos": [_file_out(p, "visit-photos") for p in photos],
        "concerns": [_concern_out(row) for row in rows],
        "version": record_version(visit),
    }


PAIRING_DESCRIPTION = (
    "所属结对帮扶编号（GET /pairings 的 id，可不填）：本次走访活动中、结对干部属于组织单位、"
    "走访日期在结对期间（开始后、结束前）的结对；不符合、不存在或无权查看的，422（字段 pairing）"
)


class VisitConcernIn(ConcernFields):
    """A concern raised on the visit, as a row of the page's 登记诉求 part (ConcernFieldsForm):
    its source is 走访, received the visit's day."""


class VisitIn(Schema):
    """A visit as the 录入走访 page takes it (grassroots.forms.visits.VisitForm)."""

    campaign: RecordId | None = NinjaField(None, description="活动编号（默认本区当前活动）")
    kind: VisitKind = NinjaField(VisitKind.VISIT, description="类型")
    date: str = NinjaField(description="日期，YYYY-MM-DD（不晚于今天）", examples=["2023-07-31"])
    unit: RecordId | None = NinjaField(
        None, description="组织单位编号：专班为本区的单位（必填）；填报员只能是本单位（可不填）"
    )
    cadres: list[RecordId] = NinjaField(description="走访干部（本区人员编号，至少一人）")
    place_kind: PlaceKind = NinjaField(description="地点类型")
    place: str = NinjaField(max_length=100, description="地点")
    place_unit: RecordId | None = NinjaField(None, description="所在村（社区）编号")
    pairing: RecordId | None = NinjaField(None, description=PAIRING_DESCRIPTION)
    people_met: str = NinjaField("", max_length=5000, description="走访对象")
    what_done: str = NinjaField(max_length=5000, description="工作内容")
    concerns: list[VisitConcernIn] = NinjaField(
        [], max_length=50, description="走访中登记的诉求（最多50件）"
    )


def _visit_body() -> dict:
    """VisitIn as JSON (no photos), or the same fields as multipart/form-data with photos."""
    documented = body_documented(VisitIn)
    schema = documented["requestBody"]["content"]["application/json"]["schema"]
    properties = dict(schema["properties"])
    properties["cadres"] = {
        "type": "array",
        "items": {"type": "integer", "minimum": 1},
        "description": "走访干部（同名字段重复，每个一个人员编号）",
    }
    properties[CONCERNS] = {
        "type": "string",
        "description": "走访中登记的诉求：JSON数组文本，每项同JSON请求体的 concerns（可不填）",
    }
    properties[PHOTOS] = files_property(PHOTOS, "照片（只接受JPG、PNG）")
    multipart = {"type": "object", "required": schema.get("required", []), "properties": properties}
    documented["requestBody"]["content"]["multipart/form-data"] = {"schema": multipart}
    return documented


def _payload(request) -> tuple[VisitIn, list]:
    if request.content_type != "multipart/form-data":
        return body_parsed(request, VisitIn), []
    payload = multipart_parsed(request, VisitIn, lists=("cadres",), objects=(CONCERNS,))
    return payload, uploads_of(request, PHOTOS, required=False)


def _formset_data(concerns: list[VisitConcernIn]) -> MultiValueDict:
    """The concerns as the page's formset posts them (prefix concern)."""
    data = MultiValueDict(
        {"concern-TOTAL_FORMS": [str(len(concerns))], "concern-INITIAL_FORMS": ["0"]}
    )
    for i, concern in enumerate(concerns):
        for name, values in form_data(concern).lists():
            data.setlist(f"concern-{i}-{name}", values)
    return data


def _refused(form, formset) -> Problem:
    errors = {key: list(messages) for key, messages in form.errors.items()}
    for i, row in enumerate(formset.errors):
        for key, messages in row.items():
            errors[f"{CONCERNS}.{i}.{key}"] = list(messages)
    if formset.non_form_errors():
        errors[CONCERNS] = list(formset.non_form_errors())
    return refused(errors)


def _service_refused(error: ValidationError) -> Problem:
    """visit_record's refusals are plain messages: a photo's names its file (文件“…”)."""
    found = [
        {"field": PHOTOS if m.startswith("文件“") else WHOLE, "detail": m} for m in error.messages
    ]
    for item in found:
        if item["detail"].startswith("结对帮扶"):
            item["field"] = "pairing"
        elif "日期" in item["detail"]:
            item["field"] = "date"
        elif "干部" in item["detail"]:
            item["field"] = "cadres"
    return Problem(422, "；".join(e["detail"] for e in found), errors=found)


@router.post(
    "/visits",
    response={201: VisitDetailOut, **WRITE_ERRORS},
    summary="录入走访（含照片和走访中登记的诉求）",
    url_name="visit_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=_visit_body(),
)
def visit_create(request):
    """Record a visit as the 录入走访 page does, with its photos and the concerns raised there,
    all or nothing (grassroots.services.visits.visit_record: a refused photo or concern saves
    no visit, a refused visit stores no photo): the task force (any unit of its district) and a
    unit's reporter (his own unit) — 403 for anyone else, before the body is read. A JSON body
    has no photos; with photos, the same fields as multipart/form-data (`cadres` repeated,
    `concerns` as JSON text) and each photo a `photos` part (JPG/PNG, core.files
    .validate_upload's checks). The visit, each photo and each concern audited."""
    if not can_record_visits(request.user):
        raise PermissionDenied("只有专班或单位填报员可以录入走访。")
    payload, photos = _payload(request)
    campaign = campaign_for_user(request.user, payload.campaign)
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    update = {"campaign": None, CONCERNS: []}
    if payload.unit is None:  # a reporter's own unit, as the page preselects it (no choice)
        update["unit"] = own_unit_id(request.user)
    fields = payload.model_copy(update=update)
    data = form_data(fields)
    data.pop(CONCERNS, None)
    form = VisitForm(data, MultiValueDict({PHOTOS: photos}), user=request.user, campaign=campaign)
    formset = ConcernFormSet(
        _formset_data(payload.concerns), prefix="concern", form_kwargs={"user": request.user}
    )
    if not (form.is_valid() and formset.is_valid()):
        raise _refused(form, formset)
    concerns = [f.concern_input() for f in formset if f.has_changed() and f.cleaned_data]
    try:
        visit = visit_record(
            campaign=campaign, by=request.user, concerns=concerns, **form.cleaned_data
        )
    except ValidationError as error:
        raise _service_refused(error) from None
    return Status(201, _detail(request.user, visit.pk))


class VisitUpdateIn(Correction):
    """A visit's facts as its 更正 page takes them (grassroots.forms.visits.VisitEditForm): its
    unit and photos stay; its date stays once concerns were received on it; `pairing` set,
    changed or cleared (left out or null: not under a pairing) under the rule of entry."""

    kind: VisitKind = NinjaField(description="类型")
    date: str = NinjaField(description="日期，YYYY-MM-DD（不晚于今天）", examples=["2023-07-31"])
    cadres: list[RecordId] = NinjaField(description="走访干部（本区人员编号，至少一人）")
    place_kind: PlaceKind = NinjaField(description="地点类型")
    place: str = NinjaField(max_length=100, description="地点")
    place_unit: RecordId | None = NinjaField(None, description="所在村（社区）编号")
    pairing: RecordId | None = NinjaField(None, description=PAIRING_DESCRIPTION)
    people_met: str = NinjaField("", max_length=5000, description="走访对象")
    what_done: str = NinjaField(max_length=5000, description="工作内容")


@router.put(
    "/visits/{visit_id}",
    response={200: VisitDetailOut, **WRITE_ERRORS},
    summary="更正走访",
    url_name="visit_detail",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(VisitUpdateIn),
)
def visit_edit(request, visit_id: RecordId):
    """Correct a visit's facts as its 更正 page does (grassroots.services.corrections .visit_correct:
    a reason, the cadres' names before and after audited; its unit and photos stay, its date stays
    once concerns were received on it): the task force of its level, or the reporter of the unit
    that organised it (404 for whoever does not read it, 403 for whoever only reads it). `version`
    is required (a missing one is a 422 on it); a save by someone else since is refused (422 on
    version); nothing changed is refused too."""
    visit = get_visit_for_user(request.user, visit_id, write=True)
    payload = body_parsed(request, VisitUpdateIn)
    form = VisitEditForm(correction_data(payload), visit=visit, user=request.user)
    corrected(
        form, visit, what="走访",
        save=lambda: visit_correct(visit=visit, by=request.user, **form.cleaned_data),
    )  # fmt: skip
    return _detail(request.user, visit.pk)
