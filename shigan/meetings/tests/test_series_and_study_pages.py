"""Meeting series set up on their pages (not the admin), and a study session corrected after
entry with a required reason: who may, the rules and their messages, the history on the record's
page, query budgets."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.meetings.access import get_series_for_user, get_study_session_for_user
from shigan.meetings.models import Cadence, MeetingSeries, StudyKind, StudySession
from shigan.meetings.services import study_session_record
from shigan.orgs.models import Unit, UnitKind
from shigan.tests.personas import all_personas, answers, only

from .helpers import make_meeting, make_series

D = datetime.date
READERS = ("leader", "reporter_a", "reporter_b", "inspector")


def series_post(world, **overrides) -> dict:
    data = {
        "campaign": world.campaign.pk,
        "name": "领导小组季度工作会议",
        "cadence": Cadence.QUARTERLY,
        "organiser": world.district.pk,
        "chair": world.leader_person.pk,
        "active_from": "2023-01-01",
        "active_to": "",
    }
    return data | overrides


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_coordinator_sets_up_a_series_shown_with_cadence_and_history(world, client_for):
    client = client_for(world.coordinator)
    response = client.post("/meetings/series/new/", series_post(world))
    series = MeetingSeries.objects.get(name="领导小组季度工作会议")
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/series/{series.pk}/"
    entry = AuditEntry.objects.get(record_type="meetings.meetingseries", record_id=series.pk)
    assert entry.action == AuditAction.CREATE and entry.actor == world.coordinator
    page = body(client.get(f"/meetings/series/{series.pk}/"))
    assert "每季度" in page and "历史记录" in page and "周专班" in page and "缺会" in page
    listing = body(client.get("/meetings/"))
    assert f'href="/meetings/series/{series.pk}/"' in listing
    assert "/admin/meetings/meetingseries/add/" not in listing


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": "  "}, "请填写会议系列名称。"),
        ({"active_from": "2022-12-01"}, "起始日期2022-12-01不在活动起止日期"),
        ({"active_to": "2022-12-31"}, "截止日期2022-12-31早于起始日期2023-01-01。"),
        ({"active_to": "2024-03-31"}, "截止日期2024-03-31晚于活动结束日期2023-12-31。"),
        ({"active_from": "2023-02-29"}, "起始日期"),
        ({"cadence": "weekly"}, "请选择召开频次。"),
        ({"organiser": "abc"}, "所选组织单位不是本区（县）的单位"),
        ({"name": "区作风专班月度碰头会"}, "本活动已有会议系列“区作风专班月度碰头会”"),
    ],
)
def test_bad_series_input_is_refused_with_a_message(world, client_for, overrides, message):
    make_series(world)
    response = client_for(world.coordinator).post(
        "/meetings/series/new/", series_post(world, **overrides)
    )
    assert message in body(response)
    assert MeetingSeries.objects.count() == 1


def test_organiser_of_another_district_is_refused(world, client_for):
    other = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    response = client_for(world.coordinator).post(
        "/meetings/series/new/", series_post(world, organiser=other.pk)
    )
    assert "所选组织单位不是本区（县）的单位" in body(response)


def test_script_in_a_series_name_is_shown_escaped(world, client_for):
    client = client_for(world.coordinator)
    client.post("/meetings/series/new/", series_post(world, name="<script>alert(1)</script>"))
    series = MeetingSeries.objects.get()
    page = body(client.get(f"/meetings/series/{series.pk}/"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_ending_a_series_is_audited_and_it_keeps_its_meetings(world, client_for):
    series = make_series(world)
    make_meeting(world, series=series, date=D(2023, 3, 28))
    client = client_for(world.coordinator)
    data = series_post(world, name=series.name, cadence=Cadence.MONTHLY, active_from="2023-02-01")
    response = client.post(
        f"/meetings/series/{series.pk}/edit/", data | {"active_to": "2023-06-30"}
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.active_to == D(2023, 6, 30) and series.meetings.count() == 1
    entry = AuditEntry.objects.get(record_type="meetings.meetingseries", action=AuditAction.UPDATE)
    assert entry.changes["截止日期"] == [None, "2023-06-30"]
    assert "停用" in entry.note
    assert "本系列截至2023-06-30停用" in body(client.get(f"/meetings/series/{series.pk}/"))


def test_a_series_may_not_end_before_its_meetings(world, client_for):
    series = make_series(world)
    make_meeting(world, series=series, date=D(2023, 3, 28))
    data = series_post(world, name=series.name, cadence=Cadence.MONTHLY, active_from="2023-02-01")
    response = client_for(world.coordinator).post(
        f"/meetings/series/{series.pk}/edit/", data | {"active_to": "2023-02-28"}
    )
    assert "本系列在2023-03-28有会议，不在新的起止日期（2023-02-01至2023-02-28）之内" in body(
        response
    )
    series.refresh_from_db()
    assert series.active_to is None


@pytest.mark.parametrize("who", READERS)
def test_readers_see_a_series_but_may_not_change_it(world, client_for, who):
    series = make_series(world)
    client = client_for(world.users()[who])
    page = body(client.get(f"/meetings/series/{series.pk}/"))
    assert "修改会议系列" not in page
    assert client.get("/meetings/series/new/").status_code == 403
    response = client.post(f"/meetings/series/{series.pk}/edit/", series_post(world, name="x"))
    assert response.status_code == 403
    assert MeetingSeries.objects.get().name == series.name


def test_series_page_queries_do_not_grow_with_meetings_or_history(world, client_for):
    series = make_series(world)
    client = client_for(world.inspector)
    run = get_page(client, f"/meetings/series/{series.pk}/")
    coordinator = client_for(world.coordinator)

    def grow():
        for month in range(3, 8):
            make_meeting(world, series=series, date=D(2023, month, 10), title=f"{month}月碰头会")
        for order in range(3):
            data = series_post(world, name=f"碰头会{order}", cadence=Cadence.MONTHLY)
            coordinator.post(f"/meetings/series/{series.pk}/edit/", data)

    assert_same_queries(run, grow, at_most=15, warm_up=True)


# --- study sessions: corrected with a reason ------------------------------------------------


@pytest.fixture
def session(world):
    return study_session_record(
        campaign=world.campaign,
        topic="学习贯彻党的二十大精神",
        date=D(2023, 3, 1),
        kind=StudyKind.CENTRAL_GROUP,
        by=world.coordinator,
        attendees=[world.leader_person],
        notes="集中学习",
    )


def correct_post(world, **overrides) -> dict:
    data = {
        "topic": "学习贯彻党的二十大精神",
        "date": "2023-03-02",
        "kind": StudyKind.CENTRAL_GROUP,
        "attendees": [world.leader_person.pk],
        "notes": "集中学习",
        "reason": "日期录错，实为3月2日",
    }
    return data | overrides


def test_a_study_session_is_corrected_with_its_reason_in_the_history(world, client_for, session):
    client = client_for(world.coordinator)
    url = f"/meetings/study/{session.pk}/correct/"
    response = client.post(url, correct_post(world))
    assert response.status_code == 302 and response["Location"] == f"/meetings/study/{session.pk}/"
    session.refresh_from_db()
    assert session.date == D(2023, 3, 2)
    entry = AuditEntry.objects.get(record_type="meetings.studysession", action=AuditAction.UPDATE)
    assert entry.changes == {"学习日期": ["2023-03-01", "2023-03-02"]}
    assert entry.note == "更正原因：日期录错，实为3月2日"
    page = body(client.get(f"/meetings/study/{session.pk}/"))
    assert "更正原因：日期录错，实为3月2日" in page and "2023-03-01" in page
    listing = body(client.get("/meetings/study/"))
    assert f'href="/meetings/study/{session.pk}/"' in listing


def test_a_change_of_attendees_is_named_in_the_note(world, client_for, session):
    client = client_for(world.coordinator)
    data = correct_post(world, date="2023-03-01", attendees=[world.reporter_a.person.pk])
    assert client.post(f"/meetings/study/{session.pk}/correct/", data).status_code == 302
    entry = AuditEntry.objects.get(record_type="meetings.studysession", action=AuditAction.UPDATE)
    assert "参加人员：李副区长 → 王填报" in entry.note


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"reason": "   "}, "请填写更正原因。"),
        ({"reason": ""}, "请填写更正原因。"),
        ({"reason": "理" * 501}, "更正原因最多500个字"),
        ({"date": "2024-01-05"}, "学习日期2024-01-05不在活动起止日期"),
        ({"date": "2023-02-30"}, "学习日期"),
        ({"topic": " "}, "请填写学习主题。"),
        ({"date": "2023-03-01"}, "没有修改任何内容，无需更正。"),
    ],
)
def test_bad_corrections_change_nothing(world, client_for, session, overrides, message):
    response = client_for(world.coordinator).post(
        f"/meetings/study/{session.pk}/correct/", correct_post(world, **overrides)
    )
    assert message in body(response)
    session.refresh_from_db()
    assert session.date == D(2023, 3, 1) and session.topic == "学习贯彻党的二十大精神"
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


@pytest.mark.parametrize("who", READERS)
def test_readers_see_a_study_session_but_may_not_correct_it(world, client_for, session, who):
    client = client_for(world.users()[who])
    assert "更正原因" not in body(client.get(f"/meetings/study/{session.pk}/"))
    url = f"/meetings/study/{session.pk}/correct/"
    assert client.post(url, correct_post(world)).status_code == 403
    session.refresh_from_db()
    assert session.date == D(2023, 3, 1)


def test_study_page_queries_do_not_grow_with_corrections(world, client_for, session):
    client = client_for(world.coordinator)
    run = get_page(client, f"/meetings/study/{session.pk}/")

    def grow():
        for day in range(2, 8):
            data = correct_post(world, date=f"2023-03-0{day}", reason=f"第{day}次更正")
            client.post(f"/meetings/study/{session.pk}/correct/", data)

    assert_same_queries(run, grow, at_most=12, warm_up=True)
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE).count() == 6


# --- access -----------------------------------------------------------------------------------


def _ask(get, pk, *, write):
    def ask(user):
        try:
            get(user, pk, write=write)
        except Http404:
            return 404
        except PermissionDenied:
            return 403
        return 200

    return ask


def test_get_series_for_user(world):
    series = make_series(world)
    users = all_personas(world)
    every_role = ("coordinator", *READERS)
    assert answers(users, _ask(get_series_for_user, series.pk, write=False)) == only(
        *every_role, yes=200, no=404
    )
    assert answers(users, _ask(get_series_for_user, series.pk, write=True)) == only(
        *READERS, yes=403, no=404
    ) | {"coordinator": 200}


def test_get_study_session_for_user(world, session):
    users = all_personas(world)
    every_role = ("coordinator", *READERS)
    read = _ask(get_study_session_for_user, session.pk, write=False)
    assert answers(users, read) == only(*every_role, yes=200, no=404)
    write = _ask(get_study_session_for_user, session.pk, write=True)
    assert answers(users, write) == only(*READERS, yes=403, no=404) | {"coordinator": 200}
    with pytest.raises(Http404):
        get_study_session_for_user(users["coordinator"], "x")
    assert StudySession.objects.count() == 1
