"""Redemptions at the same moment cannot overdraw: real threads, each its own connection, on
PostgreSQL (SQLite's IMMEDIATE transactions serialise writers anyway)."""

import os
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from shigan.testing import build_world
from shigan.timebank.models import Redemption
from shigan.timebank.services import balance_of, redemption_record

from .factories import DAY, credited, volunteer

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_ten_concurrent_redemptions_of_a_three_hour_balance_let_exactly_three_through():
    assert connection.vendor == "postgresql"
    world = build_world()
    account = volunteer(world)
    credited(world, account, "3")
    start = threading.Barrier(10)
    outcomes: list[str] = []
    lock = threading.Lock()

    def redeem():
        try:
            start.wait()
            redemption_record(
                by=world.coordinator, account=account, date=DAY, hours=Decimal("1"), item="鸡蛋"
            )
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=redeem) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 7
    assert Redemption.objects.count() == 3
    assert balance_of(account.pk) == 0
