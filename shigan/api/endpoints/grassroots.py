"""The grassroots ledger's concerns (群众诉求): those the caller reads (grassroots.access), each
with its status today on its district's working-day calendar and the requester's phone and ID
number masked, as the list, the page and the export show them (grassroots.queries.concerns
.concern_rows, core.masking). The full numbers are never given here: the page shows them to
the concern's handler on asking, and records each asking.

Writes as the concern pages make them, through their forms (grassroots.forms.concerns: the
same choices and messages) and grassroots.services.concerns (its rules and audit): recording a
concern — also from another system (12345 热线, 一网通办), once per ticket (`external_ref`) —
and taking its next step (转办, 办理, 答复, 回访, 办结)."""

import datetime
from collections import defaultdict
from functools import reduce

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import record_version
from shigan.core.models import user_display_name
from shigan.grassroots import steps
from shigan.grassroots.access import (
    can_manage_concern_categories,
    can_record_concerns,
    concerns_visible_to,
    get_concern_category_for_user,
    get_concern_for_user,
    get_concern_to_correct,
)
from shigan.grassroots.forms.concerns import (
    ConcernCategoryForm,
    ConcernEditForm,
    ConcernForm,
    ConcernStepForm,
)
from shigan.grassroots.models import (
    Concern,
    ConcernCategory,
    ConcernKind,
    ConcernSource,
    ConcernStep,
    Satisfaction,
)
from shigan.grassroots.queries.concerns import ConcernRow, concern_page_facts, concern_rows
from shigan.grassroots.services.concerns import (
    concern_category_save,
    concern_receive,
    concern_step,
)
from shigan.grassroots.services.corrections import concern_correct
from shigan.grassroots.steps import ConcernStatus
from shigan.orgs.models import Unit
from shigan.orgs.scope import district_id_of, district_units
from shigan.orgs.workdays import calendar_for

from ..body import body_documented, body_parsed
from ..corrections import VERSION_DESCRIPTION, Correction, corrected, correction_data
from ..pageforms import form_data, form_refused, refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..problems import Problem
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, RecordId, Version
from .campaigns import _versions

router = Router(tags=["基层治理台账"])


class ConcernFilters(PageFilters):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    assigned_unit: RecordId | None = NinjaField(None, description="承办单位编号")
    status: ConcernStatus | None = NinjaField(
        None, description="今天的办理状态（按所在区的工作日历，如列表页的状态筛选）"
    )


class ConcernOut(Schema):
    id: int
    campaign_id: int
    number: str
    kind: str
    kind_label: str
    source: str
    source_label: str
    category_id: int | None = NinjaField(description="诉求类别编号（见 GET /concern-categories）")
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
    external_ref: str = NinjaField(description="来源系统的工单号（如12345热线工单号），无则为空")
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
    version: int = NinjaField(description=VERSION_DESCRIPTION)


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
        "category_id": c.category_id,
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
        "external_ref": c.external_ref,
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


def _status_filter(concerns, status: str, today: datetime.date) -> Q:
    """The concerns of `status` today, each judged on its own district's calendar (the page's
    rule, grassroots.steps.status_filter; one query for the districts, one in practice)."""
    districts = concerns.values_list("campaign__organiser__district_id", flat=True).distinct()
    parts = [
        Q(campaign__organiser__district_id=district_id)
        & steps.status_filter(status, today=today, calendar=calendar_for(district_id))
        for district_id in districts.order_by()
    ]
    return reduce(lambda a, b: a | b, parts, Q(pk__in=[]))


class ConcernCategoryOut(Schema):
    id: int
    district_id: int
    name: str
    time_limit_workdays: int = NinjaField(description="办理时限（工作日，0为当日办结）")
    sort_order: int
    version: int = NinjaField(description=VERSION_DESCRIPTION)


def concern_categories_of(user):
    """The concern categories the caller may choose (`category` of POST /concerns, PUT
    /concerns/{id} and a visit's concerns): his district's, as the pages' forms offer them
    (grassroots.forms.concerns.ConcernFieldsForm), in their order."""
    return ConcernCategory.objects.filter(
        district_id__in=district_units(user).values("district_id")
    ).order_by("sort_order", "id")


