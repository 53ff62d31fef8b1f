"""Every write to the time bank: opening accounts, entering, confirming and returning service
records, redemptions and reversals. Each runs in one transaction and is audited; each posting
goes through `_post`, which refuses an unbalanced transaction.

A volunteer's balance never goes negative: a redemption or a reversal that takes hours from a
volunteer first locks his account row (select_for_update, which PostgreSQL honours; SQLite's
IMMEDIATE transactions already serialise writers) and re-reads the balance inside the lock, so
two redemptions at once cannot both spend the same hours.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from shigan.core import clock
from shigan.core.audit import audit_entry, audit_record, snapshot
from shigan.core.masking import mask_phone
from shigan.core.models import AuditAction, AuditSource
from shigan.grassroots.models import PracticeActivity
from shigan.grassroots.services.concerns import contact_problems
from shigan.orgs.models import Person, Unit

from .models import (
    MAX_REDEMPTION_HOURS,
    Account,
    AccountKind,
    Entry,
    Redemption,
    ServiceRecord,
    ServiceState,
    Transaction,
    TransactionKind,
    VolunteerKind,
    hours_problem,
    hours_text,
)

PHONE_FIELD = str(Account._meta.get_field("phone").verbose_name)


def _check_hours(hours: Decimal, *, what: str, maximum: Decimal | None = None) -> Decimal:
    problem = hours_problem(hours, **({"maximum": maximum} if maximum else {}))
    if problem:
        raise ValidationError(f"{what}“{hours}”{problem}。" if hours is not None else problem)
    return Decimal(hours)


def _required(value: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"请填写{what}。")
    return text


def _check_date(date: datetime.date, *, what: str, account: Account) -> None:
    """A service or redemption is entered once it has happened (a paper passbook's older
    records may predate the account's opening)."""
    if date > clock.today():
        raise ValidationError(
            f"{what}{date:%Y-%m-%d}晚于今天，不能为{account.name}录入尚未发生的记录。"
        )


def district_books(district_id: int) -> tuple[Account, Account]:
    """The district's issuance and redemption accounts, opened on first use."""
    books = []
    for kind in (AccountKind.ISSUANCE, AccountKind.REDEMPTION):
        account, _ = Account.objects.get_or_create(
            district_id=district_id,
            kind=kind,
            defaults={"name": AccountKind(kind).label, "opened_on": datetime.date(2000, 1, 1)},
        )
        books.append(account)
    return books[0], books[1]


def balance_of(account_id: int) -> Decimal:
    total = Entry.objects.filter(account_id=account_id).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def _post(
    *,
    district_id: int,
    kind: str,
    date: datetime.date,
    memo: str,
    by,
    lines: list[tuple[Account, Decimal]],
    reverses: Transaction | None = None,
) -> Transaction:
    """Write one transaction and its entries; their amounts must sum to zero."""
    if sum((amount for _, amount in lines), Decimal("0")) != 0 or any(a == 0 for _, a in lines):
        raise ValueError("unbalanced or empty posting")
    posting = Transaction.objects.create(
        district_id=district_id,
        kind=kind,
        date=date,
        memo=memo[:300],
        created_by=by if getattr(by, "pk", None) else None,
        reverses=reverses,
    )
    Entry.objects.bulk_create(
        Entry(transaction=posting, account=account, amount=amount) for account, amount in lines
    )
    return posting


@transaction.atomic
def account_open(
    *,
    by,
    unit: Unit,
    name: str = "",
    phone: str = "",
    person: Person | None = None,
    opened_on: datetime.date,
    source: str = AuditSource.SYSTEM,
) -> Account:
    """Open a volunteer's account: a cadre's links to his Person (name, phone and unit his), a
    resident's has a name, a phone and his village or community. One account per person."""
    if person is not None:
        if Account.objects.filter(person=person).exists():
            raise ValidationError(f"{person.name}已有时间存折账户。")
        name, phone, unit = person.name, person.phone, person.unit
    elif problems := contact_problems(phone or "", ""):
        raise ValidationError(problems)
    if opened_on > clock.today():
        raise ValidationError(f"开户日期{opened_on:%Y-%m-%d}晚于今天。")
    account = Account.objects.create(
        district_id=unit.district_id,
        kind=AccountKind.VOLUNTEER,
        volunteer_kind=VolunteerKind.CADRE if person is not None else VolunteerKind.RESIDENT,
        person=person,
        name=_required(name, "姓名"),
        phone=(phone or "").strip(),
        unit=unit,
        opened_on=opened_on,
        created_by=by if getattr(by, "pk", None) else None,
    )
    entry = audit_entry(actor=by, obj=account, action=AuditAction.CREATE, source=source)
    if phone_change := entry.changes.get(PHONE_FIELD):
        entry.changes[PHONE_FIELD] = [None, mask_phone(phone_change[1])]
    entry.save()
    return account


def _new_service(
    *,
    by,
    account: Account,
    date: datetime.date,
    hours: Decimal,
    activity: PracticeActivity | None,
    beneficiary: str,
    content: str,
) -> ServiceRecord:
    if not account.is_volunteer:
        raise ValidationError("只能为志愿者账户录入服务记录。")
    _check_date(date, what="服务日期", account=account)
    return ServiceRecord(
        account=account,
        date=date,
        hours=_check_hours(hours, what="服务时长"),
        activity=activity,
        beneficiary=_required(beneficiary, "服务对象"),
        content=_required(content, "服务内容"),
        entered_by=by,
    )


@transaction.atomic
def service_enter(
    *,
    by,
    account: Account,
    date: datetime.date,
    hours: Decimal,
    activity: PracticeActivity | None = None,
    beneficiary: str,
    content: str,
    source: str = AuditSource.SYSTEM,
) -> ServiceRecord:
    """Enter a service record, 待确认: it counts only once someone else confirms it."""
    record = _new_service(
        by=by,
        account=account,
        date=date,
        hours=hours,
        activity=activity,
        beneficiary=beneficiary,
        content=content,
    )
    record.save()
    audit_record(actor=by, obj=record, action=AuditAction.CREATE, source=source)
    return record


def _pending(record: ServiceRecord, by) -> ServiceRecord:
    locked = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("account__person")
        .get(pk=record.pk)
    )
    if locked.state != ServiceState.PENDING:
        raise ValidationError(f"这条服务记录{locked.get_state_display()}，不能再次处理。")
    if locked.entered_by_id == by.pk:
        raise ValidationError("服务记录须由录入人以外的人确认或退回，不能处理自己录入的记录。")
    if locked.account.person is not None and locked.account.person.user_id == by.pk:
        raise ValidationError("志愿者本人不能确认或退回自己的服务记录。")
    return locked


