"""The meeting pages and meetings_cards run the same number of queries for few and many records."""

import datetime
from functools import partial

import pytest

from shigan.core import clock
from shigan.core.testing import assert_same_queries, get_page
from shigan.meetings.models import Cadence, MeetingKind
from shigan.meetings.queries import meetings_cards
from shigan.meetings.services import study_session_record
from shigan.orgs.models import Person

from .helpers import approve, make_decision, make_meeting, make_series, pdf

D = datetime.date
PERSONAS = ["coordinator", "leader", "reporter_a"]


def grow(world, meeting, *, series, start: int, meetings: int, decisions: int) -> None:
    """Add `meetings` monthly-series meetings (on distinct days) and `decisions` decisions to
    `meeting`, some completed, some overdue; and people, files and study sessions."""
    Person.objects.bulk_create(
        Person(name=f"参会人{start}-{i}", unit=world.unit_a) for i in range(decisions)
    )
    for i in range(meetings):
        day = D(2023, 2, 1) + datetime.timedelta(days=start + i)
        make_meeting(world, series=series, date=day, title=f"碰头会{start + i}", files=[pdf()])
    for i in range(decisions):
        due = D(2023, 6, 30) if i % 3 else D(2023, 12, 31)
        unit = world.unit_a if i % 2 else world.unit_b
        item = make_decision(world, meeting, title=f"议定事项{start + i}", unit=unit, due=due)
        if i % 5 == 0:
            approve(world, item.task)
    for i in range(meetings):
        study_session_record(
            campaign=world.campaign,
            topic=f"学习{start + i}",
            date=D(2023, 3, 1) + datetime.timedelta(days=start + i),
            kind="collective",
            by=world.coordinator,
            attendees=Person.objects.all()[:5],
        )


@pytest.fixture
def base(world):
    series = make_series(world, cadence=Cadence.MONTHLY, start=D(2023, 1, 1))
    make_series(world, name="领导小组季度工作会议", cadence=Cadence.QUARTERLY)
    meeting = make_meeting(world, date=D(2023, 2, 8), kind=MeetingKind.MOBILISATION, files=[pdf()])
    return {"series": series, "meeting": meeting}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["list", "detail", "decisions", "study"])
def test_pages_do_not_grow_with_meetings_and_decisions(world, client_for, base, persona, page):
    meeting = base["meeting"]
    url = {
        "list": "/meetings/",
        "detail": f"/meetings/{meeting.pk}/",
        "decisions": "/meetings/decisions/",
        "study": "/meetings/study/",
    }[page]
    client = client_for(world.users()[persona])
    grow(world, meeting, series=base["series"], start=0, meetings=2, decisions=2)
    more = partial(grow, world, meeting, series=base["series"], start=10, meetings=30, decisions=40)
    response = assert_same_queries(get_page(client, url), more, at_most=16, warm_up=True)
    body = response.content.decode()
    assert "议定事项49" in body or page in {"list", "study"}
    assert "碰头会39" in body or page != "list"


@pytest.mark.parametrize("persona", PERSONAS)
def test_meetings_cards_do_not_grow(world, base, persona):
    user = world.users()[persona]
    grow(world, base["meeting"], series=base["series"], start=0, meetings=2, decisions=2)

    def cards():
        return meetings_cards(user, world.campaign, clock.today())

    def more():
        nonlocal user
        grow(world, base["meeting"], series=base["series"], start=10, meetings=30, decisions=40)
        user = type(user).objects.get(pk=user.pk)  # a fresh request's user, without cached scope

    assert assert_same_queries(cards, more, at_most=10)["decisions"].total >= 21
