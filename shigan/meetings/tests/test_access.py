"""meetings.access persona by persona: meeting series, meetings and study sessions are read by
every role and recorded by coordinators; a decision is read by whoever reads its task (decision
A: unit A's, the leader responsible; decision B: unit B's, no leader)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.meetings.access import (
    can_record_meetings,
    decisions_visible_to,
    get_decision_for_user,
    get_meeting_for_user,
    meetings_visible_to,
)
from shigan.meetings.models import (
    Cadence,
    Decision,
    Meeting,
    MeetingSeries,
    StudyKind,
    StudySession,
)
from shigan.meetings.services import decision_record
from shigan.tests.personas import all_personas, answers, only

from .helpers import make_decision, make_meeting, make_series

ROLES = ("coordinator", "leader", "reporter_a", "reporter_b", "inspector")


@pytest.fixture
def users(world):
    return all_personas(world)


@pytest.fixture
def records(world):
    series = make_series(world, cadence=Cadence.MONTHLY)
    meeting = make_meeting(world, series=series)
    StudySession.objects.create(
        campaign=world.campaign,
        topic="学习",
        date=datetime.date(2023, 3, 1),
        kind=StudyKind.CENTRAL_GROUP,
    )
    decision_a = make_decision(world, meeting, title="甲单位事项", unit=world.unit_a)
    decision_b = decision_record(
        meeting=meeting,
        by=world.coordinator,
        title="乙单位事项",
        target="工作要求",
        lead_unit=world.unit_b,
        leader=None,
        due_date=datetime.date(2023, 12, 31),
    )
    return {"meeting": meeting, "a": decision_a, "b": decision_b}


def _outcome(call):
    try:
        call()
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


def test_can_record_meetings(users):
    assert answers(users, can_record_meetings) == only("coordinator")


@pytest.mark.parametrize("model", [MeetingSeries, Meeting, StudySession], ids=lambda m: m.__name__)
def test_meetings_visible_to(users, records, model):
    everything = model.objects.count()
    assert everything
    counted = answers(users, lambda u: meetings_visible_to(u, model.objects.all()).count())
    assert counted == only(*ROLES, yes=everything, no=0)


def test_get_meeting_for_user(users, records):
    pk = records["meeting"].pk
    assert answers(users, lambda u: _outcome(lambda: get_meeting_for_user(u, pk))) == only(
        *ROLES, yes=200, no=404
    )
    write = answers(users, lambda u: _outcome(lambda: get_meeting_for_user(u, pk, write=True)))
    assert write == {**only(*ROLES, yes=403, no=404), "coordinator": 200}


def test_get_meeting_for_user_missing_ids_and_queryset(users, records):
    for pk in [987654, "abc", None]:
        with pytest.raises(Http404):
            get_meeting_for_user(users["coordinator"], pk)
    with pytest.raises(Http404):
        get_meeting_for_user(
            users["coordinator"], records["meeting"].pk, queryset=Meeting.objects.none()
        )


def test_decisions_visible_to(users, records):
    def titles(user):
        return set(
            decisions_visible_to(user, Decision.objects.all()).values_list("task__title", flat=True)
        )

    both = {"甲单位事项", "乙单位事项"}
    assert answers(users, titles) == {
        **only(no=set()),
        "coordinator": both,
        "inspector": both,
        "leader": {"甲单位事项"},
        "reporter_a": {"甲单位事项"},
        "reporter_b": {"乙单位事项"},
    }


def test_get_decision_for_user(users, records):
    pk = records["a"].pk
    assert answers(users, lambda u: _outcome(lambda: get_decision_for_user(u, pk))) == {
        **only("coordinator", "leader", "reporter_a", "inspector", yes=200, no=404),
    }
    assert get_decision_for_user(users["reporter_b"], records["b"].pk) == records["b"]
