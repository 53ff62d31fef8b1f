"""Reads of the time bank in a fixed number of queries: the account list with balances, an
account's statement, the confirmation queue. Balances are sums of entries, computed here once."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from shigan.core.masking import mask_phone
from shigan.tasks.queries import known_until

from .models import Account, Entry, ServiceRecord, ServiceState, Transaction

ZERO = Decimal("0")
HOURS = DecimalField(max_digits=12, decimal_places=1)


def _sum_subquery(records: QuerySet, column: str) -> Coalesce:
    total = records.values("account_id").annotate(total=Sum(column)).values("total")
    return Coalesce(Subquery(total, output_field=HOURS), Value(ZERO), output_field=HOURS)


def accounts_with_balances(accounts: QuerySet, *, year: int) -> QuerySet:
    """`accounts` (already scoped) with `balance` (every entry) and `year_hours` (hours of
    service confirmed and not reversed, dated in `year`): two subqueries, not a query a row."""
    entries = Entry.objects.filter(account_id=OuterRef("pk"))
    services = ServiceRecord.objects.filter(
        account_id=OuterRef("pk"), state=ServiceState.CONFIRMED, date__year=year
    )
    return accounts.select_related("unit").annotate(
        balance=_sum_subquery(entries, "amount"), year_hours=_sum_subquery(services, "hours")
    )


@dataclass
class StatementLine:
    date: datetime.date
    transaction: Transaction
    amount: Decimal
    balance: Decimal
    reversed: bool

    @property
    def credit(self) -> Decimal | None:
        return self.amount if self.amount > 0 else None

    @property
    def debit(self) -> Decimal | None:
        return -self.amount if self.amount < 0 else None


@dataclass
class Statement:
    account: Account
    start: datetime.date
    end: datetime.date
    opening: Decimal
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        return self.lines[-1].balance if self.lines else self.opening

    @property
    def credits(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.amount > 0), ZERO)

    @property
    def debits(self) -> Decimal:
        return sum((-line.amount for line in self.lines if line.amount < 0), ZERO)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.account.phone)


def account_statement(account: Account, *, start: datetime.date, end: datetime.date) -> Statement:
    """Opening balance (entries dated before `start`), each entry from `start` to `end` in date
    order with its running balance, closing balance: two queries whatever the entries."""
    before = Entry.objects.filter(account=account, transaction__date__lt=start)
    opening = before.aggregate(total=Sum("amount"))["total"] or ZERO
    entries = (
        Entry.objects.filter(account=account, transaction__date__range=(start, end))
        .select_related("transaction", "transaction__reversal", "transaction__created_by")
        .order_by("transaction__date", "transaction_id", "id")
    )
    statement = Statement(account=account, start=start, end=end, opening=opening)
    running = opening
    for entry in entries:
        running += entry.amount
        posting = entry.transaction
        reversed_ = getattr(posting, "reversal", None) is not None
        statement.lines.append(
            StatementLine(posting.date, posting, entry.amount, running, reversed_)
        )
    return statement


def pending_services(records: QuerySet) -> QuerySet:
    """The confirmation queue (待确认) of `records` (already scoped), oldest first."""
    return (
        records.filter(state=ServiceState.PENDING)
        .select_related("account__unit", "account__person", "activity", "entered_by__person")
        .order_by("date", "id")
    )


def returned_services(records: QuerySet, *, entered_by) -> QuerySet:
    """The records (already scoped) that `entered_by` entered and that were returned (已退回),
    for him to correct and submit again; oldest first."""
    return (
        records.filter(state=ServiceState.RETURNED, entered_by=entered_by)
        .select_related("account__unit", "account__person", "activity", "confirmed_by__person")
        .order_by("date", "id")
    )


def account_services(account: Account) -> QuerySet:
    """The account's service records, newest first, with who entered and confirmed them."""
    return account.services.select_related(
        "activity", "entered_by__person", "confirmed_by__person"
    ).order_by("-date", "-id")


def services_counted(district_id: int, *, year: int, as_of: datetime.date) -> list[ServiceRecord]:
    """The service hours a district's time bank counts on `as_of` (the summary report's): records
    of its accounts dated in `year` up to `as_of`, confirmed — by the end of that day — and not
    reversed; one query, oldest first."""
    records = ServiceRecord.objects.filter(
        account__district_id=district_id,
        state=ServiceState.CONFIRMED,
        date__year=year,
        date__lte=as_of,
    )
    until = known_until(as_of)
    if until is not None:
        records = records.filter(confirmed_at__lt=until)
    return list(records.select_related("account").order_by("date", "id"))
