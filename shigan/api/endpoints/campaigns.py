"""Campaigns (campaigns.access: read by every role of the organising district and the levels
above) and their set-up as the campaign's pages do it: the campaign itself (新建活动, 修改活动),
its plan sections (实施方案) and phases (活动阶段), and its task categories (任务类别, the tasks
app's page) — the pages' forms (choices of the caller's own level, their messages) and the
services (campaigns.services, tasks.services.categories: their rules, their audit). Only an
active coordinator of the campaign's own district sets it up (404 outside the caller's scope,
403 for a campaign he reads but does not manage); each edit checks `version` as its page does
(core.editing), a deletion is audited on the part and on its campaign."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404
from ninja import Field as NinjaField
from ninja import Router, Schema, Status

from shigan.campaigns.access import (
    campaigns_visible_to,
    can_create_campaigns,
    get_campaign_for_user,
)
from shigan.campaigns.forms import CampaignForm, PhaseForm, PlanSectionForm
from shigan.campaigns.models import Campaign, Phase, PlanSection, PlanSectionKind
from shigan.campaigns.services import (
    campaign_create,
    campaign_update,
    phase_create,
    phase_delete,
    phase_update,
    plan_section_create,
    plan_section_delete,
    plan_section_update,
)
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import EditConflict, EditGuard, record_version
from shigan.core.models import AuditAction, AuditEntry
from shigan.core.params import id_or_none
from shigan.tasks.access import can_manage_categories, get_category_for_user
from shigan.tasks.forms.categories import CategoryForm
from shigan.tasks.models import TaskCategory
from shigan.tasks.services.categories import (
    categories_with_counts,
    category_create,
    category_delete,
    category_update,
)

from ..body import body_documented, body_parsed
from ..pageforms import form_data, form_refused, service_refused
from ..schemas import (
    READ_ERRORS,
    RECORD_ERRORS,
    WRITE_ERRORS,
    CampaignOut,
    Day,
    RecordId,
    Version,
)

router = Router(tags=["组织与活动"])

CREATE_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k != 404}  # no record in the path
DELETE_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k != 400}  # no body is read
DETAIL_ERRORS = {k: v for k, v in RECORD_ERRORS.items() if k != 403}  # every role reads it
CATEGORIES_REFUSED = "只有本区（县）专班可以设置任务类别。"  # the categories page's words


def _versions(model, ids) -> dict[int, int]:
    """Each record's version (core.editing.record_version) of `ids`, in one query."""
    entries = AuditEntry.objects.filter(record_type=model._meta.label_lower, record_id__in=ids)
    rows = entries.exclude(action=AuditAction.VIEW).values("record_id").annotate(v=Max("id"))
    return {row["record_id"]: row["v"] for row in rows.order_by()}


def _guarded(guard: EditGuard, save):
    """`save()` through the edit guard: a change by someone else since `version` is a 422 on
    version, a service's refusal a 422 on its fields."""
    try:
        return guard.save(save)
    except EditConflict as conflict:
        raise service_refused(conflict, {NON_FIELD_ERRORS: "version"}) from None
    except ValidationError as error:
        raise service_refused(error) from None


def _created(create):
    try:
        return create()
    except ValidationError as error:
        raise service_refused(error) from None


# --- the campaign ----------------------------------------------------------------------------


class PhaseOut(Schema):
    id: int
    name: str
    start_date: datetime.date
    end_date: datetime.date
    version: int = NinjaField(description="编辑版本：修改时回传")


class PlanSectionOut(Schema):
    id: int
    kind: str
    kind_label: str
    body: str
    version: int = NinjaField(description="编辑版本：修改时回传")


class CampaignDetailOut(CampaignOut):
    organiser: str
    leading_group_id: int | None
    leading_group: str | None
    plan_sections: list[PlanSectionOut] = NinjaField(description="实施方案，按章节顺序")
    phases: list[PhaseOut] = NinjaField(description="活动阶段，按开始日期")
    version: int = NinjaField(description="编辑版本：修改时回传，其间若有他人修改则拒绝")


@router.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS}, summary="可查看的活动")
def campaign_list(request):
    campaigns = campaigns_visible_to(request.user, Campaign.objects.all())
    return list(campaigns.order_by("-year", "id"))


def _phase_out(phase: Phase, version: int) -> dict:
    return {
        "id": phase.pk,
        "name": phase.name,
        "start_date": phase.start_date,
        "end_date": phase.end_date,
        "version": version,
    }


def _section_out(section: PlanSection, version: int) -> dict:
    return {
        "id": section.pk,
        "kind": section.kind,
        "kind_label": section.get_kind_display(),
        "body": section.body,
        "version": version,
    }


