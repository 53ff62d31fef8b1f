"""The battle map as a wall chart (挂图): status-coloured tiles in swimlanes, and the 大屏 pages.

On the page (view=wall) every lane is shown, one under the other. On the meeting-room screen
(screen=1, 1920×1080) lanes are packed side by side on shelves of SCREEN_COLUMNS columns (a lane
of k tasks spans min(k, SCREEN_COLUMNS) columns, first fit, as CSS grid's dense auto-placement
does) and split into screens that each fit without scrolling. The heights are estimated from
the text: titles wrap and are never cut, so a long title makes its tile taller. The geometry
below is the one battle_map.css gives .wall-screen (in px at its 16px root font); the screen's
script shrinks the type a little if a screen still overflows.
"""

import math
from dataclasses import dataclass, field

from shigan.tasks.queries import TaskRow
from shigan.tasks.status import STATUS_ORDER, TaskStatus

from .queries import HEADLINE, GroupSummary, RowGroup, days_left_text
from .timeline import progress_fill

SCREEN_HEIGHT = 1080
SCREEN_COLUMNS = 7
# Vertical space left for the lanes: 1080 minus page padding (2×12), the headline band (144 and
# a 12 gap) and the footer (32 and an 8 gap).
LANES_HEIGHT = SCREEN_HEIGHT - 24 - 156 - 40
SHELF_GAP = 10
LANE_HEAD = 32 + 12  # the lane's heading and the tiles' padding
TILE_GAP = 6
TITLE_CHARS = 12  # CJK characters per title line in a tile (230 px at 18.4 px)
TITLE_LINE = 25
TILE_BASE = 84  # padding, status line, unit line and progress bar
LABEL_CHARS = 13  # CJK characters of a lane heading on one column
COUNTS_LINE = 28  # a collapsed lane's counts per status (or its "nothing late" line)
EMPTY_SPAN = 2  # columns of a collapsed lane without tiles


def text_width(text: str) -> float:
    """Width in CJK characters: ASCII letters and digits are about half as wide."""
    return sum(0.55 if ord(c) < 0x2E80 else 1.0 for c in text)


def title_lines(title: str, per_line: int = TITLE_CHARS) -> int:
    # 5% slack: line breaking keeps closing punctuation with the character before it.
    return max(1, math.ceil(text_width(title) * 1.05 / per_line))


@dataclass
class WallTile:
    row: TaskRow
    days_text: str
    share: float  # milestones done / total, in percent (timeline.progress_fill)
    progress_text: str
    height: int  # estimated, on the screen

    @property
    def status(self):
        return self.row.status


def wall_tile(row: TaskRow) -> WallTile:
    share, text = progress_fill(row)
    title = f"{row.task.number}. {row.task.title}" if row.task.number else row.task.title
    height = TILE_BASE + TITLE_LINE * title_lines(title)
    return WallTile(row, days_left_text(row), share, text, height)


def worst_first(rows: list[TaskRow]) -> list[TaskRow]:
    """Worst status first, then the most overdue / least time left; otherwise the map's order."""
    rank = {value: i for i, value in enumerate(STATUS_ORDER)}
    return sorted(rows, key=lambda r: (rank[r.status.value], r.days_left))


@dataclass
class WallLane:
    label: str
    tiles: list[WallTile]
    count: int  # tasks of the lane on every screen
    continued: bool = False
    # A collapsed wall's lane: its group's key and its counts per status (worst first); its
    # tiles are then only its worst tasks (queries.worst_rows).
    key: int | None = None
    counts: list[tuple[TaskStatus, int]] | None = None

    @property
    def span(self) -> int:
        if not self.tiles:  # a collapsed lane with nothing late: its counts only
            return EMPTY_SPAN
        return min(len(self.tiles), SCREEN_COLUMNS)

    @property
    def hidden(self) -> int:
        """Tasks of the lane not shown as tiles (a collapsed lane)."""
        return self.count - len(self.tiles)

    @property
    def height(self) -> int:
        rows = [self.tiles[i : i + self.span] for i in range(0, len(self.tiles), self.span)]
        label_lines = title_lines(self.label, LABEL_CHARS * self.span)
        heights = [max(t.height for t in row) for row in rows] or [COUNTS_LINE]
        summary = COUNTS_LINE if self.counts is not None else 0
        return (
            LANE_HEAD
            + 28 * (label_lines - 1)
            + summary
            + sum(heights)
            + TILE_GAP * (len(heights) - 1)
        )


