"""A district's records are read-only to its county through the API as on the pages (orgs.scope:
a coordinator writes his own level): the county's coordinator reads a district's meeting, task
and key project but corrects, decides and files nothing of theirs (403), while the district's
own coordinator does."""

from decimal import Decimal

from django.test import Client

from shigan.api.services import token_create
from shigan.indicators.models import KeyProject
from shigan.meetings.models import MeetingSeries, StudySession
from shigan.orgs.scope import LOWER_LEVEL_READ_ONLY
from shigan.tasks.models import ChangeKind, ChangeRequest
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST

from .versions import versioned

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels
JSON = "application/json"


def api_of(user) -> Client:
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t', scope='write')[1]}"
    )


def test_the_county_corrects_no_districts_meeting(levels):
    east = levels[EAST]
    county = api_of(levels[COUNTY].users["coordinator"])
    url = f"/api/v1/meetings/{east.meeting.pk}"
    assert county.get(url).status_code == 200
    body = {
        "campaign": east.campaign.pk, "kind": "task_force", "title": "改", "date": "2023-07-01",
        "chair": east.users["coordinator"].person.pk,
    }  # fmt: skip
    for response in (
        county.put(url, body, content_type=JSON),
        county.post(f"{url}/decisions", {"title": "x"}, content_type=JSON),
    ):
        assert response.status_code == 403 and response.json()["detail"] == LOWER_LEVEL_READ_ONLY
    # nor records one in the district's campaign: the page's form offers neither it nor its
    # people
    created = county.post("/api/v1/meetings", body, content_type=JSON)
    assert created.status_code == 422
    assert created.json()["errors"] == [
        {"field": "campaign", "detail": "所选活动不存在，请重新选择。"},
        {"field": "chair", "detail": "所选人员不存在，请重新选择。"},  # the district's person
    ]


def test_the_county_decides_no_districts_change_request(levels):
    east = levels[EAST]
    reporter = api_of(east.users["reporter"])
    asked = reporter.post(
        f"/api/v1/tasks/{east.task.pk}/change-requests",
        {"kind": ChangeKind.CANCEL, "reason": "并入新任务"},
        content_type=JSON,
    )
    assert asked.status_code == 201, asked.content
    url = f"/api/v1/change-requests/{asked.json()['id']}/decision"
    county = api_of(levels[COUNTY].users["coordinator"])
    refused = county.post(url, {"decision": "approve"}, content_type=JSON)
    assert refused.status_code == 403 and refused.json()["detail"] == LOWER_LEVEL_READ_ONLY
    assert ChangeRequest.objects.get(pk=asked.json()["id"]).state == "pending"
    own = api_of(east.users["coordinator"])
    assert own.post(url, {"decision": "approve"}, content_type=JSON).status_code == 200


def test_the_county_files_no_districts_project_figures(levels):
    east = levels[EAST]
    project = KeyProject.objects.create(year=2023, name="东区产业园", responsible_unit=east.bureau)
    url = f"/api/v1/key-projects/{project.pk}/figures"
    body = {"period": "2023-06", "completed_investment": "100", "funds_in_place": "50"}
    county = api_of(levels[COUNTY].users["coordinator"])
    assert county.get(url).status_code == 200
    refused = county.post(url, body, content_type=JSON)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有该项目的责任单位或本级专班可以填报。"
    filed = api_of(east.users["coordinator"]).post(url, body, content_type=JSON)
    assert filed.status_code == 201 and Decimal(filed.json()["funds_in_place"]) == 50


def test_the_county_changes_no_districts_series_or_study_session(levels):
    east = levels[EAST]
    series = MeetingSeries.objects.create(
        name="东区碰头会", campaign=east.campaign, cadence="monthly", organiser=east.root,
        active_from=east.campaign.start_date,
    )  # fmt: skip
    session = StudySession.objects.create(
        campaign=east.campaign, topic="东区学习", date=east.campaign.start_date, kind="special"
    )
    county = api_of(levels[COUNTY].users["coordinator"])
    series_url, study_url = (
        f"/api/v1/meeting-series/{series.pk}",
        f"/api/v1/study-sessions/{session.pk}",
    )
    assert county.get(series_url).status_code == county.get(study_url).status_code == 200
    for response in (
        county.put(series_url, {"name": "改"}, content_type=JSON),
        county.put(study_url, {"topic": "改"}, content_type=JSON),
    ):
        assert response.status_code == 403 and response.json()["detail"] == LOWER_LEVEL_READ_ONLY
    own = api_of(east.users["coordinator"])
    body = {
        "topic": "东区学习", "date": str(east.campaign.start_date), "kind": "collective",
        "reason": "形式录错",
    }  # fmt: skip
    assert own.put(study_url, versioned(study_url, body), content_type=JSON).status_code == 200
