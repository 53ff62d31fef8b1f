"""招商引资 as its pages: the investment trips (外出招商) and agreements (签约项目) of the campaigns
the caller reads (indicators.access.investment_campaigns: every role, as the 招商引资 page; an
account with no role is refused as there), each listed, read by id with its `version`, created
and edited as the 新建 / 编辑外出招商 and 新建 / 编辑招商协议 pages do — the pages' forms
(indicators.forms.records.TripForm, AgreementForm: campaigns and people of the caller's own
level, the same Chinese messages) and services (trip_save, agreement_save: audited with before
and after), behind the pages' overwrite guard (`version`) — and an agreement marked landed (落地)
as its page's 标记落地 button: LandForm and agreement_land (not before it was signed, not in the
future, not twice). Writes are the coordinators' of the record's own level, as the pages."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from shigan.campaigns.queries import campaign_current, campaigns_current_first
from shigan.core import clock
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import record_version
from shigan.core.params import parse_number
from shigan.indicators.access import (
    can_manage_indicators,
    can_read_investment,
    get_agreement_for_user,
    get_investment_trip_for_user,
    investment_campaigns,
)
from shigan.indicators.forms.records import AgreementForm, LandForm, TripForm
from shigan.indicators.models import Agreement, InvestmentTrip
from shigan.indicators.queries import investment_tallies
from shigan.indicators.services import agreement_land, agreement_save, trip_save
from shigan.indicators.views.pages import READ_ONLY

from ..body import body_documented, body_parsed, number_text
from ..corrections import VERSION_DESCRIPTION, corrected
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, Day, ProblemOut, RecordId, Version

router = Router(tags=["指标与重点项目"])

NO_READ = "无权查看招商引资。"
LIST_ERRORS = READ_ERRORS | {403: ProblemOut}  # an account with no role, as the page
CREATE_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k != 404}  # no record in the path


def _require_reader(user) -> None:
    if not can_read_investment(user):
        raise PermissionDenied(NO_READ)


def _require_manager(user) -> None:
    if not can_manage_indicators(user):
        raise PermissionDenied(READ_ONLY)


# --- 招商引资汇总（the 招商引资 page's figures） ----------------------------------------------------


class SummaryQuery(Schema):
    campaign: RecordId | None = Field(None, description="活动编号（默认当前活动，如招商引资页）")
    as_of: Day | None = Field(None, description="截至日期，YYYY-MM-DD（默认今天）")


class SummaryOut(Schema):
    campaign_id: int | None = Field(description="活动编号；还没有活动时为 null（各数为0）")
    campaign: str | None
    as_of: datetime.date = Field(description="截至日期")
    trips: int = Field(description="外出招商（次）：截至日期前出发的")
    agreements: int = Field(description="签约项目（个）：截至日期前签约的")
    contract_amount: Decimal = Field(description="合同金额（万元）")
    landed: int = Field(description="已落地项目（个）")
    landed_contract_amount: Decimal = Field(description="已落地项目的合同金额（万元）")
    funds_in_place: Decimal = Field(description="到位资金（万元）")


@router.get(
    "/investment-summary",
    response={200: SummaryOut, **RECORD_ERRORS},
    summary="招商引资汇总",
)
def investment_summary(request, query: Query[SummaryQuery]):
    """The figures the 招商引资 page states for a campaign up to a date (indicators.queries
    .investment_tallies: trips made, agreements signed and their contract funds, projects landed
    and their contract funds, funds in place): every role (403 for an account with no role), a
    campaign he reads — by default the current one, as the page; a campaign he does not read is
    404 as there."""
    known_only(request, SummaryQuery)
    _require_reader(request.user)
    campaigns = campaigns_current_first(investment_campaigns(request.user))
    campaign = campaign_current(query.campaign, among=campaigns)
    as_of = query.as_of or clock.today()
    shown = {"campaign_id": None, "campaign": None, "as_of": as_of}
    if campaign is None:
        zero = Decimal(0)
        return shown | {"trips": 0, "agreements": 0, "contract_amount": zero, "landed": 0,
                        "landed_contract_amount": zero, "funds_in_place": zero}  # fmt: skip
    tallies = investment_tallies(campaign, as_of)
    return shown | {"campaign_id": campaign.pk, "campaign": campaign.name} | vars(tallies)


# --- 外出招商 ----------------------------------------------------------------------------------


class TripFilters(PageFilters):
    campaign: RecordId | None = Field(None, description="活动编号")
    leader: RecordId | None = Field(None, description="带队领导（人员编号）")
    date_from: Day | None = Field(None, description="出发日期不早于，YYYY-MM-DD")
    date_to: Day | None = Field(
        None, description="出发日期不晚于，YYYY-MM-DD（如招商引资页的“截至”日期）"
    )


class TripOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    date: datetime.date = Field(description="出发日期")
    destination: str = Field(description="目的地")
    leader_id: int | None = Field(description="带队领导（人员编号）；未填为 null")
    leader: str | None
    contacts: str = Field(description="对接企业及联系人")
    agreement_count: int = Field(description="由该次外出招商签约的协议数")


class TripPage(Schema):
    items: list[TripOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class TripDetailOut(TripOut):
    version: int = Field(description=VERSION_DESCRIPTION)


def _trip_out(trip: InvestmentTrip) -> dict:
    return {
        "id": trip.pk,
        "campaign_id": trip.campaign_id,
        "campaign": trip.campaign.name,
        "date": trip.date,
        "destination": trip.destination,
        "leader_id": trip.leader_id,
        "leader": trip.leader.name if trip.leader_id else None,
        "contacts": trip.contacts,
        "agreement_count": trip.agreement_count,
    }


def _trips(ids) -> list[dict]:
    """The trips `ids` by id, in one query (their campaign, leader and agreements counted)."""
    trips = InvestmentTrip.objects.filter(pk__in=ids).select_related("campaign", "leader")
    trips = trips.annotate(agreement_count=Count("agreements")).order_by("pk")
    return [_trip_out(t) for t in trips]


def _trip_detail(trip: InvestmentTrip) -> dict:
    return _trips([trip.pk])[0] | {"version": record_version(trip)}


@router.get("/investment-trips", response={200: TripPage, **LIST_ERRORS}, summary="外出招商列表")
def investment_trip_list(request, filters: Query[TripFilters]):
    """The trips of the campaigns the caller reads (every role, as the 招商引资 page; 403 for an
    account with no role), by id. Two queries whatever the page's size: the page's ids, the
    rows."""
    known_only(request, TripFilters)
    _require_reader(request.user)
    trips = InvestmentTrip.objects.filter(campaign__in=investment_campaigns(request.user))
    for name, lookup in (("campaign", "campaign_id"), ("leader", "leader_id"),
                         ("date_from", "date__gte"), ("date_to", "date__lte")):  # fmt: skip
        if (value := getattr(filters, name)) is not None:
            trips = trips.filter(**{lookup: value})
    page, next_cursor = page_of(trips.only("id"), filters.cursor, filters.limit)
    return {"items": _trips([t.pk for t in page]), "next": next_cursor}


@router.get(
    "/investment-trips/{trip_id}",
    response={200: TripDetailOut, **RECORD_ERRORS},
    summary="外出招商详情",
)
def investment_trip_detail(request, trip_id: RecordId):
    """A trip of a campaign the caller reads (404 otherwise, the same as an id that does not
    exist), with its `version` for PUT."""
    return _trip_detail(get_investment_trip_for_user(request.user, trip_id))


class TripIn(Schema):
    """A trip as the 新建外出招商 / 编辑外出招商 page takes it (TripForm)."""

    campaign: RecordId = Field(description="活动编号（本级的活动）")
    date: str = Field(description="出发日期，YYYY-MM-DD", examples=["2023-04-01"])
    destination: str = Field(max_length=100, description="目的地")
    leader: RecordId | None = Field(None, description="带队领导（本级的人员编号）")
    contacts: str = Field("", max_length=2000, description="对接企业及联系人")


class TripUpdateIn(TripIn):
    version: Version


@router.post(
    "/investment-trips",
    response={201: TripDetailOut, **CREATE_ERRORS},
    summary="新建外出招商",
    url_name="investment_trip_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(TripIn),
)
def investment_trip_create(request):
    """Record a trip as the 新建外出招商 page does (TripForm: a campaign and a leader of the
    caller's own level; trip_save, audited): a coordinator (403 for anyone else, before the
    body is read). Refused (422) with the page's messages on their fields."""
    _require_manager(request.user)
    payload = body_parsed(request, TripIn)
    form = TripForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        trip = trip_save(trip=None, by=request.user, **form.values())
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _trip_detail(trip))


