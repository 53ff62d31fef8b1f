"""The cockpit runs the same number of queries for a little data and for a lot: tasks, meetings
and decisions, inspections and findings, media reports, indicators, investment."""

import datetime
from functools import partial

import pytest

from shigan.core.testing import assert_same_queries, get_page
from shigan.meetings.models import Cadence, MeetingKind
from shigan.meetings.tests.helpers import make_meeting, make_series
from shigan.meetings.tests.test_query_budget import grow as grow_meetings
from shigan.supervision.tests.test_query_budget import grow as grow_supervision

from .bulk import bulk_tasks
from .cockpit_data import indicator, investment, media_reports

D = datetime.date
URLS = ["/map/cockpit/", "/map/cockpit/?unit={unit}", "/map/cockpit/?as_of=2023-05-31"]
PERSONAS = ["coordinator", "leader", "reporter_a", "inspector"]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def meeting(world):
    series = make_series(world, cadence=Cadence.MONTHLY, start=D(2023, 1, 1))
    make_series(world, name="领导小组季度工作会议", cadence=Cadence.QUARTERLY)
    first = make_meeting(world, date=D(2023, 2, 8), kind=MeetingKind.MOBILISATION)
    return {"series": series, "meeting": first}


def grow(world, meeting, n: int, offset: int) -> None:
    """About `n` of each kind of record, both units' share."""
    bulk_tasks(world, n, offset=offset)
    grow_meetings(
        world, meeting["meeting"], series=meeting["series"], start=offset, meetings=n, decisions=n
    )
    grow_supervision(world, max(n // 4, 1), offset=offset)
    media_reports(world, [D(2023, 1 + i % 7, 1 + i % 28) for i in range(n * 4)], offset=offset)
    for i in range(n):
        unit = world.unit_a if i % 2 else world.unit_b
        indicator(world, f"指标{offset + i}", unit, 1000, 100 + i * 10)
    investment(world, n)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_cockpit_queries_do_not_grow_with_data(world, meeting, client_for, persona, url):
    client = client_for(world.users()[persona])
    url = url.format(unit=world.unit_a.pk)
    grow(world, meeting, 2, offset=0)
    more = partial(grow, world, meeting, 30, offset=100)
    # 26 before the grassroots ledger; its 马上就办 card and the concerns' 督办 add a fixed few.
    response = assert_same_queries(get_page(client, url), more, at_most=30, warm_up=True)
    cards = {card.key: card for card in response.context["data"].cards}
    assert cards["tasks"].value > 30
    assert cards["media_reports"].value > 50
    assert cards["decisions"].value > 15
    assert cards["indicators"].note.endswith("项指标") or "未填报" in cards["indicators"].note
