"""The time bank (时间存折) as its pages: the volunteers' accounts with their balances, an
account's statement of a year (opening balance, each posting with its running balance, closing)
and its service records, the confirmation queue; and every write its pages make — opening an
account, entering a service record, confirming or returning it (退回, with a reason),
correcting and resubmitting a returned one, a redemption (兑换), a reversal (冲正) — through
the pages' own forms (timebank.forms: the same choices and messages) and services
(timebank.services: double-entry postings, a redemption never beyond the balance, a record
confirmed by someone other than its enterer, audited, all or nothing). Reads and refusals go
through timebank.access as the pages do: 404 for a record outside the caller's scope (the same
message as an id that does not exist), 403 where the page refuses the role. The workbook import
and the exports (xlsx, CSV) stay pages."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema

from shigan.core import clock, params
from shigan.core.masking import mask_phone
from shigan.core.models import AuditSource, user_display_name
from shigan.timebank.access import (
    accounts_visible_to,
    activities_for_entry,
    can_confirm,
    can_enter_for,
    can_enter_services,
    can_resubmit,
    can_reverse_on,
    get_account_for_user,
    get_service_for_user,
    get_service_to_resubmit,
    get_transaction_for_user,
    people_for_entry,
    phone_shown_to,
    services_visible_to,
    units_for_entry,
)
from shigan.timebank.forms import (
    AccountForm,
    RedemptionForm,
    ResubmitForm,
    ReturnForm,
    ReversalForm,
    ServiceForm,
)
from shigan.timebank.models import (
    Account,
    AccountKind,
    Entry,
    Redemption,
    ServiceRecord,
    Transaction,
)
from shigan.timebank.queries import (
    account_services,
    account_statement,
    accounts_with_balances,
    pending_services,
    returned_services,
)
from shigan.timebank.services import (
    account_open,
    balance_of,
    redemption_record,
    service_confirm,
    service_enter,
    service_resubmit,
    service_return,
    transaction_reverse,
)

from ..body import body_documented, body_parsed, number_text
from ..pageforms import form_data, form_refused, refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, RecordId

router = Router(tags=["时间存折"])

YEAR = Field(None, ge=params.YEAR_RANGE[0], le=params.YEAR_RANGE[1], description="年度（默认今年）")
CREATED_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k != 404}


def _hours_text(raw):
    """Hours as the page's field reads them (forms.HoursField): a JSON number by the digits it
    was sent as, a text as typed; a boolean is no number."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError("应为数字")
    return number_text(raw) if isinstance(raw, int | float) else raw


Hours = Annotated[
    str,
    BeforeValidator(_hours_text),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string", "maxLength": 20}],
            "description": "时长（小时）：0.5小时的整数倍，如0.5、1、1.5",
        }  # fmt: skip
    ),
]


# --- shapes ---------------------------------------------------------------------------------


class AccountOut(Schema):
    id: int
    kind: str = Field(
        description="volunteer 志愿者；issuance 时间银行发行；redemption 时间银行兑换"
    )
    kind_label: str
    volunteer_kind: str = Field(description="resident 居民、cadre 干部（账簿为空）")
    name: str
    phone: str = Field(description="联系电话（列表中一律打码）")
    unit_id: int | None = Field(description="所在村（社区）/单位")
    unit: str | None
    opened_on: datetime.date
    balance: Decimal = Field(description="余额（小时）：该账户全部分录之和")
    year_hours: Decimal = Field(description="该年度已确认且未冲正的服务时长（小时）")