@router.get(
    "/concern-categories",
    response={200: list[ConcernCategoryOut], **READ_ERRORS},
    summary="诉求类别（本区）",
)
def concern_category_list(request):
    """The concern categories of the caller's district, in their order, with their time limits:
    the ids `category` takes when a concern is recorded or corrected, each with the `version`
    its PUT sends back (two queries; empty for an account of no district)."""
    categories = list(concern_categories_of(request.user))
    versions = _versions(ConcernCategory, [c.pk for c in categories])
    return [_category_out(c, versions.get(c.pk, 0)) for c in categories]


class ConcernCategoryIn(Schema):
    """A concern category as the 诉求类别 page takes it (grassroots.forms.concerns
    .ConcernCategoryForm)."""

    name: str = NinjaField(max_length=50, description="类别（本区内不重名）")
    time_limit_workdays: int = NinjaField(
        ge=0, le=250, description="办理时限（工作日，0为当日办结）"
    )
    sort_order: int | None = NinjaField(None, ge=0, le=9999, description="排序（默认0）")


class ConcernCategoryUpdateIn(ConcernCategoryIn):
    version: Version


def _category_out(category: ConcernCategory, version: int | None = None) -> dict:
    return {
        "id": category.pk,
        "district_id": category.district_id,
        "name": category.name,
        "time_limit_workdays": category.time_limit_workdays,
        "sort_order": category.sort_order,
        "version": record_version(category) if version is None else version,
    }


