"""The task and indicator cards: tasks by computed status, the headline figures (主要指标)."""

from django.urls import reverse

from shigan.indicators.access import (
    indicator_units_overseen,
    indicators_visible_to,
    reads_district_indicators,
)
from shigan.indicators.calc import IndicatorStatus, pct_number, pct_text, plain
from shigan.indicators.models import Indicator
from shigan.indicators.queries import IndicatorRow
from shigan.indicators.rolled import rolled_summary, with_level_names
from shigan.tasks.queries import status_counts_by
from shigan.tasks.status import TaskStatus

from ..lens import Lens, extend
from .cards import CardItem, CockpitCard, HeadlineFigure


def tasks_card(lens: Lens) -> CockpitCard:
    """Tasks by computed status (counted by the database per campaign: tasks.status_sql), each
    linking to where they are listed (Lens.tasks_url): the battle map filtered by that status,
    or 下级对比 when a roll-up's tasks of that status span several campaigns."""
    kept = lens.kept_counts  # a roll-up's, from the campaigns' counts of the day
    if kept is not None:
        by_campaign = {pk: found["tasks"] for pk, found in kept.items()}
    else:
        by_campaign = status_counts_by(lens.tracked(), lens.as_of, "campaign_id")
    counts = {s: sum(c[s] for c in by_campaign.values()) for s in TaskStatus}
    total = sum(counts.values())
    card = CockpitCard(
        "tasks",
        "任务进度",
        total or None,
        "项任务",
        empty_text="暂无任务：专班导入任务清单后在此统计。",
        scope_tag=lens.unit_tag,
    )
    card.counts = dict(counts)
    card.url = lens.tasks_url(set(by_campaign))
    card.status_urls = {
        s: lens.tasks_url({k for k, c in by_campaign.items() if c[s]}, s.value) for s in TaskStatus
    }
    card.items = [
        CardItem(s.label, str(counts[s]), s.value, card.status_urls[s])
        for s in TaskStatus
        if counts[s]
    ]
    late = counts[TaskStatus.OVERDUE] + counts[TaskStatus.BEHIND]
    card.note = f"逾期、滞后共{late}项" if late else "无逾期、滞后任务"
    if lens.rollup:
        card.note = f"本级和下级{lens.campaign.year}年各活动 · {card.note}"
    card.tone = next((s.value for s in (TaskStatus.OVERDUE, TaskStatus.BEHIND) if counts[s]), "")
    return card


def _indicator_item(row: IndicatorRow) -> CardItem:
    tp = row.time_progress_pct
    benchmark = "时点指标，对照目标100%" if tp is None else f"序时进度{pct_text(tp)}"
    return CardItem(
        row.display_name,
        f"差{pct_number(abs(row.gap_points))}个百分点",
        row.status.value,
        hint=f"完成{pct_text(row.completion_pct)}，{benchmark}",
    )


# The headline figures worst first, as the indicator table's tiles (docs/style.md): 明显滞后,
# 略低于序时, 达序时, then those without a figure or a target.
FIGURE_ORDER = [
    IndicatorStatus.RED,
    IndicatorStatus.YELLOW,
    IndicatorStatus.GREEN,
    IndicatorStatus.MISSING,
    IndicatorStatus.GREY,
]


def _figure(row: IndicatorRow, year: int, mine: set[int]) -> HeadlineFigure:
    ind = row.indicator
    measure = ind.get_measure_unit_display()
    rolled = row.rolled
    shown = rolled.value if rolled is not None else row.value
    value = f"{plain(shown)}{measure}" if shown is not None else "未填报"
    if rolled is not None:
        value += "（下级汇总" + ("，含预计）" if rolled.estimate else "）")
    elif row.is_estimate:
        value += "（预计）"
    tp = row.time_progress_pct
    return HeadlineFigure(
        name=row.display_name,
        value=value,
        completion="" if row.completion_pct is None else f"完成{pct_text(row.completion_pct)}",
        benchmark="无年度目标"
        if row.target is None
        else ("时点指标" if tp is None else f"序时{pct_text(tp)}"),
        status=row.status.value,
        status_label=row.status.label,
        url=f"{reverse('indicators:indicator_detail', args=[ind.pk])}?year={year}",
        mine=ind.responsible_unit_id in mine,
    )


def headline_figures(rows: list[IndicatorRow], year: int, mine: set[int]) -> list:
    ranked = sorted(rows, key=lambda r: FIGURE_ORDER.index(r.status))
    return [_figure(r, year, mine) for r in ranked]


def indicators_card(lens: Lens, url: str) -> CockpitCard:
    """The district's headline figures (主要指标): every indicator the user reads with its
    completion against 序时进度, worst first, and as the card's figure those behind time
    progress, red first, as the indicator table colours them (indicators.rolled
    .rolled_summary: a level without its own figure reads its lowers' 下级汇总). A leader
    reads the district's indicators (indicators.access), tagged
    全区 (全县…: Lens.wide) beside his other cards' 分管 scope."""
    indicators = indicators_visible_to(lens.user, Indicator.objects.all())
    if lens.unit:
        indicators = indicators.filter(responsible_unit=lens.unit)
    summary = rolled_summary(indicators, lens.campaign.year, lens.as_of)
    year, month, missing = summary.year, summary.month, summary.missing
    card = CockpitCard("indicators", "主要指标", None, "项落后于序时进度")
    # Beside an upper level's cards tagged 本级 (or a lower level's name), said here too.
    if (reads_district_indicators(lens.user) or lens.own_level_tag) and lens.unit is None:
        card.scope_tag = lens.wide
    card.empty_text = (
        f"{year}年暂无指标数据：指标及年度目标由专班在「指标」页设置，各单位每月填报。"
    )
    card.url = extend(url, period=f"{year}-{month:02d}" if month else "", unit=lens.unit_id)
    if not summary.rows:
        return card
    with_level_names(summary.rows, lens.user)
    behind = summary.behind
    card.value, card.items = len(behind), [_indicator_item(r) for r in behind]
    card.figures = headline_figures(summary.rows, year, indicator_units_overseen(lens.user))
    card.counts = {s: sum(r.status == s for r in summary.rows) for s in FIGURE_ORDER}
    card.note = f"{year}年{month}月，共{len(summary.rows)}项指标" + (
        f"，{missing}项未填报" if missing else ""
    )
    card.tone = behind[0].status.value if behind else ""
    return card