class AccountPage(Schema):
    items: list[AccountOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class StatementLineOut(Schema):
    transaction_id: int
    date: datetime.date
    kind: str = Field(description="service 服务、redemption 兑换、reversal 冲正")
    kind_label: str
    memo: str
    amount: Decimal = Field(description="本账户的发生额（小时）：正为存入，负为支出")
    balance: Decimal = Field(description="记账后余额（小时）")
    reversed: bool = Field(description="已被冲正")
    reverses_id: int | None = Field(description="冲正的记账编号（冲正记账）")


class StatementOut(Schema):
    year: int
    start: datetime.date
    end: datetime.date
    opening: Decimal = Field(description="期初余额")
    credits: Decimal = Field(description="本期存入")
    debits: Decimal = Field(description="本期支出")
    closing: Decimal = Field(description="期末余额")
    lines: list[StatementLineOut]


class ServiceOut(Schema):
    id: int
    account_id: int
    account: str
    date: datetime.date
    hours: Decimal
    activity_id: int | None
    activity: str | None
    beneficiary: str
    content: str
    state: str = Field(
        description="pending 待确认、confirmed 已确认、returned 已退回、reversed 已冲正"
    )
    state_label: str
    entered_by: str
    entered_at: datetime.datetime
    confirmed_by: str | None = Field(description="确认或退回人")
    confirmed_at: datetime.datetime | None
    return_reason: str
    transaction_id: int | None = Field(description="确认后的记账编号")
    confirmable: bool = Field(description="调用者可以确认或退回")
    resubmittable: bool = Field(description="调用者可以更正后重新提交（本人录入、已退回）")


class AccountDetailOut(AccountOut):
    person_id: int | None = Field(description="干部账户的人员编号")
    can_enter: bool = Field(description="调用者可以为其录入服务记录和兑换")
    can_reverse: bool = Field(description="调用者可以冲正其记账")
    statement: StatementOut
    services: list[ServiceOut]


class EntryOut(Schema):
    account_id: int
    account: str
    amount: Decimal


class TransactionOut(Schema):
    id: int
    kind: str
    kind_label: str
    date: datetime.date
    memo: str
    reverses_id: int | None
    entries: list[EntryOut]


class RedemptionOut(Schema):
    id: int
    account_id: int
    date: datetime.date
    hours: Decimal
    item: str
    created_by: str
    transaction_id: int
    balance: Decimal = Field(description="兑换后余额（小时）")


class ServicePage(Schema):
    items: list[ServiceOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


# --- bodies ---------------------------------------------------------------------------------


class AccountIn(Schema):
    """A volunteer's account as the 开户 page takes it (AccountForm): a cadre chosen from the
    people, or a resident by name and village (community)."""

    person: RecordId | None = Field(
        None, description="干部（人员编号）：选择则按其姓名、电话、单位开户"
    )
    name: str = Field("", max_length=50, description="姓名（居民开户必填）")
    phone: str = Field("", max_length=30, description="联系电话")
    unit: RecordId | None = Field(None, description="所在村（社区）/单位（居民开户必填）")
    opened_on: str = Field(
        max_length=20, description="开户日期，YYYY-MM-DD", examples=["2023-07-31"]
    )


class ServiceIn(Schema):
    """A service record as the 录入服务记录 page takes it (ServiceForm)."""

    date: str = Field(max_length=20, description="服务日期，YYYY-MM-DD", examples=["2023-07-31"])
    hours: Hours
    activity: RecordId | None = Field(None, description="实践活动编号（本区的）")
    beneficiary: str = Field(max_length=100, description="服务对象")
    content: str = Field(max_length=2000, description="服务内容")


class ResubmitIn(ServiceIn):
    reason: str = Field(max_length=300, description="更正说明：按退回原因更正了什么（必填）")


class RedemptionIn(Schema):
    """A redemption as the 兑换 page takes it (RedemptionForm)."""

    date: str = Field(max_length=20, description="兑换日期，YYYY-MM-DD", examples=["2023-07-31"])
    hours: Hours
    item: str = Field(max_length=200, description="兑换内容")


class ReturnIn(Schema):
    reason: str = Field(max_length=300, description="退回原因（必填）")


class ReversalIn(Schema):
    date: str = Field(max_length=20, description="冲正日期，YYYY-MM-DD", examples=["2023-07-31"])
    reason: str = Field(max_length=250, description="冲正原因（必填）")


# --- reads ----------------------------------------------------------------------------------


def _account_out(account: Account, *, phone: str, year_hours=Decimal("0")) -> dict:
    return {
        "id": account.pk,
        "kind": account.kind,
        "kind_label": account.get_kind_display(),
        "volunteer_kind": account.volunteer_kind,
        "name": account.name,
        "phone": phone,
        "unit_id": account.unit_id,
        "unit": account.unit.name if account.unit_id else None,
        "opened_on": account.opened_on,
        "balance": account.balance,
        "year_hours": year_hours,
    }


def _service_out(user, record: ServiceRecord) -> dict:
    return {
        "id": record.pk,
        "account_id": record.account_id,
        "account": record.account.name,
        "date": record.date,
        "hours": record.hours,
        "activity_id": record.activity_id,
        "activity": record.activity.name if record.activity_id else None,
        "beneficiary": record.beneficiary,
        "content": record.content,
        "state": record.state,
        "state_label": record.get_state_display(),
        "entered_by": user_display_name(record.entered_by),
        "entered_at": record.entered_at,
        "confirmed_by": user_display_name(record.confirmed_by) if record.confirmed_by_id else None,
        "confirmed_at": record.confirmed_at,
        "return_reason": record.return_reason,
        "transaction_id": record.transaction_id,
        "confirmable": can_confirm(user, record),
        "resubmittable": can_resubmit(user, record),
    }


class AccountFilters(PageFilters):
    year: int | None = YEAR
    unit: RecordId | None = Field(None, description="所在村（社区）/单位编号")


@router.get(
    "/timebank/accounts",
    response={200: AccountPage, **READ_ERRORS},
    summary="时间存折账户列表",
    url_name="timebank_account_list",
)
def account_list(request, filters: Query[AccountFilters]):
    """The volunteers' accounts the caller reads, as the 时间存折 page (the district's for the
    task force and inspectors, the units he oversees for a leader, his unit's for a reporter),
    each with its balance and the hours confirmed in `year`; phones masked as on the page.
    By id, cursor-paged; the same queries whatever the page's size."""
    known_only(request, AccountFilters)
    year = filters.year or clock.today().year
    volunteers = Account.objects.filter(kind=AccountKind.VOLUNTEER)
    accounts = accounts_visible_to(request.user, volunteers)
    if filters.unit is not None:
        accounts = accounts.filter(unit_id=filters.unit)
    page, next_cursor = page_of(accounts.only("id"), filters.cursor, filters.limit)
    rows = accounts_with_balances(Account.objects.filter(pk__in=[a.pk for a in page]), year=year)
    items = [
        _account_out(a, phone=mask_phone(a.phone), year_hours=a.year_hours)
        for a in sorted(rows, key=lambda a: a.pk)
    ]
    return {"items": items, "next": next_cursor}


def _statement(account: Account, year: int) -> dict:
    start = datetime.date(year, 1, 1)
    end = max(start, min(datetime.date(year, 12, 31), clock.today()))
    statement = account_statement(account, start=start, end=end)
    lines = [
        {
            "transaction_id": line.transaction.pk,
            "date": line.date,
            "kind": line.transaction.kind,
            "kind_label": line.transaction.get_kind_display(),
            "memo": line.transaction.memo,
            "amount": line.amount,
            "balance": line.balance,
            "reversed": line.reversed,
            "reverses_id": line.transaction.reverses_id,
        }
        for line in statement.lines
    ]
    return {
        "year": year, "start": start, "end": end, "opening": statement.opening,
        "credits": statement.credits, "debits": statement.debits,
        "closing": statement.closing, "lines": lines,
    }  # fmt: skip


def _account_detail(user, account: Account, year: int) -> dict:
    (row,) = accounts_with_balances(Account.objects.filter(pk=account.pk), year=year)
    services = list(account_services(account)) if account.is_volunteer else []
    for record in services:
        record.account = account
    phone = account.phone if phone_shown_to(user, account) else mask_phone(account.phone)
    return _account_out(row, phone=phone, year_hours=row.year_hours) | {
        "person_id": account.person_id,
        "can_enter": can_enter_for(user, account),
        "can_reverse": can_reverse_on(user, account),
        "statement": _statement(account, year),
        "services": [_service_out(user, r) for r in services],
    }


class YearFilter(Schema):
    year: int | None = YEAR


@router.get(
    "/timebank/accounts/{account_id}",
    response={200: AccountDetailOut, **RECORD_ERRORS},
    summary="时间存折账户详情（存折明细）",
    url_name="timebank_account_detail",
)
def account_detail(request, account_id: RecordId, filters: Query[YearFilter]):
    """An account as its page shows it: the statement of `year` (this year by default, up to
    today) — opening balance, each posting with its running balance, closing — and the
    account's service records, newest first. The full phone number only for whoever handles
    the volunteer's records (masked for everyone else, as on the page); the district's two
    books (发行、兑换) read by the task force and inspectors. 404 outside the caller's scope."""
    known_only(request, YearFilter)
    account = get_account_for_user(request.user, account_id)
    return _account_detail(request.user, account, filters.year or clock.today().year)


class QueueFilters(PageFilters):
    which: Literal["pending", "returned"] = Field(
        "pending",
        description="pending 待确认（调用者能看到的全部）；returned 本人录入、被退回待更正的",
    )


_SERVICE_ROWS = ("account__unit", "account__person", "activity", "entered_by__person",
                 "confirmed_by__person")  # fmt: skip


def _services(user, ids) -> list[dict]:
    rows = ServiceRecord.objects.filter(pk__in=ids).select_related(*_SERVICE_ROWS)
    return [_service_out(user, r) for r in sorted(rows, key=lambda r: r.pk)]


@router.get(
    "/timebank/queue",
    response={200: ServicePage, **READ_ERRORS},
    summary="服务记录确认队列",
    url_name="timebank_queue",
)
def service_queue(request, filters: Query[QueueFilters]):
    """The 待确认 page: the pending service records the caller reads, each saying whether he
    may confirm or return it (confirmable: not one he entered, nor his own service); with
    which=returned, the records he entered that were returned (已退回), to correct and
    resubmit. By id, cursor-paged; the same queries whatever the page's size."""
    known_only(request, QueueFilters)
    visible = services_visible_to(request.user, ServiceRecord.objects.all())
    if filters.which == "returned":
        records = returned_services(visible, entered_by=request.user)
    else:
        records = pending_services(visible)
    page, next_cursor = page_of(
        records.select_related(None).only("id"), filters.cursor, filters.limit
    )
    return {"items": _services(request.user, [r.pk for r in page]), "next": next_cursor}


@router.get(
    "/timebank/services/{service_id}",
    response={200: ServiceOut, **RECORD_ERRORS},
    summary="服务记录详情",
    url_name="timebank_service_detail",
)
def service_detail(request, service_id: RecordId):
    """A service record as the account's page lists it (404 outside the caller's scope)."""
    get_service_for_user(request.user, service_id)
    return _services(request.user, [service_id])[0]


# --- writes ---------------------------------------------------------------------------------

# A service's message names its field by the label it holds (the services raise plain
# messages, as the pages show them above the form); the first label found wins.
_LABELS = {
    "请填写姓名": "name", "联系电话": "phone", "开户日期": "opened_on", "已有时间存折账户": "person",
    "服务日期": "date", "兑换日期": "date", "服务时长": "hours", "兑换时长": "hours",
    "余额不足": "hours", "请填写服务对象": "beneficiary", "请填写服务内容": "content",
    "请填写兑换内容": "item", "原因": "reason", "更正说明": "reason",
}  # fmt: skip
# A reversal's body has no hours: its overdraft (余额不足…) is the whole body's.
_REVERSAL_LABELS = {"冲正日期": "date", "冲正原因": "reason"}


def _service_refused(error: ValidationError, labels: dict[str, str] = _LABELS):
    """A service's refusal (422), each message on the body's field it names."""
    errors: dict[str, list[str]] = {}
    for message in error.messages:
        field = next((f for label, f in labels.items() if label in message), NON_FIELD_ERRORS)
        errors.setdefault(field, []).append(message)
    return refused(errors)


def _valid(form):
    if not form.is_valid():
        raise form_refused(form)
    return form.cleaned_data


@router.post(
    "/timebank/accounts",
    response={201: AccountDetailOut, **CREATED_ERRORS},
    summary="开立时间存折",
    url_name="timebank_account_list",
    openapi_extra=body_documented(AccountIn),
)
def account_create(request):
    """Open a volunteer's account as the 开户 page (AccountForm, timebank.services.account_open,
    audited with the phone masked): a cadre (`person`, his name, phone and unit taken) or a
    resident (`name` and `unit` required); one account per person; the units and people of
    the caller's entry (his own unit for a reporter, his level's for the task force). 403 for
    a leader or an inspector, before the body is read."""
    user = request.user
    if not can_enter_services(user):
        raise PermissionDenied("只有专班和单位填报员可以开户。")
    payload = body_parsed(request, AccountIn)
    form = AccountForm(
        form_data(payload), units=units_for_entry(user), people=people_for_entry(user)
    )
    try:
        account = account_open(by=user, source=AuditSource.USER, **_valid(form))
    except ValidationError as error:
        raise _service_refused(error) from None
    return Status(201, _account_detail(user, account, clock.today().year))


@router.post(
    "/timebank/accounts/{account_id}/services",
    response={201: ServiceOut, **WRITE_ERRORS},
    summary="录入服务记录",
    url_name="timebank_service_create",
    openapi_extra=body_documented(ServiceIn),
)
def service_create(request, account_id: RecordId):
    """Enter a service record as the 录入服务记录 page (ServiceForm, timebank.services
    .service_enter, audited): 待确认 until someone other than the caller confirms it — it is
    not posted before. Hours a positive multiple of 0.5, at most 24; a date not after today.
    404 outside the caller's scope, 403 unless he enters for the volunteer's unit."""
    user = request.user
    account = get_account_for_user(user, account_id, write=True)
    payload = body_parsed(request, ServiceIn)
    form = ServiceForm(form_data(payload), activities=activities_for_entry(user))
    try:
        record = service_enter(by=user, account=account, source=AuditSource.USER, **_valid(form))
    except ValidationError as error:
        raise _service_refused(error) from None
    return Status(201, _services(user, [record.pk])[0])


@router.post(
    "/timebank/accounts/{account_id}/redemptions",
    response={201: RedemptionOut, **WRITE_ERRORS},
    summary="兑换",
    url_name="timebank_redemption_create",
    openapi_extra=body_documented(RedemptionIn),
)
def redemption_create(request, account_id: RecordId):
    """Exchange hours as the 兑换 page (RedemptionForm, timebank.services.redemption_record,
    audited): the volunteer's account debited and the district's redemption book credited in
    one posting; refused (422 on hours, 余额不足…) beyond the balance. A retry with the same
    Idempotency-Key answers the first redemption and posts nothing again. 404 outside the
    caller's scope, 403 unless he enters for the volunteer's unit."""
    user = request.user
    account = get_account_for_user(user, account_id, write=True)
    payload = body_parsed(request, RedemptionIn)
    form = RedemptionForm(form_data(payload))
    try:
        redemption = redemption_record(
            by=user, account=account, source=AuditSource.USER, **_valid(form)
        )
    except ValidationError as error:
        raise _service_refused(error) from None
    return Status(201, _redemption_out(redemption))


def _redemption_out(redemption: Redemption) -> dict:
    return {
        "id": redemption.pk, "account_id": redemption.account_id, "date": redemption.date,
        "hours": redemption.hours, "item": redemption.item,
        "created_by": user_display_name(redemption.created_by),
        "transaction_id": redemption.transaction_id,
        "balance": balance_of(redemption.account_id),
    }  # fmt: skip


@router.post(
    "/timebank/services/{service_id}/confirm",
    response={200: ServiceOut, **WRITE_ERRORS},
    summary="确认服务记录",
    url_name="timebank_service_confirm",
)
def service_confirm_api(request, service_id: RecordId):
    """Confirm a pending record as the queue's 确认 (timebank.services.service_confirm,
    audited): its hours posted — the volunteer credited, the district's issuance book debited.
    No body. 404 outside the caller's scope; 403, with the page's reason, for a record he
    entered, his own service, one not of a unit he enters for, or one no longer pending (a
    confirmed record is not handled again)."""
    record = get_service_for_user(request.user, service_id, confirm=True)
    try:
        service_confirm(by=request.user, record=record, source=AuditSource.USER)
    except ValidationError as error:
        raise _service_refused(error) from None
    return _services(request.user, [record.pk])[0]


@router.post(
    "/timebank/services/{service_id}/return",
    response={200: ServiceOut, **WRITE_ERRORS},
    summary="退回服务记录",
    url_name="timebank_service_return",
    openapi_extra=body_documented(ReturnIn),
)
def service_return_api(request, service_id: RecordId):
    """Return a pending record with a reason as the queue's 退回 (ReturnForm, timebank
    .services.service_return, audited); nothing is posted, its enterer corrects and resubmits
    it. 404/403 as 确认; an empty reason refused on `reason`."""
    record = get_service_for_user(request.user, service_id, confirm=True)
    payload = body_parsed(request, ReturnIn)
    reason = _valid(ReturnForm(form_data(payload)))["reason"]
    try:
        service_return(by=request.user, record=record, reason=reason)
    except ValidationError as error:
        raise _service_refused(error) from None
    return _services(request.user, [record.pk])[0]


@router.post(
    "/timebank/services/{service_id}/resubmit",
    response={200: ServiceOut, **WRITE_ERRORS},
    summary="更正并重新提交服务记录",
    url_name="timebank_service_resubmit",
    openapi_extra=body_documented(ResubmitIn),
)
def service_resubmit_api(request, service_id: RecordId):
    """Correct a returned record and submit it again (待确认) as its 更正 page (ResubmitForm,
    timebank.services.service_resubmit; the fields before and the note in the audit trail):
    its enterer only. 404 outside the caller's scope; 403 with the page's reason for anyone
    else, or for a record not returned (a pending or confirmed record is not edited)."""
    user = request.user
    record = get_service_to_resubmit(user, service_id)
    payload = body_parsed(request, ResubmitIn)
    form = ResubmitForm(form_data(payload), record=record, activities=activities_for_entry(user))
    try:
        service_resubmit(by=user, record=record, **_valid(form))
    except ValidationError as error:
        raise _service_refused(error) from None
    return _services(user, [record.pk])[0]


@router.post(
    "/timebank/transactions/{transaction_id}/reverse",
    response={201: TransactionOut, **WRITE_ERRORS},
    summary="冲正记账",
    url_name="timebank_transaction_reverse",
    openapi_extra=body_documented(ReversalIn),
)
def transaction_reverse_api(request, transaction_id: RecordId):
    """Undo a posting by a reversing one (冲正) as its page (ReversalForm, timebank.services
    .transaction_reverse, audited): the opposite entries, the original kept; a posting
    reversed at most once, a reversal never; refused when it would take a volunteer below
    zero. Answers the reversal. The task force of the posting's own level (404 for whoever
    reads none of its accounts, 403 for whoever may not reverse)."""
    user = request.user
    posting = get_transaction_for_user(user, transaction_id, write=True)
    payload = body_parsed(request, ReversalIn)
    try:
        reversal = transaction_reverse(
            by=user, posting=posting, **_valid(ReversalForm(form_data(payload)))
        )
    except ValidationError as error:
        raise _service_refused(error, _REVERSAL_LABELS) from None
    return Status(201, _transaction_out(reversal))


def _transaction_out(posting: Transaction) -> dict:
    entries = Entry.objects.filter(transaction=posting).select_related("account").order_by("id")
    return {
        "id": posting.pk, "kind": posting.kind, "kind_label": posting.get_kind_display(),
        "date": posting.date, "memo": posting.memo, "reverses_id": posting.reverses_id,
        "entries": [
            {"account_id": e.account_id, "account": e.account.name, "amount": e.amount}
            for e in entries
        ],
    }  # fmt: skip