@transaction.atomic
def service_confirm(*, by, record: ServiceRecord, source: str = AuditSource.SYSTEM):
    """Confirm a pending record entered by someone else and post its hours: the volunteer's
    account credited, the district's issuance account debited."""
    record = _pending(record, by)
    before = {"状态": record.get_state_display()}
    issuance, _ = district_books(record.account.district_id)
    record.transaction = _post(
        district_id=record.account.district_id,
        kind=TransactionKind.SERVICE,
        date=record.date,
        memo=f"服务：{record.content}"[:300],
        by=by,
        lines=[(record.account, record.hours), (issuance, -record.hours)],
    )
    record.state = ServiceState.CONFIRMED
    record.confirmed_by, record.confirmed_at = by, timezone.now()
    record.save(update_fields=["transaction", "state", "confirmed_by", "confirmed_at"])
    audit_record(actor=by, obj=record, action=AuditAction.APPROVE, before=before, source=source)
    return record


@transaction.atomic
def service_return(*, by, record: ServiceRecord, reason: str) -> ServiceRecord:
    """Return a pending record entered by someone else, with a reason; nothing is posted."""
    record = _pending(record, by)
    before = {"状态": record.get_state_display()}
    record.return_reason = _required(reason, "退回原因")[:300]
    record.state = ServiceState.RETURNED
    record.confirmed_by, record.confirmed_at = by, timezone.now()
    record.save(update_fields=["return_reason", "state", "confirmed_by", "confirmed_at"])
    audit_record(actor=by, obj=record, action=AuditAction.RETURN, before=before)
    return record


@transaction.atomic
def service_resubmit(
    *,
    by,
    record: ServiceRecord,
    reason: str,
    date: datetime.date,
    hours: Decimal,
    activity: PracticeActivity | None = None,
    beneficiary: str,
    content: str,
) -> ServiceRecord:
    """Correct a returned record and submit it again (back to 待确认, for someone other than
    its enterer to confirm): only by whoever entered it, with a note of what was corrected;
    the fields before (the return's reason and returner included) stay in the audit trail."""
    record = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=record.pk)
    )
    if record.state != ServiceState.RETURNED:
        raise ValidationError(f"这条服务记录{record.get_state_display()}，不能重新提交。")
    if record.entered_by_id != by.pk:
        raise ValidationError("只有录入人可以更正并重新提交被退回的服务记录。")
    reason = _required(reason, "更正说明")
    fresh = _new_service(by=by, account=record.account, date=date, hours=hours,
                         activity=activity, beneficiary=beneficiary, content=content)  # fmt: skip
    before = snapshot(record)
    record.date, record.hours, record.activity = fresh.date, fresh.hours, fresh.activity
    record.beneficiary, record.content = fresh.beneficiary, fresh.content
    record.state, record.return_reason = ServiceState.PENDING, ""
    record.confirmed_by, record.confirmed_at = None, None
    record.save()
    audit_record(actor=by, obj=record, action=AuditAction.SUBMIT, before=before,
                 note=f"更正后重新提交：{reason}")  # fmt: skip
    return record


