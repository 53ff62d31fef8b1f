"""Meeting series (会议系列) and study sessions (学习) through the API are those of their pages:
read by every role, his district's (another district's: 404); set up, recorded and corrected by
coordinators of the campaign's level through the pages' forms and meetings.services (a reader:
403; a read-only token: 403), refused with the pages' Chinese messages on the body's fields,
audited."""

import datetime

import pytest

from shigan.core.editing import record_version
from shigan.core.models import AuditAction, AuditEntry
from shigan.meetings.models import MeetingSeries, StudySession
from shigan.meetings.services import study_session_record
from shigan.meetings.tests.helpers import make_meeting, make_series

from .versions import versioned

JSON = "application/json"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def series_body(world, **fields):
    return {
        "campaign": world.campaign.pk,
        "name": "区实干年领导小组季度会",
        "cadence": "quarterly",
        "organiser": world.district.pk,
        "chair": world.leader_person.pk,
        "active_from": "2023-01-01",
    } | fields


def study_body(world, **fields):
    return {
        "campaign": world.campaign.pk,
        "topic": "学习贯彻作风建设要求",
        "date": "2023-07-10",
        "kind": "central_group",
        "attendees": [world.leader_person.pk, world.coordinator.person.pk],
        "notes": "交流发言",
    } | fields


def make_session(world, **fields) -> StudySession:
    values = {
        "campaign": world.campaign,
        "topic": "中心组学习",
        "date": datetime.date(2023, 6, 5),
        "kind": "central_group",
        "by": world.coordinator,
        "attendees": [world.leader_person],
    }
    return study_session_record(**values | fields)


# --- meeting series -------------------------------------------------------------------------


def test_series_are_read_by_every_role_of_the_district(world, other_district, token_client):
    series = make_series(world)
    make_meeting(world, series=series)
    for user in (world.coordinator, world.leader, world.reporter_a, world.inspector):
        api, _ = token_client(user, scope="read")
        listed = api.get("/api/v1/meeting-series")
        assert listed.status_code == 200, user
        assert [s["id"] for s in listed.json()["items"]] == [series.pk]
        detail = api.get(f"/api/v1/meeting-series/{series.pk}").json()
        assert detail == listed.json()["items"][0]
        assert (detail["cadence"], detail["cadence_label"]) == ("monthly", "每月")
        assert (detail["organiser_id"], detail["chair_id"]) == (
            world.district.pk,
            world.leader_person.pk,
        )
    outsider, _ = token_client(other_district[0])
    assert outsider.get("/api/v1/meeting-series").json()["items"] == []
    missing = outsider.get(f"/api/v1/meeting-series/{series.pk}")
    assert missing.status_code == 404 and missing.json()["detail"] == "会议系列不存在。"
    assert outsider.put(
        f"/api/v1/meeting-series/{series.pk}", series_body(world), content_type=JSON
    ).status_code == 404  # fmt: skip


def test_a_coordinator_sets_up_a_series_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    response = api.post("/api/v1/meeting-series", series_body(world), content_type=JSON)
    assert response.status_code == 201, response.content
    series = MeetingSeries.objects.get()
    assert (series.name, series.cadence, series.organiser) == (
        "区实干年领导小组季度会",
        "quarterly",
        world.district,
    )
    entry = AuditEntry.objects.get(record_type="meetings.meetingseries", record_id=series.pk)
    assert (entry.action, entry.actor) == (AuditAction.CREATE, world.coordinator)
    assert response.json()["version"] == entry.pk
    assert api.get(f"/api/v1/meeting-series/{series.pk}").json() == response.json()


