import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from shigan.core.models import AuditEntry
from shigan.timebank.models import (
    Account,
    AccountKind,
    Entry,
    ServiceState,
    Transaction,
    TransactionKind,
)
from shigan.timebank.queries import account_statement
from shigan.timebank.services import (
    balance_of,
    redemption_record,
    service_confirm,
    service_enter,
    service_return,
    transaction_reverse,
)

from .factories import DAY, credited, volunteer

pytestmark = pytest.mark.django_db


def _enter(world, account, hours, by=None):
    return service_enter(
        by=by or world.coordinator,
        account=account,
        date=DAY,
        hours=Decimal(hours),
        beneficiary="社区",
        content="文明劝导",
    )


@pytest.mark.parametrize("hours", ["0.5", "1", "1.5", "8", "24"])
def test_hours_in_half_hour_steps_up_to_24_are_accepted(world, hours):
    assert _enter(world, volunteer(world), hours).hours == Decimal(hours)


@pytest.mark.parametrize(
    ("hours", "problem"),
    [("0.3", "必须是0.5小时的整数倍"), ("0", "应大于0"), ("-1", "应大于0"), ("24.5", "超过上限")],
)
def test_hours_off_the_half_hour_steps_are_refused_in_chinese(world, hours, problem):
    with pytest.raises(ValidationError) as refused:
        _enter(world, volunteer(world), hours)
    assert problem in refused.value.messages[0]
    assert f"服务时长“{hours}”" in refused.value.messages[0]


def test_a_pending_record_counts_for_nothing(world):
    account = volunteer(world)
    record = _enter(world, account, "2")
    assert record.state == ServiceState.PENDING
    assert balance_of(account.pk) == 0
    assert not Transaction.objects.exists()


def test_confirmation_posts_a_balanced_transaction(world):
    account = volunteer(world)
    record = credited(world, account, "2.5")
    assert record.state == ServiceState.CONFIRMED
    assert record.confirmed_by == world.reporter_a
    lines = {e.account.kind: e.amount for e in record.transaction.entries.select_related("account")}
    assert lines == {AccountKind.VOLUNTEER: Decimal("2.5"), AccountKind.ISSUANCE: Decimal("-2.5")}
    assert balance_of(account.pk) == Decimal("2.5")
    assert AuditEntry.objects.filter(
        record_type="timebank.servicerecord", action="approve"
    ).exists()


def test_the_enterer_cannot_confirm_his_own_record(world):
    record = _enter(world, volunteer(world), "1", by=world.reporter_a)
    with pytest.raises(ValidationError, match="录入人以外"):
        service_confirm(by=world.reporter_a, record=record)
    with pytest.raises(ValidationError, match="录入人以外"):
        service_return(by=world.reporter_a, record=record, reason="重复")


def test_a_returned_record_needs_a_reason_and_posts_nothing(world):
    account = volunteer(world)
    record = _enter(world, account, "1")
    with pytest.raises(ValidationError, match="退回原因"):
        service_return(by=world.reporter_a, record=record, reason="  ")
    returned = service_return(by=world.reporter_a, record=record, reason="当天未参加活动")
    assert returned.state == ServiceState.RETURNED
    assert returned.return_reason == "当天未参加活动"
    assert balance_of(account.pk) == 0
    with pytest.raises(ValidationError, match="已退回"):
        service_confirm(by=world.coordinator, record=record)


def test_redemption_debits_the_volunteer_and_credits_the_redemption_book(world):
    account = volunteer(world)
    credited(world, account, "3")
    redemption = redemption_record(
        by=world.coordinator, account=account, date=DAY, hours=Decimal("2"), item="大米一袋"
    )
    assert balance_of(account.pk) == Decimal("1")
    book = Account.objects.get(kind=AccountKind.REDEMPTION)
    assert balance_of(book.pk) == Decimal("2")
    assert redemption.transaction.kind == TransactionKind.REDEMPTION


def test_redemption_beyond_the_balance_is_refused(world):
    account = volunteer(world)
    credited(world, account, "1")
    with pytest.raises(ValidationError, match="余额不足：张志愿的余额为1小时"):
        redemption_record(
            by=world.coordinator, account=account, date=DAY, hours=Decimal("1.5"), item="油"
        )
    assert balance_of(account.pk) == Decimal("1")


def test_reversal_undoes_a_service_and_keeps_the_original(world):
    account = volunteer(world)
    record = credited(world, account, "2")
    reversal = transaction_reverse(
        by=world.coordinator, posting=record.transaction, reason="录错了人", date=DAY
    )
    assert reversal.reverses == record.transaction
    assert balance_of(account.pk) == 0
    assert Transaction.objects.count() == 2
    record.refresh_from_db()
    assert record.state == ServiceState.REVERSED
    with pytest.raises(ValidationError, match="已经冲正"):
        transaction_reverse(by=world.coordinator, posting=record.transaction, reason="再", date=DAY)
    with pytest.raises(ValidationError, match="不能再冲正"):
        transaction_reverse(by=world.coordinator, posting=reversal, reason="再", date=DAY)


def test_reversing_a_service_already_redeemed_is_refused(world):
    account = volunteer(world)
    record = credited(world, account, "2")
    redemption_record(
        by=world.coordinator, account=account, date=DAY, hours=Decimal("2"), item="油"
    )
    with pytest.raises(ValidationError, match="余额不足"):
        transaction_reverse(by=world.coordinator, posting=record.transaction, reason="错", date=DAY)


def test_statement_has_opening_running_and_closing_balances(world):
    account = volunteer(world)
    credited(world, account, "4", day=datetime.date(2022, 12, 1))
    credited(world, account, "2", day=datetime.date(2023, 3, 1))
    redemption_record(
        by=world.coordinator, account=account, date=datetime.date(2023, 4, 1),
        hours=Decimal("5"), item="理发券",
    )  # fmt: skip
    statement = account_statement(
        account, start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31)
    )
    assert statement.opening == Decimal("4")
    assert [line.balance for line in statement.lines] == [Decimal("6"), Decimal("1")]
    assert statement.closing == Decimal("1")
    assert Entry.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_a_volunteer_cannot_confirm_his_own_service(world):
    from shigan.timebank.services import account_open

    own = account_open(by=world.coordinator, unit=world.unit_a, person=world.reporter_a.person,
                       opened_on=DAY)  # fmt: skip
    record = _enter(world, own, "1")
    with pytest.raises(ValidationError, match="志愿者本人"):
        service_confirm(by=world.reporter_a, record=record)
    assert own.name == "王填报" and own.volunteer_kind == "cadre"