def _category_saved(request, payload: ConcernCategoryIn, *, district, category=None):
    """The page's form and concern_category_save (audited); a clashing name refused on `name`,
    as the page shows it."""
    form = ConcernCategoryForm(form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    data = form.cleaned_data
    try:
        return concern_category_save(
            district=district, by=request.user, name=data["name"],
            time_limit_workdays=data["time_limit_workdays"], sort_order=data["sort_order"] or 0,
            category=category,
        )  # fmt: skip
    except ValidationError as error:
        raise refused({"name": error.messages}) from None


@router.post(
    "/concern-categories",
    response={201: ConcernCategoryOut, **{k: v for k, v in WRITE_ERRORS.items() if k != 404}},
    summary="新增诉求类别",
    url_name="concern_category_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(ConcernCategoryIn),
)
def concern_category_new(request):
    """Add a category to the caller's district as the 诉求类别 page does (concern_category_save,
    audited): the task force of a district only (403 for anyone else, before the body is
    read, as the page). A name the district already has is refused (422 on name)."""
    district_id = district_id_of(request.user)
    if not can_manage_concern_categories(request.user) or district_id is None:
        raise PermissionDenied("只有专班可以设置诉求类别。")
    payload = body_parsed(request, ConcernCategoryIn)
    district = Unit.objects.get(pk=district_id)
    category = _category_saved(request, payload, district=district)
    return Status(201, _category_out(category))


@router.put(
    "/concern-categories/{category_id}",
    response={200: ConcernCategoryOut, **WRITE_ERRORS},
    summary="修改诉求类别",
    url_name="concern_category_detail",
    openapi_extra=body_documented(ConcernCategoryUpdateIn),
)
def concern_category_edit(request, category_id: RecordId):
    """Change a category's name, time limit and order as its page does (the before and after
    audited; concerns already received keep their due dates): the task force of the
    category's own level; as the page, 403 for whoever is not the task force, 404 for a
    category outside his district, 403 for one of a level below his. `version` (as GET
    /concern-categories answers it) is required (a missing one is a 422 on it); a save by
    someone else since is refused (422 on version, naming who changed what and when) and
    nothing is written."""
    category = get_concern_category_for_user(request.user, category_id)
    payload = body_parsed(request, ConcernCategoryUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = ConcernCategoryForm(form_data(bare, **{VERSION_FIELD: payload.version}))

    def save():
        data = form.cleaned_data
        return concern_category_save(
            district=category.district, by=request.user, name=data["name"],
            time_limit_workdays=data["time_limit_workdays"], sort_order=data["sort_order"] or 0,
            category=category,
        )  # fmt: skip

    saved = corrected(
        form, category, what=ConcernCategory._meta.verbose_name, save=save,
        fields={NON_FIELD_ERRORS: "name"},
    )  # fmt: skip
    return _category_out(saved)


@router.get("/concerns", response={200: ConcernPage, **READ_ERRORS}, summary="群众诉求列表")
def concern_list(request, filters: Query[ConcernFilters]):
    """The concerns the caller reads, by id, each with its status today; the requester's phone
    and ID number masked, as on the list and in the export."""
    known_only(request, ConcernFilters)
    concerns = concerns_visible_to(request.user, Concern.objects.all())
    for name in ("campaign", "assigned_unit"):
        if (value := getattr(filters, name)) is not None:
            concerns = concerns.filter(**{f"{name}_id": value})
    if filters.status is not None:
        concerns = concerns.filter(_status_filter(concerns, filters.status, clock.today()))
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
    return _detail(get_concern_for_user(request.user, concern_id))


def _detail(concern: Concern) -> dict:
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
        "version": record_version(concern),
    }


class ConcernFields(Schema):
    """A concern's own facts, as every page recording one takes them (grassroots.forms
    .concerns.ConcernFieldsForm): the 登记诉求 page's (ConcernIn) and a row of the 录入走访
    page's 登记诉求 part (visits.VisitConcernIn) — one declaration of the fields, their limits
    and descriptions."""

    kind: ConcernKind = NinjaField(ConcernKind.REQUEST, description="类型")
    category: RecordId = NinjaField(description="诉求类别编号（本区的类别，决定办理时限）")
    requester_name: str = NinjaField(max_length=50, description="诉求人")
    requester_phone: str = NinjaField("", max_length=30, description="联系电话")
    requester_id_number: str = NinjaField("", max_length=18, description="身份证号")
    content: str = NinjaField(max_length=5000, description="诉求内容")
    parties: str = NinjaField("", max_length=2000, description="纠纷当事人（矛盾纠纷必填）")
    assigned_unit: RecordId | None = NinjaField(
        None, description="承办单位编号（填写即同时转办；空则待专班转办）"
    )


class ConcernIn(ConcernFields):
    """A concern as the 登记诉求 page takes it (grassroots.forms.concerns.ConcernForm)."""

    campaign: RecordId | None = NinjaField(None, description="活动编号（默认本区当前活动）")
    source: ConcernSource = NinjaField(
        description="来源：hotline 热线（12345）、online 网上（一网通办）、letter 来信、"
        "enterprise 企业反映、reception 信访接待日（须填 reception_day）；走访的诉求随走访记录录入"
    )
    external_ref: str = NinjaField(
        "",
        max_length=64,
        description="来源系统的工单号：同一来源、同一工单号再次提交时，返回已登记的诉求（200），"
        "不重复登记",
        examples=["12345-20230731-0042"],
    )
    received_on: str = NinjaField(description="受理日期，YYYY-MM-DD", examples=["2023-07-31"])
    reception_day: RecordId | None = NinjaField(None, description="接待日编号（来源为接待日时）")


@router.post(
    "/concerns",
    response={200: ConcernDetailOut, 201: ConcernDetailOut, **WRITE_ERRORS},
    summary="登记群众诉求（含12345热线、一网通办推送）",
    url_name="concern_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(ConcernIn),
)
def concern_create(request):
    """Record a concern as the 登记诉求 page does (its form, its messages, the same service):
    numbered, due its category's time limit in working days, 受理 (and 转办 when
    `assigned_unit` is given) recorded, audited. For the task force (专班) only, as the page.
    A ticket of another system is recorded once: sent again with the same `source` and
    `external_ref`, the concern already recorded is answered (200) and nothing is written.
    Answered with the requester's numbers masked."""
    if not can_record_concerns(request.user):
        raise PermissionDenied("只有专班可以登记诉求。")
    payload = body_parsed(request, ConcernIn)
    campaign = campaign_for_user(request.user, payload.campaign)
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    data = form_data(payload.model_copy(update={"campaign": None, "external_ref": None}))
    form = ConcernForm(data, user=request.user, campaign=campaign)
    if not form.is_valid():
        raise form_refused(form)
    item = form.concern_input()
    item.external_ref = payload.external_ref
    try:
        concern, created = concern_receive(
            campaign=campaign, item=item, by=request.user, source=form.cleaned_data["source"],
            received_on=form.cleaned_data["received_on"],
            reception_day=form.cleaned_data["reception_day"],
        )  # fmt: skip
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201 if created else 200, _detail(concern))


class ConcernStepIn(Schema):
    """The next step of a concern as its page takes it (ConcernStepForm)."""

    step: ConcernStep = NinjaField(
        description="环节：只能是当前环节的下一步（受理→转办→办理→答复→回访→办结）"
    )
    on: str = NinjaField(description="办理日期，YYYY-MM-DD", examples=["2023-07-31"])
    note: str = NinjaField(max_length=5000, description="办理情况（办结时为处理结果）")
    to_unit: RecordId | None = NinjaField(None, description="转办至（转办时必填）")
    satisfaction: Satisfaction | None = NinjaField(None, description="满意度（回访时必填）")


