"""The publicity list and card run the same number of queries for few reports and for many."""

import datetime
from functools import partial

import pytest

from shigan.core.testing import assert_same_queries, get_page
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.publicity.queries import publicity_cards

LEVELS = MediaLevel.values


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def grow(world, n: int, offset: int = 0) -> None:
    reports = [
        MediaReport(
            campaign=world.campaign,
            title=f"报道{offset + i}",
            outlet="市日报",
            level=LEVELS[i % len(LEVELS)],
            date=datetime.date(2023, 1 + i % 7, 1 + i % 28),
            task=world.task_a if i % 2 else None,
        )
        for i in range(n)
    ]
    for report in reports:
        report.set_keys()
    MediaReport.objects.bulk_create(reports)


@pytest.mark.parametrize("url", ["/publicity/", "/publicity/?level=city&period=quarter"])
@pytest.mark.parametrize("persona", ["coordinator", "leader", "reporter_a"])
def test_list_queries_do_not_grow(world, client_for, url, persona):
    client = client_for(world.users()[persona])
    grow(world, 3)
    assert_same_queries(get_page(client, url), partial(grow, world, 120, offset=100), warm_up=True)


def test_card_queries_do_not_grow(world):
    grow(world, 3)
    leader = world.leader

    def cards():
        return publicity_cards(leader, world.campaign, datetime.date(2023, 7, 20))

    def more():
        nonlocal leader
        grow(world, 120, offset=100)
        leader = type(leader).objects.get(pk=leader.pk)

    [card] = assert_same_queries(cards, more)
    assert card.value > 100
