"""Geometry of the battle map's timeline (Gantt-like) view, computed on the server.

The chart spans the campaign's months, from the first day of its first month to the last day
of its last month. Every position is a percentage of that span: a bar covers its task from the
start of its start day to the end of its due day; a point (a milestone, the evaluation date)
sits in the middle of its day. Tasks reaching outside the span are clipped and flagged.
"""

import datetime
from dataclasses import dataclass

from shigan.campaigns.models import Campaign
from shigan.core.clock import month_end, month_start
from shigan.tasks.queries import TaskRow
from shigan.tasks.status import TaskStatus

from .queries import RowGroup


def _pct(days: float, total: int) -> float:
    return round(days * 100 / total, 3)


@dataclass(frozen=True)
class Span:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def point(self, day: datetime.date) -> float:
        return _pct((day - self.start).days + 0.5, self.days)


@dataclass(frozen=True)
class MonthCell:
    label: str
    left: float
    width: float


@dataclass(frozen=True)
class Diamond:
    left: float
    done: bool
    title: str


@dataclass(frozen=True)
class Bar:
    left: float
    width: float
    cut_start: bool
    cut_end: bool
    diamonds: tuple[Diamond, ...]
    # The share of the task done, drawn inside the bar (progress_fill).
    fill: float = 0.0
    fill_text: str = ""
    # Where the label sits, centred, in percent of the bar; None: no room for it.
    text_at: float | None = None


# The label ("节点3/5", about 3rem) needs this much of the span clear of diamonds.
LABEL_ROOM = 7.0
# Half a diamond (and its border) in percent of the span, at the narrowest track.
DIAMOND_HALF = 1.5


def label_place(left: float, width: float, points: list[float]) -> float | None:
    """The middle of the widest stretch of the bar clear of diamonds, in percent of the bar, so
    the label never covers a milestone; None when no stretch is LABEL_ROOM wide."""
    if width <= 0:
        return None
    edges = [left] + sorted(p for p in points if left <= p <= left + width) + [left + width]
    best, at = 0.0, None
    for a, b in zip(edges, edges[1:], strict=False):
        lo = a + (DIAMOND_HALF if a != left else 0)
        hi = b - (DIAMOND_HALF if b != left + width else 0)
        if hi - lo > best:
            best, at = hi - lo, (lo + hi) / 2
    if at is None or best < LABEL_ROOM:
        return None
    return round((at - left) * 100 / width, 3)


@dataclass
class TimelineLine:
    row: TaskRow
    bar: Bar


@dataclass
class TimelineGroup:
    label: str
    lines: list[TimelineLine]


@dataclass
class Timeline:
    span: Span
    months: list[MonthCell]
    groups: list[TimelineGroup]
    today_left: float | None
    grid: str


def campaign_span(campaign: Campaign) -> Span:
    return Span(month_start(campaign.start_date), month_end(campaign.end_date))


def month_cells(span: Span) -> list[MonthCell]:
    cells, first = [], span.start
    while first <= span.end:
        last = month_end(first)
        label = (
            f"{first.month}月" if cells and first.month != 1 else f"{first.year}年{first.month}月"
        )
        offset = (first - span.start).days
        cells.append(MonthCell(label, _pct(offset, span.days), _pct(last.day, span.days)))
        first = last + datetime.timedelta(days=1)
    return cells


def month_grid(months: list[MonthCell]) -> str:
    """A CSS background drawing a thin line at each month boundary, set once on the chart and
    inherited by every row (a custom property), instead of a dozen elements per row."""
    stops = ["transparent 0"]
    for cell in months[1:]:
        x = f"{cell.left:.3f}%"
        stops += [f"transparent {x}", f"#dfe1e5 {x}", f"#dfe1e5 calc({x} + 1px)"]
        stops.append(f"transparent calc({x} + 1px)")
    return f"linear-gradient(to right, {', '.join(stops)})"


def _diamond(span: Span, milestone, task_done: bool = False) -> Diamond | None:
    """A milestone's diamond; once the task is approved done (办结销号) an undone milestone is
    closed with it, drawn filled, not open."""
    if not span.contains(milestone.due_date):
        return None
    title = f"{milestone.title}：计划{milestone.due_date:%Y-%m-%d}"
    if milestone.done_on:
        title += f"，已于{milestone.done_on:%Y-%m-%d}完成"
    elif task_done:
        title += "，随任务办结"
    else:
        title += "，未完成"
    done = milestone.done_on is not None or task_done
    return Diamond(span.point(milestone.due_date), done, title)


def task_bar(span: Span, row: TaskRow) -> Bar:
    """The bar of one task, clipped to the span, with its milestones as diamonds."""
    task, due = row.task, row.due_date
    start, end = max(task.start_date, span.start), min(due, span.end)
    if end < start:
        end = start = span.start if due < span.start else span.end
        width = 0.0
    else:
        width = _pct((end - start).days + 1, span.days)
    done = row.status == TaskStatus.DONE
    diamonds = tuple(d for d in (_diamond(span, m, done) for m in row.milestones) if d)
    fill, fill_text = progress_fill(row)
    left = _pct((start - span.start).days, span.days)
    text_at = label_place(left, width, [d.left for d in diamonds]) if fill_text else None
    return Bar(
        left=left,
        width=width,
        cut_start=task.start_date < span.start,
        cut_end=due > span.end,
        diamonds=diamonds,
        fill=fill,
        fill_text=fill_text,
        text_at=text_at,
    )


def progress_fill(row: TaskRow) -> tuple[float, str]:
    """The filled share of a task's bar (percent of the bar) and its label: milestones done of
    all ("节点2/4"); a task approved done is done whatever its milestones ("已办结"); a task
    without milestones has no measure of its progress (empty)."""
    total, done = row.milestones_total, row.milestones_done
    if row.status == TaskStatus.DONE:
        return 100.0, "已办结"
    if total:
        return round(done * 100 / total, 3), f"节点{done}/{total}"
    return 0.0, ""


def timeline_build(campaign: Campaign, groups: list[RowGroup], as_of: datetime.date) -> Timeline:
    """The timeline of the grouped rows (rows must carry their milestones)."""
    span = campaign_span(campaign)
    lines = [
        TimelineGroup(g.label, [TimelineLine(r, task_bar(span, r)) for r in g.rows]) for g in groups
    ]
    today = span.point(as_of) if span.contains(as_of) else None
    months = month_cells(span)
    return Timeline(span, months, lines, today_left=today, grid=month_grid(months))
