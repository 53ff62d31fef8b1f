"""/api/v1/meetings: every role reads his district's meetings (meetings.access), a meeting's
decisions only where the caller reads the decision's task, each with the task's status
(meetings.queries.decision_rows); cursor pages, bounded queries, 404 problem outside."""

import pytest

from shigan.core.testing import assert_same_queries
from shigan.meetings.models import Meeting, MeetingKind
from shigan.meetings.tests.helpers import MEETING_DAY, make_decision, make_meeting

from .test_task_list import walk


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def test_decisions_are_those_whose_task_the_caller_reads(world, token_client):
    meeting = make_meeting(world)
    a = make_decision(world, meeting, title="兴业大道提速", unit=world.unit_a)
    b = make_decision(world, meeting, title="河道清淤", unit=world.unit_b)
    expected = {
        world.coordinator: [a.pk, b.pk],
        world.inspector: [a.pk, b.pk],
        world.leader: [a.pk, b.pk],  # he leads both decisions' tasks (make_decision)
        world.reporter_a: [a.pk],
        world.reporter_b: [b.pk],
    }
    for user, decisions in expected.items():
        api, _ = token_client(user, scope="read")
        assert [m["id"] for m in api.get("/api/v1/meetings").json()["items"]] == [meeting.pk]
        body = api.get(f"/api/v1/meetings/{meeting.pk}").json()
        assert [d["id"] for d in body["decisions"]] == decisions, user
    api, _ = token_client(world.coordinator)
    body = api.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert body["chair"] == "李副区长" and body["minutes"] == "会议纪要正文"
    tasks = {t["id"]: t for t in api.get("/api/v1/tasks").json()["items"]}
    for decision in body["decisions"]:  # the status is the decision's task's
        task = tasks[decision["task_id"]]
        assert (decision["status"], decision["title"]) == (task["status"], task["title"])


def test_another_districts_meeting_is_404(world, other_district, token_client):
    mine = make_meeting(world)
    other_coordinator, other_task = other_district
    theirs = Meeting.objects.create(
        campaign=other_task.campaign, kind=MeetingKind.TASK_FORCE, title="高新区碰头会",
        date=MEETING_DAY, chair=other_coordinator.person,
    )  # fmt: skip
    ours, _ = token_client(world.reporter_b)
    response = ours.get(f"/api/v1/meetings/{theirs.pk}")
    assert response.status_code == 404 and response.json()["detail"] == "会议不存在。"
    assert response["Content-Type"] == "application/problem+json"
    them, _ = token_client(other_coordinator)
    assert [m["id"] for m in them.get("/api/v1/meetings").json()["items"]] == [theirs.pk]
    assert them.get(f"/api/v1/meetings/{mine.pk}").status_code == 404


def test_meeting_pages_and_queries(world, token_client):
    api, _ = token_client(world.coordinator)
    for _ in range(2):
        make_meeting(world)

    def grow():
        Meeting.objects.bulk_create(
            Meeting(campaign=world.campaign, kind=MeetingKind.TASK_FORCE, title=f"会{i}",
                    date=MEETING_DAY, chair=world.leader_person)
            for i in range(30)
        )  # fmt: skip

    def run():
        response = api.get("/api/v1/meetings?limit=100")
        assert response.status_code == 200
        return response

    response = assert_same_queries(run, grow, at_most=5, warm_up=True)
    assert len(response.json()["items"]) == 32
    seen, pages = walk(api, f"/api/v1/meetings?limit=10&campaign={world.campaign.pk}")
    assert len(seen) == len(set(seen)) == 32 and pages == 4


def test_a_meetings_decisions_in_a_bounded_number_of_queries(world, token_client):
    meeting = make_meeting(world)
    make_decision(world, meeting)
    api, _ = token_client(world.reporter_a)

    def run():
        response = api.get(f"/api/v1/meetings/{meeting.pk}")
        assert response.status_code == 200
        return response

    def grow():
        for i in range(10):
            make_decision(world, meeting, title=f"事项{i}")

    response = assert_same_queries(run, grow, at_most=8, warm_up=True)
    assert len(response.json()["decisions"]) == 11


def test_an_undocumented_query_parameter_is_refused(world, token_client):
    """A misspelt filter is a 422 naming it, not the unfiltered list (shigan/api/params.py)."""
    api, _ = token_client(world.coordinator)
    response = api.get(f"/api/v1/meetings?campain={world.campaign.pk}")
    assert response.status_code == 422
    assert response.json()["detail"] == "未知的查询参数：“campain”。"
    assert response.json()["errors"] == [{"field": "campain", "detail": "未知的查询参数"}]
    assert api.get(f"/api/v1/meetings?campaign={world.campaign.pk}").status_code == 200
