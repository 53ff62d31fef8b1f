"""Notices (通报) and the exemplar cases (典型) they name: read by every role, those of the
campaigns of the caller's district (supervision.access.notices_visible_to), each saying whether
it names the caller's own unit, as the list page does. Recording one and correcting it (更正,
with its reason and `version`) as the pages do, for the task force of the notice's level:
their forms (NoticeForm and the exemplars' formset: the district's units and people, a
document number used once) and supervision.services.notices (one transaction, audited)."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.datastructures import MultiValueDict
from ninja import Field, Query, Router, Schema, Status

from shigan.core.editing import record_version
from shigan.orgs.scope import person_of
from shigan.supervision.access import (
    can_read_notices,
    can_record_notice,
    get_notice_for_user,
    notices_visible_to,
)
from shigan.supervision.forms import (
    ExemplarEditFormSet,
    ExemplarFormSet,
    NoticeEditForm,
    NoticeForm,
    exemplar_initial,
    exemplar_inputs,
)
from shigan.supervision.models import Exemplar, Notice, NoticeKind, Polarity
from shigan.supervision.queries import notice_names_unit, notices_listed
from shigan.supervision.services import notice_correct, notice_record

from ..body import body_documented, body_parsed
from ..corrections import VERSION_DESCRIPTION, Correction, corrected, correction_data
from ..pageforms import form_data, refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..problems import Problem
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, RecordId

router = Router(tags=["通报"])
PREFIX = "exemplar"
MAX_EXEMPLARS = 200


class NoticeFilters(PageFilters):
    campaign: RecordId | None = Field(None, description="活动编号")
    kind: NoticeKind | None = Field(None, description="通报类别")
    polarity: Polarity | None = Field(None, description="含该类典型的通报")


class ExemplarOut(Schema):
    id: int
    polarity: str
    polarity_label: str
    title: str
    description: str
    unit_ids: list[int] = Field(description="涉及单位")
    person_ids: list[int] = Field(description="涉及人员")


class NoticeOut(Schema):
    id: int
    campaign_id: int
    doc_number: str
    date: datetime.date
    title: str
    kind: str
    kind_label: str
    body: str
    names_my_unit: bool = Field(description="典型中是否涉及调用者本单位")
    exemplars: list[ExemplarOut]


class NoticePage(Schema):
    items: list[NoticeOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class NoticeDetailOut(NoticeOut):
    version: int = Field(description=VERSION_DESCRIPTION)


def _exemplar_out(e: Exemplar) -> dict:
    return {
        "id": e.pk,
        "polarity": e.polarity,
        "polarity_label": e.get_polarity_display(),
        "title": e.title,
        "description": e.description,
        "unit_ids": sorted(u.pk for u in e.units.all()),
        "person_ids": sorted(p.pk for p in e.people.all()),
    }


def _notice_out(notice: Notice, unit_id: int | None) -> dict:
    return {
        "id": notice.pk,
        "campaign_id": notice.campaign_id,
        "doc_number": notice.doc_number,
        "date": notice.date,
        "title": notice.title,
        "kind": notice.kind,
        "kind_label": notice.get_kind_display(),
        "body": notice.body,
        "names_my_unit": notice_names_unit(notice, unit_id),
        "exemplars": [_exemplar_out(e) for e in notice.exemplars.all()],
    }


def _unit_id(user) -> int | None:
    """The caller's own unit, as the list page reads it (his person's unit)."""
    person = person_of(user)
    return person.unit_id if person else None


def _notice(user, pk, *, write: bool = False) -> Notice:
    return get_notice_for_user(user, pk, write=write, queryset=notices_listed(Notice.objects))


def _detail(user, pk) -> dict:
    notice = _notice(user, pk)
    return _notice_out(notice, _unit_id(user)) | {"version": record_version(notice)}


def _reader(user) -> None:
    if not can_read_notices(user):
        raise PermissionDenied("无权查看通报。")


@router.get("/notices", response={200: NoticePage, **READ_ERRORS}, summary="通报列表")
def notice_list(request, filters: Query[NoticeFilters]):
    """The notices of the caller's district's campaigns, by id, with their exemplars."""
    known_only(request, NoticeFilters)
    _reader(request.user)
    notices = notices_visible_to(request.user, Notice.objects.all())
    if filters.campaign is not None:
        notices = notices.filter(campaign_id=filters.campaign)
    if filters.kind is not None:
        notices = notices.filter(kind=filters.kind)
    if filters.polarity is not None:
        with_polarity = Exemplar.objects.filter(polarity=filters.polarity).values("notice_id")
        notices = notices.filter(id__in=with_polarity)
    page, next_cursor = page_of(notices.only("id"), filters.cursor, filters.limit)
    chosen = notices_listed(Notice.objects.filter(pk__in=[n.pk for n in page]).order_by("pk"))
    unit_id = _unit_id(request.user)
    return {"items": [_notice_out(n, unit_id) for n in chosen], "next": next_cursor}


@router.get(
    "/notices/{notice_id}", response={200: NoticeDetailOut, **RECORD_ERRORS}, summary="通报详情"
)
def notice_detail(request, notice_id: RecordId):
    return _detail(request.user, notice_id)


class ExemplarIn(Schema):
    """An exemplar as the notice page's form takes it (supervision.forms.ExemplarForm)."""

    polarity: Polarity = Field(description="典型类别")
    title: str = Field(min_length=1, max_length=200, description="典型名称")
    description: str = Field("", max_length=20000, description="事迹/问题")
    units: list[RecordId] = Field([], max_length=1000, description="涉及单位编号（本区）")
    people: list[RecordId] = Field([], max_length=1000, description="涉及人员编号（本区）")


