"""The publicity list and card run the same number of queries for few reports and for many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/publicity/", "/publicity/?level=city&period=quarter"])
@pytest.mark.parametrize("persona", ["coordinator", "leader", "reporter_a"])
def test_list_queries_do_not_grow(world, client_for, url, persona):
    client = client_for(world.users()[persona])
    grow(world, 3)
    client.get(url)
    small = count(client, url)
    grow(world, 120, offset=100)
    assert count(client, url) == small


def test_card_queries_do_not_grow(world, django_assert_num_queries):
    grow(world, 3)
    with CaptureQueriesContext(connection) as captured:
        publicity_cards(world.leader, world.campaign, datetime.date(2023, 7, 20))
    grow(world, 120, offset=100)
    leader = type(world.leader).objects.get(pk=world.leader.pk)
    with django_assert_num_queries(len(captured)):
        [card] = publicity_cards(leader, world.campaign, datetime.date(2023, 7, 20))
    assert card.value > 100
