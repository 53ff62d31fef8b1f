"""Decision completion rates (N/M/K/rate) per meeting and per series, from the tasks' statuses."""

import datetime
from decimal import Decimal

import pytest

from shigan.core import clock
from shigan.meetings.completion import Completion, completion_of
from shigan.meetings.models import Cadence, MeetingKind
from shigan.meetings.queries import decision_completion, meetings_cards
from shigan.meetings.services import study_session_record
from shigan.tasks.models import ChangeKind
from shigan.tasks.status import TaskStatus

from .helpers import approve, make_decision, make_meeting, make_series

D = datetime.date


@pytest.mark.parametrize(
    "done, total, label",
    [
        (2, 3, "66.7%"),
        (1, 16, "6.3%"),  # 6.25 rounds half up, not to even
        (1, 8, "12.5%"),
        (3, 3, "100.0%"),
        (0, 4, "0.0%"),
        (0, 0, "—"),
    ],
)
def test_completion_rate_rounds_half_up_to_one_decimal(done, total, label):
    tally = completion_of([TaskStatus.DONE] * done + [TaskStatus.ON_TRACK] * (total - done))
    assert tally.rate_label == label


def test_completion_counts_active_overdue_behind_and_cancelled():
    tally = completion_of(
        [
            TaskStatus.DONE,
            TaskStatus.OVERDUE,
            TaskStatus.BEHIND,
            TaskStatus.NEARING,
            TaskStatus.NOT_STARTED,
            TaskStatus.CANCELLED,
        ]
    )
    assert tally == Completion(total=6, done=1, active=4, overdue=1, behind=1, cancelled=1)
    assert tally.rate == Decimal("16.7")


@pytest.fixture
def decided(world):
    """A quarterly series with two meetings and an ad-hoc mobilisation meeting:
    Q1 meeting: 3 decisions — one completed (approved), one overdue, one on track;
    Q2 meeting: 2 decisions — one cancelled (approved), one on track (unit B's);
    mobilisation: 1 decision completed (approved)."""
    series = make_series(
        world, name="领导小组季度工作会议", cadence=Cadence.QUARTERLY, start=D(2023, 1, 1)
    )
    q1 = make_meeting(world, series=series, date=D(2023, 3, 28), title="第一季度工作会议")
    done = make_decision(world, q1, title="完成规划设计", due=D(2023, 6, 30))
    make_decision(world, q1, title="完成实地测量", due=D(2023, 6, 30))
    make_decision(world, q1, title="完成整体方案", due=D(2023, 8, 31))
    q2 = make_meeting(world, series=series, date=D(2023, 6, 27), title="第二季度工作会议")
    cancelled = make_decision(world, q2, title="调整招商方案", due=D(2023, 9, 30))
    make_decision(world, q2, title="清凉河堤防", unit=world.unit_b, due=D(2023, 10, 31))
    mobilisation = make_meeting(
        world, date=D(2023, 2, 8), kind=MeetingKind.MOBILISATION, title="动员会议"
    )
    early = make_decision(world, mobilisation, title="建立任务清单", due=D(2023, 2, 28))
    approve(world, done.task)
    approve(world, cancelled.task, ChangeKind.CANCEL)
    approve(world, early.task)
    return {"series": series, "q1": q1, "q2": q2, "mobilisation": mobilisation}


def test_completion_table_per_meeting_and_per_series(world, decided):
    table = decision_completion(world.coordinator, world.campaign, clock.today())
    assert table.overall == Completion(total=6, done=2, active=3, overdue=1, cancelled=1)
    assert table.overall.rate_label == "33.3%"
    per_meeting = {m.meeting.title: m.completion for m in table.meetings}
    assert list(per_meeting) == ["动员会议", "第一季度工作会议", "第二季度工作会议"]
    assert per_meeting["第一季度工作会议"] == Completion(total=3, done=1, active=2, overdue=1)
    assert per_meeting["第一季度工作会议"].rate_label == "33.3%"
    assert per_meeting["第二季度工作会议"] == Completion(total=2, active=1, cancelled=1)
    assert per_meeting["动员会议"].rate_label == "100.0%"
    per_series = {s.label: s.completion for s in table.series}
    assert per_series["领导小组季度工作会议"] == Completion(
        total=5, done=1, active=3, overdue=1, cancelled=1
    )
    assert per_series["其他会议（不定期）"] == Completion(total=1, done=1)


def test_completion_table_counts_only_decisions_the_user_may_read(world, decided):
    table = decision_completion(world.reporter_b, world.campaign, clock.today())
    assert table.overall == Completion(total=1, active=1)
    assert [row.task.title for row in table.rows] == ["清凉河堤防"]


def test_decision_table_page_shows_the_published_figures(world, decided, client_for):
    body = client_for(world.inspector).get("/meetings/decisions/").content.decode()
    row = (
        '<td class="num">5</td><td class="num">1</td><td class="num">3</td>'
        '<td class="num error">1</td><td class="num">0</td><td class="num">1</td>'
        '<td class="num">20.0%</td>'
    )
    assert "领导小组季度工作会议" in body and row in body
    assert "33.3%" in body
    assert '<span class="status status-overdue">逾期</span>' in body


def test_meetings_cards_give_missed_series_decisions_and_study_this_year(world, decided):
    make_series(world, name="专班月度碰头会", start=D(2023, 6, 1))  # June missed, July pending
    for day in (D(2023, 2, 20), D(2023, 4, 18), D(2023, 8, 15)):
        study_session_record(
            campaign=world.campaign, topic="学习", date=day, kind="central_group", by=None
        )
    cards = meetings_cards(world.leader, world.campaign, clock.today())
    assert [c.series.name for c in cards["series_missed"]] == ["专班月度碰头会"]
    assert cards["decisions"].total == 6  # he is the responsible leader of every decision
    assert cards["decisions"].rate_label == "33.3%"
    assert cards["meetings_held"] == 3
    assert cards["study_sessions_year"] == 2  # the August session is not yet held
    assert cards["study_by_kind"]["中心组学习"] == 2
