"""The reception rota (信访接待日) as its pages: the days of the caller's district's campaigns
(grassroots.access.reception_days_visible_to, every role), each with whether it is 未开展 and
the number of concerns received there — the ids POST /concerns takes as `reception_day` — and
adding or editing a day as the 安排接待日 page does: the page's form (grassroots.forms.reception
.ReceptionDayForm: the district's people, the same messages) and grassroots.services.reception
.reception_day_save (its rules: one day per leader and date, a future day not held, visitors
only on a held day; audited with before and after), for the task force of its own level."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import record_version
from shigan.grassroots.access import (
    can_manage_reception,
    get_reception_day_for_user,
    reception_days_visible_to,
)
from shigan.grassroots.forms.reception import ReceptionDayForm
from shigan.grassroots.models import ReceptionDay
from shigan.grassroots.queries.reception import ReceptionRow, reception_rows
from shigan.grassroots.services.reception import reception_day_save

from ..body import body_documented, body_parsed
from ..corrections import VERSION_DESCRIPTION, corrected
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, RecordId, Version

router = Router(tags=["基层治理台账"])


class ReceptionFilters(PageFilters):
    campaign: RecordId | None = Field(None, description="活动编号")


class ReceptionDayOut(Schema):
    id: int
    campaign_id: int
    date: datetime.date
    leader_id: int = Field(description="接待领导（人员编号）")
    leader: str
    place: str
    held: bool = Field(description="已开展")
    missed: bool = Field(description="未开展：日期已过仍未开展")
    visitors: int = Field(description="接待群众（人次）")
    note: str
    concern_count: int = Field(description="当日受理的诉求件数")


class ReceptionDayDetailOut(ReceptionDayOut):
    version: int = Field(description=VERSION_DESCRIPTION)


class ReceptionDayPage(Schema):
    items: list[ReceptionDayOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


def _out(row: ReceptionRow) -> dict:
    day = row.day
    return {
        "id": day.pk,
        "campaign_id": day.campaign_id,
        "date": day.date,
        "leader_id": day.leader_id,
        "leader": day.leader.name,
        "place": day.place,
        "held": day.held,
        "missed": row.missed,
        "visitors": day.visitors,
        "note": day.note,
        "concern_count": row.concerns,
    }


def _rows(ids) -> list[dict]:
    rows = reception_rows(ReceptionDay.objects.filter(pk__in=ids), clock.today())
    return [_out(row) for row in sorted(rows, key=lambda r: r.day.pk)]


@router.get(
    "/reception-days", response={200: ReceptionDayPage, **READ_ERRORS}, summary="信访接待日列表"
)
def reception_day_list(request, filters: Query[ReceptionFilters]):
    """The reception days of the caller's district's campaigns (as the rota's page, every
    role), by id. Two queries whatever the page's size: the page's ids, the rows."""
    known_only(request, ReceptionFilters)
    days = reception_days_visible_to(request.user, ReceptionDay.objects.all())
    if filters.campaign is not None:
        days = days.filter(campaign_id=filters.campaign)
    page, next_cursor = page_of(days.only("id"), filters.cursor, filters.limit)
    return {"items": _rows([d.pk for d in page]), "next": next_cursor}


@router.get(
    "/reception-days/{day_id}",
    response={200: ReceptionDayDetailOut, **RECORD_ERRORS},
    summary="信访接待日详情",
)
def reception_day_detail(request, day_id: RecordId):
    """A day of the rota, with the `version` its PUT sends back."""
    return _detail(get_reception_day_for_user(request.user, day_id))


def _detail(day: ReceptionDay) -> dict:
    return _rows([day.pk])[0] | {"version": record_version(day)}


class ReceptionDayIn(Schema):
    """A day of the rota as the 安排接待日 page takes it (ReceptionDayForm)."""

    date: str = Field(description="接待日期，YYYY-MM-DD", examples=["2023-07-31"])
    leader: RecordId = Field(description="接待领导（本区人员编号）")
    place: str = Field(max_length=100, description="接待地点")
    held: bool = Field(False, description="已开展（日期未到不能为是）")
    visitors: int | None = Field(
        None, ge=0, le=10**6, description="接待群众（人次），仅已开展时填写"
    )
    note: str = Field("", max_length=2000, description="情况说明")


class ReceptionDayUpdateIn(ReceptionDayIn):
    version: Version


class ReceptionDayCreateIn(ReceptionDayIn):
    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")


def _saved(request, day: ReceptionDay | None, campaign, payload: ReceptionDayIn) -> ReceptionDay:
    form = ReceptionDayForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        return reception_day_save(day=day, campaign=campaign, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None


@router.post(
    "/reception-days",
    response={201: ReceptionDayOut, **{k: v for k, v in WRITE_ERRORS.items() if k != 404}},
    summary="安排信访接待日",
    url_name="reception_day_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(ReceptionDayCreateIn),
)
def reception_day_create(request):
    """Add a day to the rota as the 安排接待日 page does (the same form and service, audited):
    the task force (403 for anyone else, before the body is read), in a campaign of its
    district (the current one when `campaign` is left out)."""
    if not can_manage_reception(request.user):
        raise PermissionDenied("只有专班可以安排信访接待日。")
    payload = body_parsed(request, ReceptionDayCreateIn)
    campaign = campaign_for_user(request.user, payload.campaign)
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    day = _saved(request, None, campaign, payload.model_copy(update={"campaign": None}))
    return Status(201, _rows([day.pk])[0])


@router.put(
    "/reception-days/{day_id}",
    response={200: ReceptionDayDetailOut, **WRITE_ERRORS},
    summary="修改信访接待日（登记开展情况）",
    url_name="reception_day_detail",
    openapi_extra=body_documented(ReceptionDayUpdateIn),
)
def reception_day_edit(request, day_id: RecordId):
    """Edit a day as its page does — mark it held with the visitors received and a note: the
    task force of the day's own level (404 for a day outside the caller's district, 403 for
    whoever only reads it). Audited with before and after. `version` is required (a missing
    one is a 422 on it); a save by someone else since is refused (422 on version, naming who
    changed what and when) and nothing is written."""
    day = get_reception_day_for_user(request.user, day_id, write=True)
    payload = body_parsed(request, ReceptionDayUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = ReceptionDayForm(form_data(bare, **{VERSION_FIELD: payload.version}), user=request.user)
    saved = corrected(
        form, day, what=ReceptionDay._meta.verbose_name,
        save=lambda: reception_day_save(
            day=day, campaign=day.campaign, by=request.user, **form.cleaned_data
        ),
    )  # fmt: skip
    return _detail(saved)