# The field each of concern_step's refusals (grassroots.steps.check_step and the service) is
# about, by the words it names: its messages are plain (the page shows them above the form).
_STEP_FIELDS = (
    ("办理日期", "on"),
    ("办理情况", "note"),
    ("承办单位", "to_unit"),
    ("满意度", "satisfaction"),
)


def _step_errors(error: ValidationError) -> list[dict]:
    return [
        {"field": next((f for words, f in _STEP_FIELDS if words in m), "step"), "detail": m}
        for m in error.messages
    ]


@router.post(
    "/concerns/{concern_id}/steps",
    response={201: ConcernDetailOut, **WRITE_ERRORS},
    summary="办理群众诉求（转办、办理、答复、回访、办结）",
    openapi_extra=body_documented(ConcernStepIn),
)
def concern_step_take(request, concern_id: RecordId):
    """Take the concern's next step, as its page does (grassroots.services.concerns
    .concern_step: strictly in order; 回访 不满意 sends it back to 办理; 办结 after a satisfied
    回访): the task force of its level, or the reporter of the unit it is assigned to (404 for
    whoever does not read it, 403 for whoever reads but does not handle it). Audited."""
    concern = get_concern_for_user(request.user, concern_id, write=True)
    payload = body_parsed(request, ConcernStepIn)
    next_step = steps.next_step(concern.step)
    form = ConcernStepForm(form_data(payload), user=request.user, next_step=next_step)
    if not form.is_valid():
        raise form_refused(form)
    try:
        concern_step(concern=concern, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise Problem(422, "；".join(error.messages), errors=_step_errors(error)) from None
    return Status(201, _detail(Concern.objects.get(pk=concern.pk)))


class ConcernUpdateIn(Correction):
    """A concern's facts as its 更正 page takes them (grassroots.forms.concerns
    .ConcernEditForm). The requester's numbers are never answered in full: left out (null) they
    stay, typed anew they replace the recorded ones, `clear_phone` / `clear_id_number` clear
    them. Its steps, unit and dates are not corrected here."""

    kind: ConcernKind = NinjaField(description="类型")
    category: RecordId = NinjaField(
        description="诉求类别编号（改类别则按新类别的时限从受理日期起重新计算办理时限）"
    )
    requester_name: str = NinjaField(max_length=50, description="诉求人")
    requester_phone: str | None = NinjaField(
        None, max_length=30, description="联系电话：不填（null 或空）则保留原号码"
    )
    clear_phone: bool = NinjaField(False, description="清空联系电话")
    requester_id_number: str | None = NinjaField(
        None, max_length=18, description="身份证号：不填（null 或空）则保留原号码"
    )
    clear_id_number: bool = NinjaField(False, description="清空身份证号")
    content: str = NinjaField(max_length=5000, description="诉求内容")
    parties: str = NinjaField("", max_length=2000, description="纠纷当事人（矛盾纠纷必填）")


@router.put(
    "/concerns/{concern_id}",
    response={200: ConcernDetailOut, **WRITE_ERRORS},
    summary="更正群众诉求",
    url_name="concern_detail",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(ConcernUpdateIn),
)
def concern_edit(request, concern_id: RecordId):
    """Correct a concern's facts as its 更正 page does (grassroots.services.corrections
    .concern_correct: a reason, the numbers masked in the audit, a new category recomputing the due
    date on the district's calendar; its steps stay): the task force of its level, or the reporter
    of the unit whose visit raised it (404 for whoever does not read it, 403 for whoever only reads
    or handles it). `version` is required (a missing one is a 422 on it); a save by someone else
    since is refused (422 on version); nothing changed is refused too. Answered masked."""
    queryset = Concern.objects.select_related(
        "campaign__organiser", "category", "assigned_unit", "visit__unit"
    )
    concern = get_concern_to_correct(request.user, concern_id, queryset=queryset)
    payload = body_parsed(request, ConcernUpdateIn)
    form = ConcernEditForm(correction_data(payload), concern=concern, user=request.user)
    corrected(
        form, concern, what="诉求",
        save=lambda: concern_correct(concern=concern, by=request.user, **form.correction()),
    )  # fmt: skip
    return _detail(Concern.objects.get(pk=concern.pk))