@router.put(
    "/investment-trips/{trip_id}",
    response={200: TripDetailOut, **WRITE_ERRORS},
    summary="修改外出招商",
    url_name="investment_trip_detail",
    openapi_extra=body_documented(TripUpdateIn),
)
def investment_trip_edit(request, trip_id: RecordId):
    """Change a trip as the 编辑外出招商 page does (the same form and service, the before and after
    audited): a coordinator of the trip's campaign's own level — 404 for whoever does not read it,
    403 for whoever only reads it. `version` is required (a missing one is a 422 on it); a save by
    someone else since is refused (422 on version) and nothing is written."""
    trip = get_investment_trip_for_user(request.user, trip_id, write=True)
    _require_manager(request.user)
    payload = body_parsed(request, TripUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = TripForm(form_data(bare, **{VERSION_FIELD: payload.version}), user=request.user)
    corrected(
        form, trip, what=trip._meta.verbose_name,
        save=lambda: trip_save(trip=trip, by=request.user, **form.values()),
    )  # fmt: skip
    return _trip_detail(trip)


# --- 签约项目（招商协议） ------------------------------------------------------------------------


class AgreementFilters(PageFilters):
    campaign: RecordId | None = Field(None, description="活动编号")
    trip: RecordId | None = Field(None, description="外出招商编号")
    landed: bool | None = Field(None, description="是否已落地")
    signed_from: Day | None = Field(None, description="签约日期不早于，YYYY-MM-DD")
    signed_to: Day | None = Field(
        None, description="签约日期不晚于，YYYY-MM-DD（如招商引资页的“截至”日期）"
    )


class AgreementOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    investor: str = Field(description="投资方")
    project_name: str = Field(description="项目名称")
    contract_amount: Decimal = Field(description="合同金额（万元）")
    signed_on: datetime.date = Field(description="签约日期")
    funds_in_place: Decimal = Field(description="到位资金（万元）")
    landed: bool = Field(description="已落地")
    landed_on: datetime.date | None = Field(description="落地日期；未落地为 null")
    trip_id: int | None = Field(description="外出招商编号；无为 null")
    trip: str | None


class AgreementPage(Schema):
    items: list[AgreementOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class AgreementDetailOut(AgreementOut):
    version: int = Field(description=VERSION_DESCRIPTION)


def _agreement_out(agreement: Agreement) -> dict:
    return {
        "id": agreement.pk,
        "campaign_id": agreement.campaign_id,
        "campaign": agreement.campaign.name,
        "investor": agreement.investor,
        "project_name": agreement.project_name,
        "contract_amount": agreement.contract_amount,
        "signed_on": agreement.signed_on,
        "funds_in_place": agreement.funds_in_place,
        "landed": agreement.landed,
        "landed_on": agreement.landed_on,
        "trip_id": agreement.trip_id,
        "trip": str(agreement.trip) if agreement.trip_id else None,
    }


def _agreements(ids) -> list[dict]:
    """The agreements `ids` by id, in one query (their campaign and trip)."""
    agreements = Agreement.objects.filter(pk__in=ids).select_related("campaign", "trip")
    return [_agreement_out(a) for a in agreements.order_by("pk")]


def _agreement_detail(agreement: Agreement) -> dict:
    return _agreements([agreement.pk])[0] | {"version": record_version(agreement)}


@router.get("/agreements", response={200: AgreementPage, **LIST_ERRORS}, summary="签约项目列表")
def agreement_list(request, filters: Query[AgreementFilters]):
    """The agreements of the campaigns the caller reads (every role, as the 招商引资 page; 403
    for an account with no role), by id. Two queries whatever the page's size: the page's ids,
    the rows."""
    known_only(request, AgreementFilters)
    _require_reader(request.user)
    agreements = Agreement.objects.filter(campaign__in=investment_campaigns(request.user))
    for name, lookup in (("campaign", "campaign_id"), ("trip", "trip_id"), ("landed", "landed"),
                         ("signed_from", "signed_on__gte"), ("signed_to", "signed_on__lte")):  # fmt: skip
        if (value := getattr(filters, name)) is not None:
            agreements = agreements.filter(**{lookup: value})
    page, next_cursor = page_of(agreements.only("id"), filters.cursor, filters.limit)
    return {"items": _agreements([a.pk for a in page]), "next": next_cursor}


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementDetailOut, **RECORD_ERRORS},
    summary="签约项目详情",
)
def agreement_detail(request, agreement_id: RecordId):
    """An agreement of a campaign the caller reads (404 otherwise, the same as an id that does
    not exist), with its `version` for PUT."""
    return _agreement_detail(get_agreement_for_user(request.user, agreement_id))


