"""Generated sentences read as a person writes them: the meeting series say who meets and how
often ("领导小组坚持每季度召开工作会议，年初以来已召开2次"), a missed period is named and takes the
"坚持" away, a series that has not met says "尚未召开" rather than "0次"."""

import datetime

import pytest

from shigan.meetings.models import Cadence, Meeting, MeetingKind, MeetingSeries
from shigan.reports.compose import build_summary
from shigan.reports.compose.activities import convener_and_meeting

pytestmark = [pytest.mark.django_db]
D = datetime.date


@pytest.mark.parametrize(
    ("name", "cadence", "split"),
    [
        (
            "“实干年”活动领导小组季度工作会议",
            Cadence.QUARTERLY,
            ("“实干年”活动领导小组", "工作会议"),
        ),
        ("区作风专班月度碰头会", Cadence.MONTHLY, ("区作风专班", "碰头会")),
        ("月度调度会", Cadence.MONTHLY, ("", "调度会")),
        ("区委常委会", Cadence.NONE, ("", "区委常委会")),
    ],
)
def test_a_series_name_splits_into_who_meets_and_the_meeting(name, cadence, split):
    assert convener_and_meeting(name, cadence) == split


def series(world, name: str, cadence: str, dates: list[datetime.date]) -> MeetingSeries:
    made = MeetingSeries.objects.create(
        name=name,
        campaign=world.campaign,
        cadence=cadence,
        organiser=world.district,
        active_from=D(2023, 1, 1),
    )
    for day in dates:
        Meeting.objects.create(
            series=made,
            campaign=world.campaign,
            kind=MeetingKind.TASK_FORCE,
            title=f"{name}{day:%m%d}",
            date=day,
            chair=world.leader_person,
        )
    return made


def organisation_text(world, as_of: datetime.date) -> str:
    document = build_summary(campaign=world.campaign, as_of=as_of)
    return next(b.text for b in document.blocks if "加强组织领导" in b.text)


def test_meeting_series_say_who_meets_how_often_and_what_was_missed(world):
    series(
        world,
        "“实干年”活动领导小组季度工作会议",
        Cadence.QUARTERLY,
        [D(2023, 3, 20), D(2023, 6, 20)],
    )
    series(world, "区作风专班月度碰头会", Cadence.MONTHLY, [D(2023, m, 5) for m in (1, 2, 4, 5, 7)])
    series(world, "区委专题会议", Cadence.NONE, [])
    text = organisation_text(world, D(2023, 7, 31))
    assert "“实干年”活动领导小组坚持每季度召开工作会议，年初以来已召开2次；" in text
    assert "按照每月召开碰头会的要求，区作风专班年初以来已召开5次，3月、6月未按期召开" in text
    assert "召开一次" not in text and "专题会议" not in text and "0次" not in text
    assert "其中" not in text  # the missed months are not among the meetings held


def test_a_series_that_has_not_met_says_so_without_a_zero(world):
    series(world, "“实干年”活动领导小组季度工作会议", Cadence.QUARTERLY, [])
    text = organisation_text(world, D(2023, 4, 30))
    assert "按照每季度召开工作会议的要求，“实干年”活动领导小组年初以来尚未召开" in text
    assert "0次" not in text
