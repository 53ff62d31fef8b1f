"""Figures of the campaign's activities a 专班 text may state (district scope): meetings held
per series, study sessions per kind, media reports in all.

- A series is named by its convener and meeting (领导小组…会议, 专班…碰头会; the report's own
  split, compose.activities.convener_and_meeting), or by its meeting alone when that is no
  generic 会议; its count is the figure right after the name (召开领导小组会议2次) or after a
  following 已召开/共召开 (…坚持每季度召开工作会议，年初以来已召开2次).
- Study: 中心组学习/集中学习/专题学习 N次, per kind.
- Media: 报道 N篇 is the year's total only when the clause says so (各级, 各类, 共, 累计): a
  count for one outlet or level is not compared.
Study and media are compared only when the campaign records some: a district that keeps them
elsewhere has no figure here.
"""

import datetime
import re

from shigan.campaigns.models import Campaign
from shigan.meetings.models import MeetingSeries, StudyKind, StudySession
from shigan.meetings.queries import SeriesCadence, series_cadence_in, study_tally
from shigan.publicity.models import MediaReport
from shigan.publicity.queries import media_report_counts
from shigan.reports.compose.activities import CONVENERS, convener_and_meeting
from shigan.reports.compose.links import media_list_page

from .facts import Known
from .records import page_url

TIMES = frozenset({"次"})
GENERIC_MEETINGS = {"会议", "工作会议", "专题会议", "会"}
HELD = r"(?:已经|已|共|累计)召开|召开了"


def series_pattern(series: MeetingSeries) -> str | None:
    """The words that name a series in a sentence (see the module docstring)."""
    convener, meeting = convener_and_meeting(series.name, series.cadence)
    word = next((c for c in CONVENERS if convener.endswith(c)), "")
    if not meeting.strip():
        return None
    forms = (
        [rf"{re.escape(word)}[^，。；、,;0-9]{{0,8}}?(?:{re.escape(meeting)}|会议)"] if word else []
    )
    if meeting not in GENERIC_MEETINGS and len(meeting) >= 3:
        forms.append(re.escape(meeting))
    return "|".join(forms) or None


def series_known(campaign: Campaign, cadences: list[SeriesCadence]) -> list[Known]:
    url = page_url("meetings:meeting_list", query={"campaign": campaign.pk})
    known = []
    for cadence in cadences:
        series = cadence.series
        pattern = series_pattern(series)
        if pattern is None:
            continue
        key, count = f"series.{series.pk}", cadence.held_count
        what = f"会议系列“{series.name}”已召开的会议"
        known.append(Known(key, pattern, TIMES, count, "次", what, url))
        known.append(Known(f"{key}.held", HELD, TIMES, count, "次", what, url, after=key))
    return known


def study_known(campaign: Campaign, as_of: datetime.date) -> list[Known]:
    tally = study_tally(campaign, as_of, StudySession.objects.all())
    url = page_url("meetings:study_list", query={"campaign": campaign.pk})
    return [
        Known(
            f"study.{kind}",
            re.escape(StudyKind(kind).label),
            TIMES | {"期", "场"},
            len(held),
            "次",
            f"{as_of.year}年{StudyKind(kind).label}记录",
            url,
        )
        for kind, held in tally.by_kind.items()
        if tally.total  # none recorded: the district keeps its study elsewhere
    ]


def media_known(campaign: Campaign, as_of: datetime.date) -> list[Known]:
    """The year's media reports in all; none when none is recorded."""
    counts = media_report_counts(MediaReport.objects.filter(campaign=campaign), as_of=as_of)
    if not counts.total:
        return []
    known = Known(
        "media.total",
        r"(?:宣传|主题|新闻)?报道(?:稿件)?|(?:宣传)?稿件",
        frozenset({"篇", "条"}),
        counts.total,
        "篇",
        f"{as_of.year}年宣传报道记录（截至{as_of.month}月{as_of.day}日）",
        media_list_page(campaign.pk, as_of),
        requires=r"各级|各类|共|累计|合计",
    )
    return [known]


def activity_known(campaign: Campaign, as_of: datetime.date) -> list[Known]:
    """The district's meeting, study and media figures (four queries)."""
    cadences = series_cadence_in(campaign, as_of, MeetingSeries.objects.all())
    return [
        *series_known(campaign, cadences),
        *study_known(campaign, as_of),
        *media_known(campaign, as_of),
    ]