def lane_badness(rows: list[TaskRow]) -> tuple[int, ...]:
    """Sort key of a lane, worst first: most 逾期, then most 滞后, then most 临期 (the
    headline's counts); a lane with none of them is not worse for having more 正常 tasks."""
    return tuple(-sum(1 for r in rows if r.status == s) for s in HEADLINE)


def collapsed_lanes(
    summaries: list[GroupSummary], worst: dict[int, list[TaskRow]]
) -> list[WallLane]:
    """The lanes of a collapsed wall (queries.battle_map_build above MAP_EXPAND_LIMIT tasks):
    each group's counts per status and its worst tasks as tiles, the lanes worst first by
    their counts (as wall_lanes), lanes alike in the groups' order."""
    order = sorted(summaries, key=lambda g: tuple(-g.counts.get(s, 0) for s in HEADLINE))
    return [
        WallLane(
            g.label,
            [wall_tile(row) for row in worst.get(g.key, [])],
            g.shown,
            key=g.key,
            counts=g.status_counts,
        )
        for g in order
    ]


def wall_lanes(groups: list[RowGroup]) -> list[WallLane]:
    """The lanes worst first (most 逾期 first, …), by category or by unit alike; lanes alike
    keep the map's order."""
    lanes = []
    for group in sorted(groups, key=lambda g: lane_badness(g.rows)):
        tiles = [wall_tile(row) for row in worst_first(group.rows)]
        lanes.append(WallLane(group.label, tiles, len(tiles)))
    return lanes


@dataclass
class Screen:
    lanes: list[WallLane] = field(default_factory=list)
    shelves: list[list[WallLane]] = field(default_factory=list)

    def height_with(self, shelves: list[list[WallLane]]) -> int:
        if not shelves:
            return 0
        return sum(max(lane.height for lane in s) for s in shelves) + SHELF_GAP * (len(shelves) - 1)


def _split(lane: WallLane) -> list[WallLane]:
    """A lane too tall for one screen, in pieces that each fit (the rest marked 续)."""
    if lane.height <= LANES_HEIGHT:
        return [lane]
    pieces, tiles = [], list(lane.tiles)
    while tiles:
        take = SCREEN_COLUMNS
        while take < len(tiles):
            trial = WallLane(lane.label, tiles[: take + SCREEN_COLUMNS], lane.count)
            if trial.height > LANES_HEIGHT:
                break
            take += SCREEN_COLUMNS
        pieces.append(WallLane(lane.label, tiles[:take], lane.count, continued=bool(pieces)))
        tiles = tiles[take:]
    return pieces


def _fits(shelf: list[WallLane], lane: WallLane) -> bool:
    return sum(x.span for x in shelf) + lane.span <= SCREEN_COLUMNS


def wall_screens(lanes: list[WallLane]) -> list[Screen]:
    """The lanes on screens of 1920×1080: first-fit on shelves, a new screen when a lane fits
    on no shelf of the current screen and a new shelf would not fit either."""
    screens = [Screen()]
    for lane in (piece for whole in lanes for piece in _split(whole)):
        screen = screens[-1]
        placed = False
        for i, shelf in enumerate(screen.shelves):
            if not _fits(shelf, lane):
                continue
            trial = screen.shelves[:i] + [shelf + [lane]] + screen.shelves[i + 1 :]
            if screen.height_with(trial) <= LANES_HEIGHT:
                shelf.append(lane)
                placed = True
                break
        if not placed:
            if screen.shelves and screen.height_with(screen.shelves + [[lane]]) > LANES_HEIGHT:
                screen = Screen()
                screens.append(screen)
            screen.shelves.append([lane])
        screen.lanes.append(lane)
    return screens


def ordered_for_grid(screen: Screen) -> list[tuple[int, WallLane]]:
    """The screen's lanes shelf by shelf with their grid row (1-based): the template places
    each lane on its shelf explicitly, so the browser lays out what was measured here."""
    return [(n, lane) for n, shelf in enumerate(screen.shelves, 1) for lane in shelf]


@dataclass
class WallScreenPage:
    lanes: list[tuple[int, WallLane]]
    page: int
    pages: int

    @property
    def next_page(self) -> int:
        return self.page % self.pages + 1

    @property
    def refresh_seconds(self) -> int:
        """Every five minutes; a screen of several pages turns a page every minute."""
        return 300 if self.pages == 1 else 60


def wall_screen_page(lanes: list[WallLane], page: int) -> WallScreenPage:
    """Screen `page` (1-based; out of range: the first) of the lanes."""
    screens = wall_screens(lanes)
    page = page if 1 <= page <= len(screens) else 1
    return WallScreenPage(ordered_for_grid(screens[page - 1]), page, len(screens))