def test_who_may_not_set_up_series_is_refused(world, token_client):
    series = make_series(world)
    url = f"/api/v1/meeting-series/{series.pk}"
    for user in (world.reporter_a, world.leader, world.inspector):
        api, _ = token_client(user)
        created = api.post("/api/v1/meeting-series", {"name": 3}, content_type=JSON)
        assert created.status_code == 403, user
        assert created.json()["detail"] == "只有专班可以录入会议、议定事项和学习。"
        changed = api.put(url, series_body(world), content_type=JSON)
        assert changed.status_code == 403, user
        assert changed.json()["detail"] == "只有专班可以设置会议系列和录入学习。"
    read_only, _ = token_client(world.coordinator, scope="read")
    for response in (
        read_only.post("/api/v1/meeting-series", series_body(world), content_type=JSON),
        read_only.put(url, series_body(world), content_type=JSON),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "该令牌为只读令牌，不能用于修改数据。"
    assert MeetingSeries.objects.get().name == "区作风专班月度碰头会"


def test_a_series_breaking_the_pages_rules_is_refused_naming_the_field(
    world, other_district, token_client
):
    make_series(world)
    api, _ = token_client(world.coordinator)

    def refused(**fields):
        response = api.post(
            "/api/v1/meeting-series", series_body(world, **fields), content_type=JSON
        )
        assert response.status_code == 422, response.content
        return response.json()["errors"]

    assert refused(name="区作风专班月度碰头会") == [
        {"field": "name", "detail": "本活动已有会议系列“区作风专班月度碰头会”，名称不能重复。"}
    ]
    assert refused(active_from="2022-12-31") == [
        {
            "field": "active_from",
            "detail": "起始日期2022-12-31不在活动起止日期（2023-01-01至2023-12-31）之内。",
        }
    ]
    assert refused(active_from="2023-03-01", active_to="2023-02-01") == [
        {"field": "active_to", "detail": "截止日期2023-02-01早于起始日期2023-03-01。"}
    ]
    assert refused(campaign=other_district[1].campaign_id) == [
        {"field": "campaign", "detail": "所选活动不存在，请重新选择。"}
    ]
    assert refused(chair=other_district[0].person.pk) == [
        {"field": "chair", "detail": "所选人员不存在，请重新选择。"}
    ]
    assert MeetingSeries.objects.count() == 1


def test_changing_a_series_audits_before_and_after_and_guards_its_version(world, token_client):
    series = make_series(world)
    make_meeting(world, series=series)  # on MEETING_DAY
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/meeting-series/{series.pk}"
    version = api.get(url).json()["version"]
    ended = api.put(
        url,
        series_body(world, cadence="monthly", active_to="2023-11-30", version=version),
        content_type=JSON,
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["active_to"] == "2023-11-30" and ended.json()["version"] != version
    entry = AuditEntry.objects.filter(record_type="meetings.meetingseries").latest("pk")
    assert entry.action == AuditAction.UPDATE
    assert entry.note == "本系列截至2023-11-30停用，此后不再检查召开频次。"
    stale = api.put(url, series_body(world, version=version), content_type=JSON)
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "version"
    before = api.put(
        url, versioned(url, series_body(world, active_to="2023-01-31")), content_type=JSON
    )
    assert before.status_code == 422
    assert before.json()["errors"][0]["field"] == "active_to"
    assert "有会议，不在新的起止日期" in before.json()["detail"]
    series.refresh_from_db()
    assert series.active_to == datetime.date(2023, 11, 30)


# --- study sessions -------------------------------------------------------------------------


def test_study_sessions_are_read_by_every_role_of_the_district(world, other_district, token_client):
    session = make_session(world)
    for user in (world.coordinator, world.leader, world.reporter_a, world.inspector):
        api, _ = token_client(user, scope="read")
        listed = api.get("/api/v1/study-sessions?kind=central_group")
        assert listed.status_code == 200, user
        assert [s["id"] for s in listed.json()["items"]] == [session.pk]
        detail = api.get(f"/api/v1/study-sessions/{session.pk}").json()
        assert detail.pop("version") == record_version(session)  # what a correction sends
        assert detail == listed.json()["items"][0]
        assert detail["kind_label"] == "中心组学习"
        assert detail["attendee_ids"] == [world.leader_person.pk]
    api, _ = token_client(world.leader)
    assert api.get("/api/v1/study-sessions?kind=special").json()["items"] == []
    outsider, _ = token_client(other_district[0])
    assert outsider.get("/api/v1/study-sessions").json()["items"] == []
    missing = outsider.get(f"/api/v1/study-sessions/{session.pk}")
    assert missing.status_code == 404 and missing.json()["detail"] == "学习记录不存在。"


def test_a_coordinator_records_a_study_session_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    response = api.post("/api/v1/study-sessions", study_body(world), content_type=JSON)
    assert response.status_code == 201, response.content
    session = StudySession.objects.get()
    assert response.json()["id"] == session.pk and session.topic == "学习贯彻作风建设要求"
    assert response.json()["attendee_ids"] == sorted(
        [world.leader_person.pk, world.coordinator.person.pk]
    )
    entry = AuditEntry.objects.get(record_type="meetings.studysession", record_id=session.pk)
    assert (entry.action, entry.actor) == (AuditAction.CREATE, world.coordinator)


def test_who_may_not_record_study_is_refused(world, other_district, token_client):
    session = make_session(world)
    url = f"/api/v1/study-sessions/{session.pk}"
    correction = study_body(world, reason="更正")
    for user in (world.reporter_a, world.leader, world.inspector):
        api, _ = token_client(user)
        created = api.post("/api/v1/study-sessions", {"topic": 3}, content_type=JSON)
        assert created.status_code == 403, user
        assert created.json()["detail"] == "只有专班可以录入会议、议定事项和学习。"
        assert api.put(url, correction, content_type=JSON).status_code == 403
    read_only, _ = token_client(world.coordinator, scope="read")
    assert read_only.post("/api/v1/study-sessions", study_body(world), content_type=JSON).status_code == 403  # fmt: skip
    assert read_only.put(url, correction, content_type=JSON).status_code == 403
    outsider, _ = token_client(other_district[0])
    assert outsider.put(url, correction, content_type=JSON).status_code == 404
    assert StudySession.objects.count() == 1


def test_a_study_session_breaking_the_pages_rules_is_refused(world, other_district, token_client):
    api, _ = token_client(world.coordinator)

    def refused(**fields):
        response = api.post(
            "/api/v1/study-sessions", study_body(world, **fields), content_type=JSON
        )
        assert response.status_code == 422, response.content
        return response.json()["errors"]

    assert refused(date="2024-01-02") == [
        {"field": "date", "detail": "学习日期2024-01-02不在活动起止日期（2023-01-01至2023-12-31）之内。"}
    ]  # fmt: skip
    assert refused(attendees=[other_district[0].person.pk]) == [
        {
            "field": "attendees",
            "detail": f"所选人员中有不存在的人员（编号 {other_district[0].person.pk}），请重新选择。",
        }
    ]
    assert not StudySession.objects.exists()


def test_correcting_a_study_session_needs_a_reason_and_is_audited(world, token_client):
    session = make_session(world)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/study-sessions/{session.pk}"
    body = study_body(world, topic="中心组专题学习")
    body.pop("campaign")
    no_reason = api.put(url, versioned(url, body | {"reason": ""}), content_type=JSON)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"] == [{"field": "reason", "detail": "请填写更正原因。"}]
    fixed = api.put(url, versioned(url, body | {"reason": "主题录错"}), content_type=JSON)
    assert fixed.status_code == 200, fixed.content
    assert fixed.json()["topic"] == "中心组专题学习"
    entry = AuditEntry.objects.filter(record_type="meetings.studysession").latest("pk")
    assert entry.action == AuditAction.UPDATE and entry.note.startswith("更正原因：主题录错")
    same = api.put(url, versioned(url, body | {"reason": "再次"}), content_type=JSON)
    assert same.status_code == 422
    assert same.json()["errors"] == [{"field": "reason", "detail": "没有修改任何内容，无需更正。"}]
    assert AuditEntry.objects.filter(record_type="meetings.studysession").count() == 2