class NoticeIn(Schema):
    """A notice as the 录入通报 page takes it (supervision.forms.NoticeForm)."""

    campaign: RecordId = Field(description="活动编号（本级的活动）")
    doc_number: str = Field(max_length=60, description="文号，如：示作风办〔2023〕3号（唯一）")
    date: str = Field(description="印发日期，YYYY-MM-DD", examples=["2023-07-31"])
    title: str = Field(max_length=200, description="标题")
    kind: NoticeKind = Field(description="通报类别")
    body: str = Field("", max_length=100000, description="正文")
    exemplars: list[ExemplarIn] = Field([], max_length=MAX_EXEMPLARS, description="典型")


class ExemplarUpdateIn(ExemplarIn):
    id: RecordId | None = Field(None, description="已有典型的编号；不填则新增")


class NoticeUpdateIn(NoticeIn, Correction):
    """A notice as its 更正 page takes it: `exemplars` is the notice's exemplars as they are to
    be — one with `id` is that exemplar changed (or left as it is), one without is added, and
    one of the notice's left out is taken off the notice."""

    exemplars: list[ExemplarUpdateIn] = Field([], max_length=MAX_EXEMPLARS, description="典型")


def _exemplar_fields(item: ExemplarIn) -> dict:
    return {
        "polarity": item.polarity,
        "title": item.title,
        "description": item.description,
        "units": item.units,
        "people": item.people,
    }


def _formset_data(forms: list[dict], initial: int) -> MultiValueDict:
    """The exemplar forms as the page posts them (the formset's management form first)."""
    data = MultiValueDict()
    data.update({f"{PREFIX}-TOTAL_FORMS": str(len(forms)), f"{PREFIX}-INITIAL_FORMS": str(initial)})
    for i, fields in enumerate(forms):
        for name, value in fields.items():
            key = f"{PREFIX}-{i}-{name}"
            if isinstance(value, list):
                data.setlist(key, [str(v) for v in value])
            elif isinstance(value, bool):
                data[key] = "on" if value else ""
            elif value is not None:
                data[key] = str(value)
    return data


def _with(data: MultiValueDict, exemplars: MultiValueDict) -> MultiValueDict:
    for key, values in exemplars.lists():
        data.setlist(key, values)
    return data


def _refused(form, formset, positions: list[int | None]) -> Problem:
    """The notice form's and the exemplars' refusals, each exemplar's named by its place in
    the body (`positions`: a form's place, None for one the body left out)."""
    errors: dict[str, list[str]] = dict(form.errors)
    for i, exemplar_form in enumerate(formset.forms):
        place = positions[i] if i < len(positions) else None
        for name, messages in exemplar_form.errors.items():
            if place is None:
                key = "exemplars"
            elif name == NON_FIELD_ERRORS:
                key = f"exemplars.{place}"
            else:
                key = f"exemplars.{place}.{name.replace('exemplar', 'id')}"
            errors.setdefault(key, []).extend(messages)
    if formset.non_form_errors():
        errors.setdefault("exemplars", []).extend(formset.non_form_errors())
    return refused(errors)