def _campaign_detail(user, pk) -> dict:
    """The campaign as its overview page reads it, with each part's version (a fixed number of
    queries whatever the number of parts)."""
    queryset = Campaign.objects.select_related("organiser", "leading_group")
    campaign = get_campaign_for_user(user, pk, queryset=queryset.prefetch_related(
        "plan_sections", "phases"
    ))  # fmt: skip
    order = {kind.value: i for i, kind in enumerate(PlanSectionKind)}
    sections = sorted(campaign.plan_sections.all(), key=lambda s: order[s.kind])
    phases = sorted(campaign.phases.all(), key=lambda p: (p.start_date, p.pk))
    section_versions = _versions(PlanSection, [s.pk for s in sections])
    phase_versions = _versions(Phase, [p.pk for p in phases])
    return {
        "id": campaign.pk,
        "year": campaign.year,
        "name": campaign.name,
        "slogan": campaign.slogan,
        "organiser_id": campaign.organiser_id,
        "organiser": campaign.organiser.name,
        "leading_group_id": campaign.leading_group_id,
        "leading_group": campaign.leading_group.name if campaign.leading_group_id else None,
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "plan_sections": [_section_out(s, section_versions.get(s.pk, 0)) for s in sections],
        "phases": [_phase_out(p, phase_versions.get(p.pk, 0)) for p in phases],
        "version": record_version(campaign),
    }


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **DETAIL_ERRORS},
    summary="活动详情",
)
def campaign_detail(request, campaign_id: RecordId):
    """A campaign with its plan (实施方案) and phases, as its overview page shows them to every
    role; `version` (the campaign's and each part's) is what an edit sends back."""
    return _campaign_detail(request.user, campaign_id)


class CampaignIn(Schema):
    year: int = NinjaField(ge=0, le=9999, description="年度")
    name: str = NinjaField(max_length=100, description="活动名称")
    slogan: str = NinjaField("", max_length=200, description="口号")
    organiser: RecordId = NinjaField(description="主办单位编号（本区（县）的单位）")
    leading_group: RecordId | None = NinjaField(None, description="领导小组编号（不设置为 null）")
    start_date: Day = NinjaField(description="开始日期")
    end_date: Day = NinjaField(description="结束日期")


class CampaignUpdateIn(CampaignIn):
    version: Version


@router.post(
    "/campaigns",
    response={201: CampaignDetailOut, **CREATE_ERRORS},
    summary="新建活动",
    url_name="campaign_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(CampaignIn),
)
def campaign_new(request):
    """Create a campaign as the 新建活动 page does (campaigns.services.campaign_create, audited):
    an active coordinator, organised by a unit of his district. Refused (422) with the page's
    messages: an end before the start, a year outside the years of its dates, a campaign of the
    same year and name in the district, an organiser of another district (不是本区（县）的单位)."""
    if not can_create_campaigns(request.user):  # as the page: before anything is read
        raise PermissionDenied("只有专班可以新建活动。")
    payload = body_parsed(request, CampaignIn)
    form = CampaignForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    campaign = _created(lambda: campaign_create(by=request.user, **form.service_fields()))
    return Status(201, _campaign_detail(request.user, campaign.pk))


def _managed(request, campaign_id) -> Campaign:
    """The campaign to set up: 404 outside the caller's scope, 403 unless he manages it."""
    queryset = Campaign.objects.select_related("organiser")
    return get_campaign_for_user(request.user, campaign_id, queryset=queryset, write=True)