def _locked_balance(account: Account) -> Decimal:
    Account.objects.select_for_update().filter(pk=account.pk).values_list("pk").get()
    return balance_of(account.pk)


@transaction.atomic
def redemption_record(
    *,
    by,
    account: Account,
    date: datetime.date,
    hours: Decimal,
    item: str,
    source: str = AuditSource.SYSTEM,
) -> Redemption:
    """Exchange hours for `item`: the volunteer's account debited, the district's redemption
    account credited — refused when it would take the balance below zero."""
    if not account.is_volunteer:
        raise ValidationError("只能从志愿者账户兑换。")
    _check_date(date, what="兑换日期", account=account)
    hours = _check_hours(hours, what="兑换时长", maximum=MAX_REDEMPTION_HOURS)
    item = _required(item, "兑换内容")[:200]
    balance = _locked_balance(account)
    if hours > balance:
        raise ValidationError(
            f"余额不足：{account.name}的余额为{hours_text(balance)}小时，不能兑换{hours_text(hours)}小时。"
        )
    _, books_redemption = district_books(account.district_id)
    posting = _post(
        district_id=account.district_id,
        kind=TransactionKind.REDEMPTION,
        date=date,
        memo=f"兑换：{item}",
        by=by,
        lines=[(account, -hours), (books_redemption, hours)],
    )
    redemption = Redemption.objects.create(
        account=account, date=date, hours=hours, item=item, created_by=by, transaction=posting
    )
    audit_record(actor=by, obj=redemption, action=AuditAction.CREATE, source=source)
    return redemption


def _reversible(posting: Transaction, date: datetime.date) -> Transaction:
    """The posting locked, once checked that it may be reversed on `date`."""
    posting = Transaction.objects.select_for_update().get(pk=posting.pk)
    if posting.kind == TransactionKind.REVERSAL:
        raise ValidationError("冲正记账不能再冲正。")
    if Transaction.objects.filter(reverses=posting).exists():
        raise ValidationError("这笔记账已经冲正过了。")
    if date < posting.date:
        raise ValidationError(f"冲正日期不能早于原记账日期（{posting.date:%Y-%m-%d}）。")
    if date > clock.today():
        raise ValidationError(f"冲正日期{date:%Y-%m-%d}晚于今天。")
    return posting


def _check_no_overdraft(entries: list[Entry]) -> None:
    """Taking back what `entries` credited leaves no volunteer below zero (his row locked)."""
    for entry in entries:
        if entry.account.is_volunteer and entry.amount > 0:
            balance = _locked_balance(entry.account)
            if balance < entry.amount:
                raise ValidationError(
                    f"余额不足：{entry.account.name}的余额为{hours_text(balance)}小时，"
                    f"冲正{hours_text(entry.amount)}小时会使余额为负（已兑换的时长须先冲正兑换）。"
                )


@transaction.atomic
def transaction_reverse(
    *, by, posting: Transaction, reason: str, date: datetime.date
) -> Transaction:
    """Undo `posting` by a reversing transaction (冲正) with the opposite entries; the original
    stays. A posting is reversed at most once, a reversal never; refused when it would take a
    volunteer's balance below zero (hours already redeemed)."""
    reason = _required(reason, "冲正原因")
    posting = _reversible(posting, date)
    entries = list(posting.entries.select_related("account").order_by("account_id"))
    _check_no_overdraft(entries)
    reversal = _post(
        district_id=posting.district_id,
        kind=TransactionKind.REVERSAL,
        date=date,
        memo=f"冲正：{reason}",
        by=by,
        lines=[(e.account, -e.amount) for e in entries],
        reverses=posting,
    )
    ServiceRecord.objects.filter(transaction=posting).update(state=ServiceState.REVERSED)
    audit_record(actor=by, obj=reversal, action=AuditAction.CREATE, note=reason)
    return reversal
