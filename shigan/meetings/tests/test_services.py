"""The services' rules: clear messages, nothing saved on bad input, decisions as tracked items,
every write audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.core.models import AuditEntry
from shigan.meetings.models import Decision, Meeting, MeetingFile, StudySession
from shigan.meetings.services import (
    decision_record,
    meeting_record,
    meeting_update,
    study_session_record,
)
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task, TaskOrigin, TaskState

from .helpers import make_decision, make_meeting, make_series, pdf

D = datetime.date


def record(world, **overrides):
    fields = dict(
        campaign=world.campaign,
        series=None,
        kind="special",
        title="专题会议",
        date=D(2023, 5, 10),
        chair=world.leader_person,
        by=world.coordinator,
    )
    return meeting_record(**(fields | overrides))


def messages_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def nothing_saved():
    return not (
        Meeting.objects.exists() or MeetingFile.objects.exists() or AuditEntry.objects.exists()
    )


def test_meeting_record_saves_attendees_files_and_audits(world):
    meeting = record(world, attendees=[world.leader_person], files=[pdf()])
    assert list(meeting.attendees.all()) == [world.leader_person]
    assert meeting.files.get().original_name == "纪要.pdf"
    entries = AuditEntry.objects.filter(record_type__startswith="meetings.")
    assert {e.record_type for e in entries} == {"meetings.meeting", "meetings.meetingfile"}
    assert "参会人员：李副区长" in entries.get(record_type="meetings.meeting").note


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"date": D(2022, 12, 30)},
            "date",
            "会议日期2022-12-30不在活动起止日期（2023-01-01至2023-12-31）之内。",
        ),
        ({"chair": None}, "chair", "请选择会议主持人。"),
        ({"title": "  "}, "title", "请填写会议名称。"),
        ({"kind": "party"}, "kind", "请选择会议类型。"),
    ],
)
def test_meeting_record_refuses_bad_input_and_saves_nothing(world, overrides, field, message):
    AuditEntry.objects.all().delete()
    with pytest.raises(ValidationError) as excinfo:
        record(world, **overrides, files=[pdf()])
    assert messages_of(excinfo)[field] == [message]
    assert nothing_saved()


def test_a_series_meets_once_a_day(world):
    series = make_series(world)
    record(world, series=series, date=D(2023, 3, 30))
    with pytest.raises(ValidationError) as excinfo:
        record(world, series=series, date=D(2023, 3, 30), title="重复")
    assert messages_of(excinfo)["date"] == [
        "“区作风专班月度碰头会”在2023-03-30已有一次会议，请勿重复录入。"
    ]
    assert Meeting.objects.count() == 1
    record(world, series=None, date=D(2023, 3, 30), title="同日的专题会议")  # ad hoc is fine


def test_a_meeting_outside_its_series_dates_is_refused(world):
    series = make_series(world, start=D(2023, 2, 1), end=D(2023, 6, 30))
    with pytest.raises(ValidationError) as excinfo:
        record(world, series=series, date=D(2023, 7, 5))
    assert messages_of(excinfo)["date"] == [
        "会议日期2023-07-05不在“区作风专班月度碰头会”的起止日期（2023-02-01至2023-06-30）之内。"
    ]


def test_a_refused_file_saves_nothing(world):
    AuditEntry.objects.all().delete()
    fake = SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as excinfo:
        record(world, files=[pdf("议程.pdf"), fake])
    assert "内容与扩展名 .pdf 不符" in messages_of(excinfo)["files"][0]
    assert nothing_saved()


def test_meeting_update_audits_before_and_after_and_attendee_changes(world):
    meeting = record(world, attendees=[world.leader_person])
    meeting_update(
        meeting=meeting,
        campaign=world.campaign,
        series=None,
        kind="special",
        title="专题会议（更正）",
        date=D(2023, 5, 11),
        chair=world.leader_person,
        by=world.coordinator,
        attendees=[],
    )
    entry = AuditEntry.objects.filter(record_type="meetings.meeting").first()
    assert entry.changes["会议名称"] == ["专题会议", "专题会议（更正）"]
    assert entry.note == "参会人员：李副区长 → 无"


def test_a_meeting_with_decisions_keeps_its_date(world):
    meeting = record(world)
    make_decision(world, meeting)
    with pytest.raises(ValidationError) as excinfo:
        meeting_update(
            meeting=meeting,
            campaign=world.campaign,
            series=None,
            kind="special",
            title="专题会议",
            date=D(2023, 5, 12),
            chair=world.leader_person,
            by=world.coordinator,
        )
    assert "不能修改会议日期" in messages_of(excinfo)["date"][0]
    meeting.refresh_from_db()
    assert meeting.date == D(2023, 5, 10)


def test_a_decision_is_a_tracked_item_starting_on_the_meeting_date(world):
    meeting = make_meeting(world, date=D(2023, 6, 27))
    first = make_decision(world, meeting, title="完成整体方案", due=D(2023, 8, 31))
    second = decision_record(
        meeting=meeting,
        by=world.coordinator,
        title="堤防建设",
        target="",
        lead_unit=world.unit_b,
        leader=None,
        due_date=D(2023, 10, 31),
        supporting_units=[world.unit_a],
    )
    assert (first.number, second.number) == (1, 2)
    task = second.task
    assert task.origin == TaskOrigin.DECISION and task.state == TaskState.ACTIVE
    assert (task.start_date, task.due_date) == (D(2023, 6, 27), D(2023, 10, 31))
    assert task.category.name == "会议议定事项"
    assert list(task.supporting_units.all()) == [world.unit_a]
    assert AuditEntry.objects.filter(record_type="meetings.decision", task_id=task.pk).exists()


def test_a_decision_is_visible_to_its_lead_units_reporter_and_not_to_the_outsider(world):
    decision = make_decision(world, make_meeting(world), unit=world.unit_a)
    decision.task.leader = None
    decision.task.save()
    tasks = Task.objects.filter(origin=TaskOrigin.DECISION)
    assert list(tasks_visible_to(world.reporter_a, tasks)) == [decision.task]
    assert list(tasks_visible_to(world.leader, tasks)) == [decision.task]  # oversees unit A
    assert list(tasks_visible_to(world.reporter_b, tasks)) == []


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"due_date": D(2023, 5, 9)}, "due_date", "完成时限2023-05-09早于会议日期2023-05-10。"),
        ({"due_date": None}, "due_date", "请填写完成时限。"),
        ({"lead_unit": None}, "lead_unit", "请选择牵头单位。"),
        ({"title": ""}, "title", "请填写议定事项。"),
    ],
)
def test_decision_record_refuses_bad_input_and_saves_nothing(world, overrides, field, message):
    meeting = record(world)
    tasks_before = Task.objects.count()
    fields = dict(
        meeting=meeting,
        by=world.coordinator,
        title="议定事项",
        target="",
        lead_unit=world.unit_a,
        leader=None,
        due_date=D(2023, 9, 30),
    )
    with pytest.raises(ValidationError) as excinfo:
        decision_record(**(fields | overrides))
    assert messages_of(excinfo)[field] == [message]
    assert Task.objects.count() == tasks_before and not Decision.objects.exists()


def test_a_decisions_lead_unit_cannot_also_support_it(world):
    meeting = record(world)
    with pytest.raises(ValidationError) as excinfo:
        make_decision_with_support(world, meeting)
    assert messages_of(excinfo)["supporting_units"] == ["牵头单位“区交通局”不能同时作为配合单位。"]
    assert not Decision.objects.exists()


def make_decision_with_support(world, meeting):
    return decision_record(
        meeting=meeting,
        by=world.coordinator,
        title="议定事项",
        target="",
        lead_unit=world.unit_a,
        leader=None,
        due_date=D(2023, 9, 30),
        supporting_units=[world.unit_a],
    )


def test_study_session_record_checks_topic_kind_and_date(world):
    with pytest.raises(ValidationError) as excinfo:
        study_session_record(
            campaign=world.campaign, topic="", date=D(2024, 1, 5), kind="", by=world.coordinator
        )
    assert messages_of(excinfo) == {
        "topic": ["请填写学习主题。"],
        "kind": ["请选择学习形式。"],
        "date": ["学习日期2024-01-05不在活动起止日期（2023-01-01至2023-12-31）之内。"],
    }
    assert not StudySession.objects.exists()
    session = study_session_record(
        campaign=world.campaign,
        topic="学习党的二十大精神",
        date=D(2023, 2, 20),
        kind="central_group",
        by=world.coordinator,
        attendees=[world.leader_person],
    )
    assert list(session.attendees.all()) == [world.leader_person]
    assert AuditEntry.objects.get(record_type="meetings.studysession").note == "参加人员：李副区长"
