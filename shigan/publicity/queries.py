"""Reads for the publicity page and dashboard card: counts by level and by period."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.cards import Card
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task

from .access import can_read_media_reports
from .models import MediaLevel, MediaReport

PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}
PERIOD_LABELS = {"month": "月", "quarter": "季度", "year": "年"}


def media_reports_listed(reports: QuerySet, user) -> QuerySet:
    """The reports with their campaign and task; `task_readable` says whether `user` may open
    the task's page (in the same query: a correlated subquery through tasks_visible_to)."""
    readable = tasks_visible_to(user, Task.objects.filter(pk=OuterRef("task_id")))
    return reports.select_related("campaign", "task").annotate(task_readable=Exists(readable))


def period_start(day: datetime.date, period: str) -> datetime.date:
    if period == "year":
        return day.replace(month=1, day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def _next_start(start: datetime.date, period: str) -> datetime.date:
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)


def period_label(start: datetime.date, period: str) -> str:
    if period == "year":
        return f"{start.year}年"
    if period == "quarter":
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    return f"{start.year}年{start.month}月"


@dataclass
class PeriodCount:
    start: datetime.date
    label: str
    by_level: dict[str, int]
    total: int

    @property
    def level_counts(self) -> list[int]:
        return [self.by_level[level] for level in MediaLevel.values]


@dataclass
class MediaCounts:
    """Reports from `since` to `as_of`: by level, and by level within each period."""

    since: datetime.date
    as_of: datetime.date
    period: str
    by_level: dict[str, int]
    periods: list[PeriodCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    @property
    def level_rows(self) -> list[tuple[str, str, int]]:
        return [(level.value, level.label, self.by_level[level.value]) for level in MediaLevel]


def media_report_counts(
    reports: QuerySet,
    *,
    as_of: datetime.date,
    period: str = "month",
    since: datetime.date | None = None,
) -> MediaCounts:
    """Counts of `reports` dated from `since` (default 1 January of as_of's year) to `as_of`,
    by level and by month, quarter or year, every period listed even when empty (one query)."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    since = since or as_of.replace(month=1, day=1)
    dated = media_reports_counted(reports, as_of=as_of, since=since).order_by()
    grouped = dated.annotate(p=PERIODS[period]("date")).values("p", "level").annotate(n=Count("id"))
    starts: dict[datetime.date, dict[str, int]] = {}
    start = period_start(since, period)
    while start <= as_of:
        starts[start] = dict.fromkeys(MediaLevel.values, 0)
        start = _next_start(start, period)
    by_level = dict.fromkeys(MediaLevel.values, 0)
    for row in grouped:
        start = row["p"].date() if isinstance(row["p"], datetime.datetime) else row["p"]
        starts[start][row["level"]] += row["n"]
        by_level[row["level"]] += row["n"]
    periods = [
        PeriodCount(start, period_label(start, period), counts, sum(counts.values()))
        for start, counts in starts.items()
    ]
    return MediaCounts(since, as_of, period, by_level, periods)


def publicity_cards(user, campaign: Campaign, as_of: datetime.date) -> list[Card]:
    """The publicity card of a dashboard: the campaign's reports this year as of a date, by
    level (one query)."""
    if not can_read_media_reports(user):
        return []
    counts = media_report_counts(
        MediaReport.objects.filter(campaign=campaign), as_of=as_of, period="month"
    )
    this_month = counts.periods[-1].total if counts.periods else 0
    return [
        Card(
            key="media_reports",
            title="宣传报道",
            value=counts.total,
            unit="篇",
            url=f"{reverse('publicity:report_list')}?campaign={campaign.pk}",
            note=f"{as_of.year}年截至{as_of.month}月{as_of.day}日，其中本月{this_month}篇",
            items=[(label, n) for _, label, n in counts.level_rows if n],
        )
    ]


def media_reports_counted(
    reports: QuerySet, *, as_of: datetime.date, since: datetime.date | None = None
) -> QuerySet:
    """The reports among `reports` media_report_counts counts: dated from `since` (1 January of
    as_of's year by default) to `as_of`, oldest first — for a text that names each of them."""
    since = since or as_of.replace(month=1, day=1)
    return reports.filter(date__gte=since, date__lte=as_of).order_by("date", "id")