@router.put(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **WRITE_ERRORS},
    summary="修改活动",
    url_name="campaign_detail",
    openapi_extra=body_documented(CampaignUpdateIn),
)
def campaign_edit(request, campaign_id: RecordId):
    """Change a campaign as its 修改活动 page does (campaign_update, the before and after audited): its
    rules, and its phases must stay within its new dates. `version` is required (a missing one is a
    422 on it); a save by someone else since is refused (422 on version) and nothing is written."""
    campaign = _managed(request, campaign_id)
    payload = body_parsed(request, CampaignUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = CampaignForm(form_data(bare, **{VERSION_FIELD: payload.version}), user=request.user)
    guard = EditGuard(form, campaign, what="活动")
    if not form.is_valid():
        raise form_refused(form)
    fields = form.service_fields()
    _guarded(guard, lambda: campaign_update(campaign=campaign, by=request.user, **fields))
    return _campaign_detail(request.user, campaign.pk)


# --- plan sections and phases ----------------------------------------------------------------


def _part(request, model, pk, missing: str):
    """A plan section or phase whose campaign the caller manages: 404 when it does not exist or
    its campaign is outside his scope — the same 404, which does not tell an outsider the part
    exists — and 403 when he may only read it (as the pages)."""
    part = model.objects.filter(pk=id_or_none(pk)).first()
    if part is None:
        raise Http404(missing)
    try:
        return part, _managed(request, part.campaign_id)
    except Http404:
        raise Http404(missing) from None


class PlanSectionIn(Schema):
    kind: PlanSectionKind = NinjaField(description="章节")
    body: str = NinjaField(description="内容")


class PlanSectionUpdateIn(Schema):
    body: str = NinjaField(description="内容（章节不可改）")
    version: Version


@router.post(
    "/campaigns/{campaign_id}/plan-sections",
    response={201: PlanSectionOut, **WRITE_ERRORS},
    summary="添加实施方案章节",
    openapi_extra=body_documented(PlanSectionIn),
)
def plan_section_new(request, campaign_id: RecordId):
    """Add a section of the campaign's plan as its page does (plan_section_create, audited).
    Refused (422): a kind the plan already has, no text."""
    campaign = _managed(request, campaign_id)
    payload = body_parsed(request, PlanSectionIn)
    form = PlanSectionForm(form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    data = form.cleaned_data
    section = _created(lambda: plan_section_create(campaign=campaign, by=request.user, **data))
    return Status(201, _section_out(section, record_version(section)))


@router.put(
    "/plan-sections/{section_id}",
    response={200: PlanSectionOut, **WRITE_ERRORS},
    summary="修改实施方案章节",
    url_name="plan_section_detail",
    openapi_extra=body_documented(PlanSectionUpdateIn),
)
def plan_section_edit(request, section_id: RecordId):
    """Change a section's text as its page does (its kind stays; the before and after
    audited); `version` as for the campaign."""
    section, _ = _part(request, PlanSection, section_id, "实施方案章节不存在。")
    payload = body_parsed(request, PlanSectionUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = PlanSectionForm(form_data(bare, **{VERSION_FIELD: payload.version}), editing=True)
    guard = EditGuard(form, section, what="实施方案章节")
    if not form.is_valid():
        raise form_refused(form)
    fields = form.cleaned_data
    saved = _guarded(guard, lambda: plan_section_update(section=section, by=request.user, **fields))
    return _section_out(saved, record_version(saved))


@router.delete(
    "/plan-sections/{section_id}",
    response={204: None, **DELETE_ERRORS},
    summary="删除实施方案章节",
    url_name="plan_section_detail",
)
def plan_section_remove(request, section_id: RecordId):
    """Delete a section of the plan as its page does (audited on the section and on the
    campaign)."""
    section, _ = _part(request, PlanSection, section_id, "实施方案章节不存在。")
    plan_section_delete(section=section, by=request.user)
    return Status(204, None)


class PhaseIn(Schema):
    name: str = NinjaField(max_length=50, description="阶段名称")
    start_date: Day = NinjaField(description="开始日期")
    end_date: Day = NinjaField(description="结束日期")


class PhaseUpdateIn(PhaseIn):
    version: Version


@router.post(
    "/campaigns/{campaign_id}/phases",
    response={201: PhaseOut, **WRITE_ERRORS},
    summary="添加活动阶段",
    openapi_extra=body_documented(PhaseIn),
)
def phase_new(request, campaign_id: RecordId):
    """Add a phase as its page does (phase_create, audited). Refused (422): a name the
    campaign's phases already have, an end before the start, dates outside the campaign's or
    overlapping another phase's."""
    campaign = _managed(request, campaign_id)
    payload = body_parsed(request, PhaseIn)
    form = PhaseForm(form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    data = form.cleaned_data
    phase = _created(lambda: phase_create(campaign=campaign, by=request.user, **data))
    return Status(201, _phase_out(phase, record_version(phase)))


@router.put(
    "/phases/{phase_id}",
    response={200: PhaseOut, **WRITE_ERRORS},
    summary="修改活动阶段",
    url_name="phase_detail",
    openapi_extra=body_documented(PhaseUpdateIn),
)
def phase_edit(request, phase_id: RecordId):
    """Change a phase as its page does (phase_update under phase_create's rules, the before and
    after audited); `version` as for the campaign."""
    phase, _ = _part(request, Phase, phase_id, "活动阶段不存在。")
    payload = body_parsed(request, PhaseUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = PhaseForm(form_data(bare, **{VERSION_FIELD: payload.version}))
    guard = EditGuard(form, phase, what="活动阶段")
    if not form.is_valid():
        raise form_refused(form)
    fields = form.cleaned_data
    saved = _guarded(guard, lambda: phase_update(phase=phase, by=request.user, **fields))
    return _phase_out(saved, record_version(saved))


@router.delete(
    "/phases/{phase_id}",
    response={204: None, **DELETE_ERRORS},
    summary="删除活动阶段",
    url_name="phase_detail",
)
def phase_remove(request, phase_id: RecordId):
    """Delete a phase as its page does (audited on the phase and on the campaign)."""
    phase, _ = _part(request, Phase, phase_id, "活动阶段不存在。")
    phase_delete(phase=phase, by=request.user)
    return Status(204, None)


# --- task categories -------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    campaign_id: int
    name: str
    sort_order: int
    task_count: int = NinjaField(description="该类别下的任务数（含已办结、已取消的）")
    version: int = NinjaField(description="编辑版本：修改时回传")


class CategoryIn(Schema):
    name: str = NinjaField(max_length=50, description="类别名称")
    sort_order: int | None = NinjaField(
        None, ge=0, le=9999, description="排序：数字小的排在前面；不填则排在最后"
    )


class CategoryUpdateIn(CategoryIn):
    version: Version


def _category_out(category: TaskCategory, task_count: int, version: int) -> dict:
    return {
        "id": category.pk,
        "campaign_id": category.campaign_id,
        "name": category.name,
        "sort_order": category.sort_order,
        "task_count": task_count,
        "version": version,
    }


def _category_one(category: TaskCategory) -> dict:
    return _category_out(category, category.tasks.count(), record_version(category))


def _categories_of(request, campaign_id) -> Campaign:
    """The campaign whose categories the caller sets up, as the categories page: 404 outside
    his scope, 403 unless he manages it."""
    queryset = Campaign.objects.select_related("organiser")
    campaign = get_campaign_for_user(request.user, campaign_id, queryset=queryset)
    if not can_manage_categories(request.user, campaign):
        raise PermissionDenied(CATEGORIES_REFUSED)
    return campaign


@router.get(
    "/campaigns/{campaign_id}/categories",
    response={200: list[CategoryOut], **RECORD_ERRORS},
    summary="活动的任务类别",
)
def category_list(request, campaign_id: RecordId):
    """The campaign's task categories in their order, each with its number of tasks, for the
    coordinators who set them up (as the 任务类别 page; two queries whatever their number)."""
    campaign = _categories_of(request, campaign_id)
    categories = list(categories_with_counts(campaign))
    versions = _versions(TaskCategory, [c.pk for c in categories])
    return [_category_out(c, c.task_count, versions.get(c.pk, 0)) for c in categories]


@router.post(
    "/campaigns/{campaign_id}/categories",
    response={201: CategoryOut, **WRITE_ERRORS},
    summary="添加任务类别",
    url_name="category_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(CategoryIn),
)
def category_new(request, campaign_id: RecordId):
    """Add a task category as the 任务类别 page does (category_create, audited): last unless
    `sort_order` is given. Refused (422): a name the campaign's categories already have."""
    campaign = _categories_of(request, campaign_id)
    payload = body_parsed(request, CategoryIn)
    form = CategoryForm(form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    data = form.cleaned_data
    category = _created(lambda: category_create(campaign=campaign, by=request.user, **data))
    return Status(201, _category_one(category))


@router.put(
    "/task-categories/{category_id}",
    response={200: CategoryOut, **WRITE_ERRORS},
    summary="修改任务类别",
    url_name="category_detail",
    openapi_extra=body_documented(CategoryUpdateIn),
)
def category_edit(request, category_id: RecordId):
    """Rename or reorder a category as its page does (category_update, the before and after
    audited; its tasks keep it); `version` as for the campaign."""
    category = get_category_for_user(request.user, category_id)
    payload = body_parsed(request, CategoryUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = CategoryForm(form_data(bare, **{VERSION_FIELD: payload.version}))
    guard = EditGuard(form, category, what="任务类别")
    if not form.is_valid():
        raise form_refused(form)
    fields = form.cleaned_data
    saved = _guarded(guard, lambda: category_update(category=category, by=request.user, **fields))
    return _category_one(saved)


@router.delete(
    "/task-categories/{category_id}",
    response={204: None, **DELETE_ERRORS},
    summary="删除任务类别",
    url_name="category_detail",
)
def category_remove(request, category_id: RecordId):
    """Delete a category that holds no task as its page does (audited on it and on its
    campaign). Refused (422, nothing changed) while any task — cancelled or closed ones too —
    is in it."""
    category = get_category_for_user(request.user, category_id)
    try:
        category_delete(category=category, by=request.user)
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(204, None)