def _amount(raw):
    """A figure as the page's AmountField reads it (“1,200”, 1200.5); null, blank or absent is 0."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError("应为数字")
    return parse_number(number_text(raw))


class AgreementIn(Schema):
    """An agreement as the 新建招商协议 / 编辑招商协议 page takes it (AgreementForm); its landing
    is POST /agreements/{id}/land."""

    campaign: RecordId = Field(description="活动编号（本级的活动）")
    investor: str = Field(max_length=200, description="投资方")
    project_name: str = Field(max_length=200, description="项目名称")
    contract_amount: Decimal | None = Field(None, description="合同金额（万元），空为0")
    signed_on: str = Field(description="签约日期，YYYY-MM-DD", examples=["2023-05-01"])
    funds_in_place: Decimal | None = Field(None, description="到位资金（万元），空为0")
    trip: RecordId | None = Field(None, description="外出招商编号（同一活动的）")

    @field_validator("contract_amount", "funds_in_place", mode="before")
    @classmethod
    def _a_number_as_the_forms_read_it(cls, raw):
        return _amount(raw)


class AgreementUpdateIn(AgreementIn):
    version: Version


@router.post(
    "/agreements",
    response={201: AgreementDetailOut, **CREATE_ERRORS},
    summary="新建签约项目",
    url_name="agreement_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(AgreementIn),
)
def agreement_create(request):
    """Record an agreement as the 新建招商协议 page does (AgreementForm: a campaign of the
    caller's own level, a trip of that campaign; agreement_save, audited): a coordinator (403
    for anyone else, before the body is read). Refused (422) with the page's messages on their
    fields."""
    _require_manager(request.user)
    payload = body_parsed(request, AgreementIn)
    form = AgreementForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        agreement = agreement_save(agreement=None, by=request.user, **form.values())
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _agreement_detail(agreement))


@router.put(
    "/agreements/{agreement_id}",
    response={200: AgreementDetailOut, **WRITE_ERRORS},
    summary="修改签约项目",
    url_name="agreement_detail",
    openapi_extra=body_documented(AgreementUpdateIn),
)
def agreement_edit(request, agreement_id: RecordId):
    """Change an agreement as the 编辑招商协议 page does (the same form and service, the before and after
    audited; landing stays POST /agreements/{id}/land): a coordinator of the agreement's campaign's
    own level — 404 for whoever does not read it, 403 for whoever only reads it. `version` is
    required (a missing one is a 422 on it); a save by someone else since is refused (422 on
    version) and nothing is written."""
    agreement = get_agreement_for_user(request.user, agreement_id, write=True)
    _require_manager(request.user)
    payload = body_parsed(request, AgreementUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = AgreementForm(form_data(bare, **{VERSION_FIELD: payload.version}), user=request.user)
    corrected(
        form, agreement, what=agreement._meta.verbose_name,
        save=lambda: agreement_save(agreement=agreement, by=request.user, **form.values()),
    )  # fmt: skip
    return _agreement_detail(agreement)


class LandIn(Schema):
    """The 标记落地 button's form (LandForm)."""

    landed_on: str = Field(description="落地日期，YYYY-MM-DD", examples=["2023-07-20"])


@router.post(
    "/agreements/{agreement_id}/land",
    response={200: AgreementDetailOut, **WRITE_ERRORS},
    summary="签约项目标记落地",
    openapi_extra=body_documented(LandIn),
)
def agreement_land_mark(request, agreement_id: RecordId):
    """Mark an agreement landed (实际落地) on `landed_on`, as the agreement page's 标记落地
    button does (LandForm, agreement_land: not before its signing date, not after today, not
    twice; audited with the note 标记落地): a coordinator of the agreement's campaign's own
    level — 404 for whoever does not read it, 403 for whoever only reads it. Refused (422 on
    landed_on) with the page's message."""
    agreement = get_agreement_for_user(request.user, agreement_id, write=True)
    _require_manager(request.user)
    payload = body_parsed(request, LandIn)
    form = LandForm(form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    try:
        agreement_land(agreement=agreement, on=form.cleaned_data["landed_on"], by=request.user)
    except ValidationError as error:
        raise service_refused(error) from None
    return _agreement_detail(agreement)
