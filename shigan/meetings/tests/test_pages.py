"""The meeting pages through the HTTP client: who may read and write what, forms and messages."""

import datetime

import pytest

from shigan.meetings.models import Decision, Meeting, MeetingKind, StudySession
from shigan.tasks.models import ChangeRequest, Task, TaskOrigin

from .helpers import make_decision, make_meeting, make_series, pdf

D = datetime.date
READ_ONLY = ["leader", "reporter_a", "reporter_b", "inspector"]


@pytest.fixture
def meeting(world):
    return make_meeting(world, date=D(2023, 3, 28), title="第一季度工作会议", files=[pdf()])


@pytest.fixture
def decision(world, meeting):
    decision = make_decision(world, meeting, title="完成兴业大道整体方案", due=D(2023, 8, 31))
    Task.objects.filter(pk=decision.task_id).update(leader=None)
    return decision


def meeting_post(world, **overrides) -> dict:
    data = {
        "campaign": world.campaign.pk,
        "series": "",
        "kind": MeetingKind.SPECIAL,
        "title": "专题会议",
        "date": "2023-05-10",
        "chair": world.leader_person.pk,
        "attendees": [world.leader_person.pk],
        "agenda": "研究兴业大道",
        "minutes": "",
    }
    return data | overrides


def decision_post(world, **overrides) -> dict:
    data = {
        "title": "8月底前完成整体方案",
        "target": "",
        "lead_unit": world.unit_a.pk,
        "leader": "",
        "due_date": "2023-08-31",
    }
    return data | overrides


@pytest.mark.parametrize("persona", ["coordinator", *READ_ONLY])
def test_every_role_reads_meetings_decision_table_and_study(world, client_for, meeting, persona):
    client = client_for(world.users()[persona])
    for url in [
        "/meetings/",
        f"/meetings/{meeting.pk}/",
        "/meetings/decisions/",
        "/meetings/study/",
    ]:
        assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_login(client, world, meeting):
    response = client.get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_missing_meeting_is_404(world, client_for):
    assert client_for(world.coordinator).get("/meetings/999/").status_code == 404


def test_meeting_detail_shows_attendees_agenda_minutes_files_and_decisions(
    world, client_for, decision
):
    body = client_for(world.reporter_a).get(decision.meeting.get_absolute_url()).content.decode()
    for text in ["李副区长", "听取汇报", "会议纪要正文", "纪要.pdf", "完成兴业大道整体方案"]:
        assert text in body
    assert f'href="/tasks/{decision.task_id}/"' in body
    assert '<span class="status status-on_track">正常</span>' in body


def test_outsider_sees_the_meeting_but_not_a_decision_of_another_unit(world, client_for, decision):
    client = client_for(world.reporter_b)
    body = client.get(decision.meeting.get_absolute_url()).content.decode()
    assert "第一季度工作会议" in body and "完成兴业大道整体方案" not in body
    assert client.get(f"/meetings/decisions/{decision.pk}/").status_code == 404
    assert "完成兴业大道整体方案" not in client.get("/meetings/decisions/").content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "leader", "reporter_a", "inspector"])
def test_decision_detail_for_those_who_read_its_task(world, client_for, decision, persona):
    response = client_for(world.users()[persona]).get(f"/meetings/decisions/{decision.pk}/")
    assert response.status_code == 200
    assert "第一季度工作会议" in response.content.decode()


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_roles_cannot_record(world, client_for, meeting, persona):
    client = client_for(world.users()[persona])
    assert client.get("/meetings/new/").status_code == 403
    assert client.post("/meetings/new/", meeting_post(world)).status_code == 403
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 403
    url = f"/meetings/{meeting.pk}/decisions/new/"
    assert client.post(url, decision_post(world)).status_code == 403
    study = {
        "campaign": world.campaign.pk,
        "topic": "学习",
        "date": "2023-03-01",
        "kind": "collective",
    }
    assert client.post("/meetings/study/new/", study).status_code == 403
    assert Meeting.objects.count() == 1 and not Decision.objects.exists()
    assert not StudySession.objects.exists()


def test_post_only_views_refuse_get_and_read_views_refuse_post(world, client_for, meeting):
    client = client_for(world.coordinator)
    assert client.get(f"/meetings/{meeting.pk}/decisions/new/").status_code == 405
    assert client.get("/meetings/study/new/").status_code == 405
    assert client.post("/meetings/").status_code == 405
    assert client.post(f"/meetings/{meeting.pk}/").status_code == 405


