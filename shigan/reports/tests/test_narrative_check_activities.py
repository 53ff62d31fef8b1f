"""The 专班's texts checked against the campaign's activities: meetings held per series (named
by convener and meeting), study sessions per kind, media reports in all (only a total)."""

import datetime
import re

import pytest

from shigan.meetings.models import (
    Cadence,
    Meeting,
    MeetingKind,
    MeetingSeries,
    StudyKind,
    StudySession,
)
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.reports.compose import build_summary
from shigan.reports.models import NarrativeSlot
from shigan.reports.narrative_check import narrative_check
from shigan.reports.narrative_check.activities import series_pattern
from shigan.reports.services import NarrativeEntry, narrative_save
from shigan.tasks.models import ProgressReport

from .reportdata import AS_OF, filed_in

D = datetime.date
GROUP = "“实干年”活动领导小组季度工作会议"
TASK_FORCE = "区作风专班月度碰头会"


@pytest.mark.parametrize(
    ("name", "cadence", "sentence", "named"),
    [
        (
            GROUP,
            Cadence.QUARTERLY,
            "领导小组坚持每季度召开工作会议",
            "领导小组坚持每季度召开工作会议",
        ),
        (GROUP, Cadence.QUARTERLY, "召开领导小组会议2次", "领导小组会议"),
        (TASK_FORCE, Cadence.MONTHLY, "专班每月召开碰头会", "专班每月召开碰头会"),
        (TASK_FORCE, Cadence.MONTHLY, "召开碰头会6次", "碰头会"),
        (GROUP, Cadence.QUARTERLY, "召开专题会议2次", None),
    ],
)
def test_a_series_is_named_by_its_convener_and_meeting(name, cadence, sentence, named):
    match = re.search(series_pattern(MeetingSeries(name=name, cadence=cadence)), sentence)
    assert (match[0] if match else None) == named


@pytest.fixture
def activities(world):
    """Two series (2 and 6 meetings held by 7-31, one more after), 3+2 study sessions, 13 media
    reports."""
    for name, cadence, dates in [
        (GROUP, Cadence.QUARTERLY, [D(2023, 2, 8), D(2023, 5, 10), D(2023, 8, 9)]),
        (TASK_FORCE, Cadence.MONTHLY, [D(2023, m, 5) for m in range(2, 9)]),
    ]:
        series = MeetingSeries.objects.create(
            name=name,
            campaign=world.campaign,
            cadence=cadence,
            organiser=world.district,
            active_from=D(2023, 2, 1),
        )
        for day in dates:
            Meeting.objects.create(
                series=series,
                campaign=world.campaign,
                kind=MeetingKind.TASK_FORCE,
                title=f"{name}（{day}）",
                date=day,
                chair=world.leader_person,
            )
    for kind, count in [(StudyKind.CENTRAL_GROUP, 3), (StudyKind.COLLECTIVE, 2)]:
        for i in range(count):
            StudySession.objects.create(
                campaign=world.campaign, topic=f"学习{i}", date=D(2023, 3 + i, 1), kind=kind
            )
    for i in range(13):
        MediaReport.objects.create(
            campaign=world.campaign,
            title=f"报道{i}",
            outlet="市日报",
            level=MediaLevel.values[i % 4],
            date=D(2023, 3, 1 + i),
        )
    return world


def write(world, slot, body):
    narrative_save(
        campaign=world.campaign,
        period=D(2023, 1, 1),
        by=world.coordinator,
        note="",
        entries=[NarrativeEntry(slot, "标题", body)],
    )


def findings(world):
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    result = narrative_check(document=document, campaign=world.campaign, as_of=AS_OF)
    return {(f.label, f.stated, f.recorded, f.agrees) for f in result.findings}


def test_meetings_held_per_series_are_compared(activities):
    write(
        activities,
        NarrativeSlot.ORGANISATION,
        "领导小组坚持每季度召开工作会议，年初以来已召开3次；区作风专班坚持每月召开碰头会，"
        "年初以来已召开6次。另召开专题会议2次。",
    )
    assert findings(activities) == {("已召开", "3次", "2次", False), ("已召开", "6次", "6次", True)}


def test_study_sessions_per_kind_and_the_media_total_are_compared(activities):
    write(
        activities,
        NarrativeSlot.ATMOSPHERE,
        "年初以来开展中心组学习3次、集中学习4次。在中央、省、市、县等各级媒体发表“实干年”主题报道13篇，"
        "其中在市日报发表报道2篇。在省电视台播出报道5篇。",
    )
    assert findings(activities) == {
        ("中心组学习", "3次", "3次", True),
        ("集中学习", "4次", "2次", False),
        ("主题报道", "13篇", "13篇", True),
    }


def test_a_progress_report_is_not_compared_with_the_districts_activities(activities):
    report = ProgressReport.objects.create(
        task=activities.task_a,
        unit=activities.unit_a,
        period=D(2023, 7, 1),
        text="召开领导小组会议5次，中心组学习9次，各级媒体报道1篇。",
        submitted_by=activities.reporter_a,
    )
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=filed_in(7))
    assert findings(activities) == set()


def test_study_and_media_not_recorded_at_all_are_not_compared(world):
    write(world, NarrativeSlot.ATMOSPHERE, "开展中心组学习3次，在各级媒体发表报道13篇。")
    assert findings(world) == set()
