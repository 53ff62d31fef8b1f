"""Property: whatever sequence of postings — service records entered, confirmed, returned,
redemptions, reversals — every transaction balances, no volunteer's balance goes negative, and a
volunteer's balance is his confirmed, unreversed hours less his unreversed redemptions."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shigan.timebank.models import Account, AccountKind, Entry, ServiceState, Transaction
from shigan.timebank.services import (
    balance_of,
    redemption_record,
    service_confirm,
    service_enter,
    service_return,
    transaction_reverse,
)

from .factories import DAY, volunteer

pytestmark = pytest.mark.django_db

halves = st.integers(min_value=1, max_value=48).map(lambda n: Decimal(n) / 2)
index = st.integers(min_value=0, max_value=20)
operation = st.one_of(
    st.tuples(st.just("enter"), index, halves, st.booleans()),
    st.tuples(st.just("confirm"), index, st.booleans()),
    st.tuples(st.just("return"), index),
    st.tuples(st.just("redeem"), index, halves),
    st.tuples(st.just("reverse"), index),
)


def _apply(world, op, accounts, records):
    users = [world.coordinator, world.reporter_a]
    kind, pick = op[0], op[1]
    if kind == "enter":
        records.append(
            service_enter(
                by=users[op[3]], account=accounts[pick % len(accounts)], date=DAY,
                hours=op[2], beneficiary="邻居", content="陪护",
            )
        )  # fmt: skip
    elif kind == "confirm" and records:
        service_confirm(by=users[op[2]], record=records[pick % len(records)])
    elif kind == "return" and records:
        service_return(by=world.reporter_a, record=records[pick % len(records)], reason="不实")
    elif kind == "redeem":
        account = accounts[pick % len(accounts)]
        redemption_record(by=world.coordinator, account=account, date=DAY, hours=op[2], item="米")
    elif kind == "reverse" and (postings := list(Transaction.objects.order_by("id"))):
        posting = postings[pick % len(postings)]
        transaction_reverse(by=world.coordinator, posting=posting, reason="更正", date=DAY)


def _check_invariants(accounts):
    for posting in Transaction.objects.all():
        assert posting.entries.aggregate(total=Sum("amount"))["total"] == 0
    assert (Entry.objects.aggregate(total=Sum("amount"))["total"] or 0) == 0
    for account in accounts:
        balance = balance_of(account.pk)
        assert balance >= 0
        served = account.services.filter(state=ServiceState.CONFIRMED).aggregate(s=Sum("hours"))
        redeemed = account.redemptions.filter(transaction__reversal__isnull=True).aggregate(
            s=Sum("hours")
        )
        assert balance == (served["s"] or 0) - (redeemed["s"] or 0)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(operation, max_size=25))
def test_any_sequence_of_postings_keeps_the_books_balanced_and_no_balance_negative(world, ops):
    with transaction.atomic():
        accounts = [volunteer(world, f"志愿者{i}") for i in range(3)]
        records = []
        for op in ops:
            try:
                with transaction.atomic():
                    _apply(world, op, accounts, records)
            except ValidationError:
                pass  # a refusal (overdraft, own record, already handled) changes nothing
        _check_invariants(accounts)
        assert Account.objects.filter(kind=AccountKind.ISSUANCE).count() <= 1
        transaction.set_rollback(True)