@router.post(
    "/notices",
    response={201: NoticeDetailOut, **WRITE_ERRORS},
    summary="录入通报",
    url_name="notice_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(NoticeIn),
)
def notice_create(request):
    """Record a notice with its exemplars as the 录入通报 page does (supervision.services
    .notice_record: the document number normalised and used once, each exemplar named with a
    unit or a person; one transaction, audited): the task force (专班), in a campaign of its
    own level."""
    if not can_record_notice(request.user):
        raise PermissionDenied("只有专班可以录入通报。")
    payload = body_parsed(request, NoticeIn)
    items = [_exemplar_fields(e) for e in payload.exemplars]
    data = _with(form_data(payload.model_copy(update={"exemplars": []})), _formset_data(items, 0))
    form = NoticeForm(data, user=request.user)
    formset = ExemplarFormSet(
        data, prefix=PREFIX, form_kwargs={"user": request.user, "choices": {}}
    )
    if not (form.is_valid() & formset.is_valid()):
        raise _refused(form, formset, list(range(len(items))))
    try:
        notice = notice_record(
            by=request.user, exemplars=exemplar_inputs(formset), **form.cleaned_data
        )
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _detail(request.user, notice.pk))


def _edit_forms(payload: NoticeUpdateIn, exemplars: dict) -> tuple[list[dict], list[int | None]]:
    """The correction page's exemplar forms for the body: one per exemplar of the notice (as
    the body has it, or taken off when it left it out), then the body's new ones; and each
    form's place in the body."""
    places: dict[int, int] = {}
    for place, item in enumerate(payload.exemplars):
        if item.id is None:
            continue
        if item.id not in exemplars:
            detail = "该典型不属于本通报，请刷新后重试。"
            field = f"exemplars.{place}.id"
            raise Problem(422, detail, errors=[{"field": field, "detail": detail}])
        if item.id in places:
            detail = "同一典型在请求中出现了两次。"
            field = f"exemplars.{place}.id"
            raise Problem(422, detail, errors=[{"field": field, "detail": detail}])
        places[item.id] = place
    forms, positions = [], []
    for initial in exemplar_initial(exemplars.values()):
        place = places.get(initial["exemplar"])
        if place is None:
            forms.append(initial | {"remove": True})
        else:
            item = payload.exemplars[place]
            forms.append({"exemplar": initial["exemplar"], **_exemplar_fields(item)})
        positions.append(place)
    for place, item in enumerate(payload.exemplars):
        if item.id is None:
            forms.append(_exemplar_fields(item))
            positions.append(place)
    return forms, positions


@router.put(
    "/notices/{notice_id}",
    response={200: NoticeDetailOut, **WRITE_ERRORS},
    summary="更正通报",
    url_name="notice_detail",
    openapi_extra=body_documented(NoticeUpdateIn),
)
def notice_edit(request, notice_id: RecordId):
    """Correct a notice and its exemplars as its 更正 page does (supervision.services.notices
    .notice_correct: a reason, every changed row audited before and after, one transaction): the
    task force of the notice's level (403 for whoever only reads it). `version` is required (a
    missing one is a 422 on it); a save by someone else since is refused (422 on version); nothing
    changed is refused too."""
    notice = _notice(request.user, notice_id, write=True)
    payload = body_parsed(request, NoticeUpdateIn)
    exemplars = {e.pk: e for e in notice.exemplars.all()}
    forms, positions = _edit_forms(payload, exemplars)
    data = _with(
        correction_data(payload.model_copy(update={"exemplars": []})),
        _formset_data(forms, len(exemplars)),
    )
    form = NoticeEditForm(data, notice=notice, user=request.user)
    formset = ExemplarEditFormSet(
        data,
        prefix=PREFIX,
        initial=exemplar_initial(exemplars.values()),
        form_kwargs={"user": request.user, "choices": {}, "exemplars": exemplars},
    )
    if not formset.is_valid():
        form.is_valid()
        raise _refused(form, formset, positions)
    corrected(
        form, notice, what="通报",
        save=lambda: notice_correct(
            notice=notice, by=request.user, exemplars=exemplar_inputs(formset),
            **form.cleaned_data,
        ),
    )  # fmt: skip
    return _detail(request.user, notice.pk)
