"""An upper level's indicators its districts' count into, as its report states them: the figure
indicators.rollup computes (a sum of the districts' figures, a rate recomputed from the summed
numerator and denominator), each district part named and linked to the figure it filed.

- a complete sum: “截至7月，固定资产投资各区合计1600万元，占年计划3000万元的53.3％，其中第1区600万元、…”;
  one including a district's estimate (预计数) says so: “…各区合计56400万元（含示范区预计数），…”
- an incomplete one is never printed as the level's figure: “截至7月，工业总产值2个区已报，合计
  900万元，其中第1区…；第3区未报”
- a rate: “截至7月，各区计划开工项目数合计10个，开工项目数合计7个，开工率70.0％” (over fewer than
  calc.SMALL_BASE, the counts alone); a 不可加 indicator is not rolled up and not stated.
"""

from django.urls import reverse

from shigan.indicators import calc
from shigan.indicators.models import Aggregation, MeasureUnit
from shigan.indicators.rollup import RolledFigure
from shigan.reports import wording
from shigan.reports.document import Block, BlockKind, Run, Source

from .context import Ctx, figure
from .levels_data import district_name
from .template import merge


def measured(fig: RolledFigure, value) -> str:
    return wording.scaled(value, MeasureUnit(fig.indicator.measure_unit).label)


def part_source(ctx: Ctx, part: RolledFigure) -> Source:
    indicator = part.indicator
    district = district_name(indicator.district) if indicator.district else ""
    value = measured(part, part.value) if part.value is not None else "未报"
    record = f"indicators.actual:{part.actual_id}" if part.actual_id else ""
    return Source(
        label=f"{district}指标“{indicator.name}”{ctx.levels.month}月",
        value=value,
        url=reverse("indicators:indicator_detail", args=[indicator.pk]),
        record=record or f"indicators.indicator:{indicator.pk}",
    )


def target_source(fig: RolledFigure, ctx: Ctx) -> list[Source]:
    """The target's records: the level's own indicator, or its districts' targets."""
    if fig.target_source == "lowers":
        return [part_source(ctx, p) for p in fig.parts]
    url = reverse("indicators:indicator_detail", args=[fig.indicator.pk])
    label = f"指标“{fig.indicator.name}”{ctx.as_of.year}年目标"
    record = f"indicators.indicator:{fig.indicator.pk}"
    return [Source(label, measured(fig, fig.target), url, record)]


def estimate_note(fig: RolledFigure | None) -> list[Run]:
    """“（含示范区预计数）” after a sum of the districts' figures one of which is an estimate
    (预计数, as the indicator pages mark it), naming those districts; “（预计数）” after a
    level's own figure that is one."""
    if fig is None:
        return []
    if not fig.parts:
        return ["（预计数）"] if fig.estimate else []
    estimated = [p for p in fig.parts if p.value is not None and p.estimate]
    if not estimated:
        return []
    return ["（含" + "、".join(district_name(p.indicator.district) for p in estimated) + "预计数）"]


def parts_runs(ctx: Ctx, fig: RolledFigure, filed: list[RolledFigure]) -> list[Run]:
    runs: list[Run] = ["，其中"]
    for i, part in enumerate(filed):
        key = f"levels.indicator.{part.indicator.pk}"
        value = figure(measured(part, part.value), [part_source(ctx, part)], key)
        runs += (["、"] if i else []) + [district_name(part.indicator.district), value]
    return runs


def sum_runs(ctx: Ctx, fig: RolledFigure) -> list[Run]:
    name, key = fig.indicator.name, f"levels.rolled.{fig.indicator.pk}"
    filed = [p for p in fig.parts if p.value is not None]
    sources = [part_source(ctx, p) for p in filed]
    if not filed:
        return []
    total = figure(measured(fig, fig.lowers_sum), sources, key)
    if fig.missing:
        count = figure(f"{len(filed)}个区", sources, f"{key}.filed")
        missing = "、".join(district_name(m.indicator.district) for m in fig.missing)
        return [
            f"{name}",
            count,
            "已报，合计",
            total,
            *estimate_note(fig),
            *parts_runs(ctx, fig, filed),
            f"；{missing}未报",
        ]
    runs: list[Run] = [f"{name}各区合计", total, *estimate_note(fig)]
    share = calc.completion_share(fig.lowers_sum, fig.target)
    if share is not None:
        target = figure(measured(fig, fig.target), target_source(fig, ctx), f"{key}.target")
        pct = figure(ctx.percent(share), [*sources, *target.sources], f"{key}.completion")
        runs += ["，占年计划", target, "的", pct]
    return runs + parts_runs(ctx, fig, filed)


def rate_runs(ctx: Ctx, fig: RolledFigure) -> list[Run]:
    num, den = fig.numerator, fig.denominator
    if num is None or den is None or fig.missing or num.value is None or den.value is None:
        return []
    key = f"levels.rolled.{fig.indicator.pk}"
    num_sources = [part_source(ctx, p) for p in num.parts] or [part_source(ctx, num)]
    den_sources = [part_source(ctx, p) for p in den.parts] or [part_source(ctx, den)]
    runs: list[Run] = [
        f"各区{den.indicator.name}合计", figure(measured(den, den.value), den_sources, f"{key}.den"),
        *estimate_note(den),
        f"，{num.indicator.name}合计", figure(measured(num, num.value), num_sources, f"{key}.num"),
        *estimate_note(num),
    ]  # fmt: skip
    if calc.is_small_base(den.value) or fig.value is None:
        return runs
    rate = figure(ctx.percent(fig.value), [*num_sources, *den_sources], key)
    return runs + [f"，{fig.indicator.name}", rate]


def indicator_paragraph(ctx: Ctx, number: int) -> Block | None:
    clauses = []
    for fig in ctx.levels.rolled:
        if fig.aggregation == Aggregation.SUM:
            clauses.append(sum_runs(ctx, fig))
        elif fig.aggregation == Aggregation.RATE:
            clauses.append(rate_runs(ctx, fig))
    clauses = [c for c in clauses if c]
    if not clauses:
        return None
    runs: list[Run] = [f"截至{ctx.levels.month}月，"]
    for i, clause in enumerate(clauses):
        runs += (["。"] if i else []) + clause
    runs.append("。")
    head = f"{wording.ordinal_shi(number)}各区主要指标汇总。"
    return Block(BlockKind.PARAGRAPH, merge(runs), head=head)
