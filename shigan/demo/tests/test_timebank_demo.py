"""The demo's time bank: a dozen volunteers, confirmed and pending records (none confirmed by
the one who entered it), one returned, one redemption; every posting balanced."""

import datetime

import pytest
from django.db.models import Sum

from shigan.core.models import AuditEntry
from shigan.demo import district
from shigan.demo.base import DEMO_TODAY
from shigan.demo.timebank import load_timebank_demo
from shigan.orgs.models import Person
from shigan.timebank.models import (
    Account,
    AccountKind,
    Entry,
    Redemption,
    ServiceRecord,
    ServiceState,
)
from shigan.timebank.queries import account_statement, accounts_with_balances

START = datetime.date(2023, 1, 1)


@pytest.mark.django_db
def test_demo_time_bank_is_small_plausible_and_balanced(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", DEMO_TODAY.isoformat())
    units = district.create_units()
    people = district.create_people(units)
    users = district.create_accounts(people)
    campaign = district.create_campaign(units["district"], district.create_leading_group(people))
    demo = load_timebank_demo(campaign=campaign, units=units, people=people, users=users,
                              today=DEMO_TODAY)  # fmt: skip
    assert len(demo.accounts) == 12
    assert demo.confirmed >= 30 and 5 <= demo.pending <= 20 and demo.returned >= 1
    records = ServiceRecord.objects.all()
    assert records.filter(state=ServiceState.PENDING).count() == demo.pending
    assert not [r for r in records if r.confirmed_by_id == r.entered_by_id]
    assert all(r.date <= DEMO_TODAY for r in records)
    assert Redemption.objects.count() == 1
    assert Entry.objects.aggregate(total=Sum("amount"))["total"] == 0
    volunteers = Account.objects.filter(kind=AccountKind.VOLUNTEER)
    balances = [a.balance for a in accounts_with_balances(volunteers, year=2023)]
    assert min(balances) >= 0 and max(balances) > 0
    stamped = AuditEntry.objects.filter(record_type__startswith="timebank.")
    assert stamped.count() > demo.confirmed and not stamped.exclude(at__year=2023).exists()
    reporter = Person.objects.get(user__username="cunbao")
    assert AuditEntry.objects.filter(record_type="orgs.person", record_id=reporter.pk,
                                     note="演示数据", actor=None).exists()  # fmt: skip
    for account in volunteers:  # never below zero on any day of the statement either
        lines = account_statement(account, start=START, end=DEMO_TODAY).lines
        assert all(line.balance >= 0 for line in lines)