def test_coordinator_records_a_meeting_with_a_file(world, client_for):
    response = client_for(world.coordinator).post(
        "/meetings/new/", meeting_post(world, files=[pdf("会议通知.pdf")])
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.files.get().original_name == "会议通知.pdf"
    assert list(meeting.attendees.all()) == [world.leader_person]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"date": "2024-02-01"},
            "会议日期2024-02-01不在活动起止日期（2023-01-01至2023-12-31）之内。",
        ),
        ({"chair": ""}, "请选择会议主持人。"),
        ({"chair": "9999"}, "所选人员不存在，请重新选择。"),
        ({"title": ""}, "请填写会议名称。"),
    ],
)
def test_bad_meeting_input_shows_the_message_and_saves_nothing(
    world, client_for, overrides, message
):
    response = client_for(world.coordinator).post(
        "/meetings/new/", meeting_post(world, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_new_meeting_form_starts_from_the_chosen_series(world, client_for):
    series = make_series(world)
    client = client_for(world.coordinator)
    body = client.get("/meetings/").content.decode()
    link = f"/meetings/new/?campaign={world.campaign.pk}&amp;series={series.pk}"
    assert link in body
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial["series"] == series and form.initial["chair"] == world.leader_person
    assert form.initial["title"] == "区作风专班月度碰头会"


def test_duplicate_series_meeting_is_refused_with_a_message(world, client_for):
    series = make_series(world)
    make_meeting(world, series=series, date=D(2023, 5, 10))
    data = meeting_post(world, series=series.pk, kind=MeetingKind.TASK_FORCE)
    body = client_for(world.coordinator).post("/meetings/new/", data).content.decode()
    assert "“区作风专班月度碰头会”在2023-05-10已有一次会议，请勿重复录入。" in body
    assert Meeting.objects.count() == 1


def test_coordinator_edits_a_meeting(world, client_for, meeting):
    client = client_for(world.coordinator)
    assert "第一季度工作会议" in client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    data = meeting_post(
        world, title="第一季度工作会议（更正）", date="2023-03-28", minutes="补充纪要"
    )
    response = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.minutes) == ("第一季度工作会议（更正）", "补充纪要")
    assert meeting.files.count() == 1


def test_coordinator_adds_a_decision_that_becomes_a_task(world, client_for, meeting):
    client = client_for(world.coordinator)
    response = client.post(f"/meetings/{meeting.pk}/decisions/new/", decision_post(world))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.task.origin == TaskOrigin.DECISION
    assert decision.task.start_date == meeting.date
    # The task list (and so the battle map's machinery) knows it like any other task.
    assert "8月底前完成整体方案" in client_for(world.reporter_a).get("/tasks/").content.decode()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"lead_unit": "9999"}, "所选单位不存在，请重新选择。"),
        ({"due_date": "2023-03-01"}, "完成时限2023-03-01早于会议日期2023-03-28。"),
        ({"due_date": ""}, "请填写完成时限。"),
    ],
)
def test_bad_decision_input_shows_the_message_and_saves_nothing(
    world, client_for, meeting, overrides, message
):
    tasks_before = Task.objects.count()
    url = f"/meetings/{meeting.pk}/decisions/new/"
    response = client_for(world.coordinator).post(url, decision_post(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Decision.objects.exists() and Task.objects.count() == tasks_before


def test_completion_approved_on_the_task_shows_on_the_meeting(world, client_for, decision):
    reporter, coordinator = client_for(world.reporter_a), client_for(world.coordinator)
    filed = reporter.post(
        f"/tasks/{decision.task_id}/request/", {"kind": "complete", "reason": "方案已完成"}
    )
    assert filed.status_code == 302
    request = ChangeRequest.objects.get(task=decision.task)
    decided = coordinator.post(f"/tasks/requests/{request.pk}/decide/", {"decision": "approve"})
    assert decided.status_code == 302
    body = coordinator.get(decision.meeting.get_absolute_url()).content.decode()
    assert '<span class="status status-done">完成</span>' in body
    assert "100.0%" in body


def test_meeting_list_filters_by_series_kind_and_dates(world, client_for):
    series = make_series(world)
    make_meeting(world, series=series, date=D(2023, 3, 30), title="3月碰头会")
    make_meeting(world, series=series, date=D(2023, 4, 27), title="4月碰头会")
    make_meeting(world, date=D(2023, 2, 8), kind=MeetingKind.MOBILISATION, title="动员会议")
    client = client_for(world.leader)

    def titles(query: str) -> set[str]:
        page = client.get(f"/meetings/?{query}").context["page"]
        return {m.title for m in page}

    assert titles(f"series={series.pk}") == {"3月碰头会", "4月碰头会"}
    assert titles("kind=mobilisation") == {"动员会议"}
    assert titles("date_from=2023-03-01&date_to=2023-03-31") == {"3月碰头会"}
    assert titles("kind=bogus") == {"3月碰头会", "4月碰头会", "动员会议"}


def test_meeting_files_are_read_by_every_role_and_nobody_else(world, client_for, client, meeting):
    stored = meeting.files.get()
    response = client_for(world.reporter_b).get(f"/meetings/files/{stored.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/meetings/files/{stored.pk}/").status_code == 302


def test_coordinator_records_a_study_session_and_others_only_read(world, client_for):
    data = {
        "campaign": world.campaign.pk,
        "topic": "学习党的二十大精神",
        "date": "2023-02-20",
        "kind": "central_group",
        "attendees": [world.leader_person.pk],
    }
    response = client_for(world.coordinator).post("/meetings/study/new/", data)
    assert response.status_code == 302 and StudySession.objects.count() == 1
    body = client_for(world.reporter_a).get("/meetings/study/").content.decode()
    assert "学习党的二十大精神" in body and "录入学习" not in body


def test_bad_study_session_input_shows_the_message_and_saves_nothing(world, client_for):
    data = {
        "campaign": world.campaign.pk,
        "topic": "学习",
        "date": "2022-12-01",
        "kind": "collective",
    }
    body = client_for(world.coordinator).post("/meetings/study/new/", data).content.decode()
    assert "学习日期2022-12-01不在活动起止日期（2023-01-01至2023-12-31）之内。" in body
    assert not StudySession.objects.exists()
