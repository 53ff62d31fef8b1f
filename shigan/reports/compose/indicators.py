"""The indicator sentences, in the genre's wording, each figure carrying its records:

    预计完成固定资产投资33000万元，占年计划74200万元的44.5％
    完成工业总产值22000万元，占年计划55500万元的39.6％，1-7月序时进度58.3％，低于序时进度18.7个百分点
    夏粮实产预计完成7272吨，比去年的7081吨增加191吨
    生猪出栏、牛出栏、羊出栏、家禽出笼分别达到13631头、139头、581头、133018只，分别比同期不同程度增长

How each indicator is worded comes from its IndicatorPhrasing (or the defaults of
indicator_data.default_phrasing). An indicator with no figure as of the date is left out.

Every computed figure states the figures it is computed from, so that `shigan check-report`
recomputes it from the text alone: a share always states its target (a share without its base could
not be checked; the phrasing has no option to hide it), a change states last year's
figure, a gap to 序时进度 states the time progress and its months. The gap is the printed
completion minus the printed time progress (calc.printed_gap, the derived-figure rule of
shigan.core.numbers).
"""

from shigan.indicators.calc import TimeProgressMode, plain
from shigan.indicators.models import MeasureUnit
from shigan.reports import wording
from shigan.reports.document import Figure, Run
from shigan.reports.models import PhraseStyle

from .context import Ctx, figure
from .indicator_data import IndicatorFigure
from .links import source
from .template import UNKNOWN, Resolution


def _measure(fig: IndicatorFigure, ctx: Ctx) -> str:
    if fig.indicator.measure_unit == MeasureUnit.PERCENT:
        return ctx.options.percent_sign
    return MeasureUnit(fig.indicator.measure_unit).label


def _quantity(fig: IndicatorFigure, ctx: Ctx, value) -> str:
    if fig.phrasing.approximate:
        return f"{wording.approximate(value)}{_measure(fig, ctx)}"
    return wording.scaled(value, _measure(fig, ctx), fig.phrasing.scale)


def actual_source(fig: IndicatorFigure):
    a = fig.actual
    kind = "预计数" if a.is_estimate else "完成值"
    stored = f"{plain(a.value)}{MeasureUnit(fig.indicator.measure_unit).label}"
    return source(
        a,
        f"指标“{fig.indicator.name}”{a.year}年{a.month}月{kind}",
        stored + ("（预计）" if a.is_estimate else ""),
    )


def target_source(fig: IndicatorFigure):
    t = fig.target
    return source(t, f"指标“{fig.indicator.name}”{t.year}年年度目标", plain(t.annual_target))


def same_source(fig: IndicatorFigure):
    s = fig.same
    return source(s, f"指标“{fig.indicator.name}”{s.year - 1}年{s.month}月同期数", plain(s.value))


def value_figure(fig: IndicatorFigure, ctx: Ctx) -> Figure:
    key = f"indicator.{fig.indicator.pk}.value"
    return figure(_quantity(fig, ctx, fig.actual.value), [actual_source(fig)], key)


def target_figure(fig: IndicatorFigure, ctx: Ctx) -> Figure:
    key = f"indicator.{fig.indicator.pk}.target"
    return figure(_quantity(fig, ctx, fig.target.annual_target), [target_source(fig)], key)


def share_figure(fig: IndicatorFigure, ctx: Ctx) -> Figure:
    key = f"indicator.{fig.indicator.pk}.share"
    return figure(ctx.percent(fig.completion), [actual_source(fig), target_source(fig)], key)


def same_figure(fig: IndicatorFigure, ctx: Ctx) -> Figure:
    key = f"indicator.{fig.indicator.pk}.same"
    return figure(_quantity(fig, ctx, fig.same.value), [same_source(fig)], key)


def time_progress_figure(fig: IndicatorFigure, ctx: Ctx) -> Figure:
    key = f"indicator.{fig.indicator.pk}.time_progress"
    return figure(ctx.percent(fig.time_progress), [actual_source(fig)], key)


def difference_figure(fig: IndicatorFigure, ctx: Ctx) -> Figure:
    key = f"indicator.{fig.indicator.pk}.difference"
    return figure(
        _quantity(fig, ctx, abs(fig.difference)), [actual_source(fig), same_source(fig)], key
    )


def change_pct_figure(fig: IndicatorFigure, ctx: Ctx) -> Figure:
    key = f"indicator.{fig.indicator.pk}.change_pct"
    return figure(ctx.percent(abs(fig.change_pct)), [actual_source(fig), same_source(fig)], key)


def _head(fig: IndicatorFigure, ctx: Ctx) -> list[Run]:
    estimate = wording.estimate_word(fig.actual.is_estimate)
    if fig.phrasing.style == PhraseStyle.NAME_FIRST:
        return [fig.label, f"{estimate}完成" if estimate else "", value_figure(fig, ctx)]
    return [f"{estimate}完成{fig.label}", value_figure(fig, ctx)]


def _share(fig: IndicatorFigure, ctx: Ctx) -> list[Run]:
    if not (fig.phrasing.show_share and fig.completion is not None):
        return []
    word = fig.phrasing.target_word
    return [f"占{word}", target_figure(fig, ctx), "的", share_figure(fig, ctx)]


def _period(fig: IndicatorFigure, ctx: Ctx) -> str:
    """1-7月 (the months the time progress counts), or nothing when it is counted by days."""
    if ctx.options.time_progress_mode == TimeProgressMode.DAYS:
        return ""
    return f"1-{fig.month}月" if fig.month > 1 else "1月"


def _time_gap(fig: IndicatorFigure, ctx: Ctx) -> list[Run]:
    """1-7月序时进度58.3％，低于序时进度18.7个百分点 — the gap beside both figures it is the
    difference of, computed from them as printed (IndicatorFigure.gap)."""
    if not (fig.phrasing.show_time_gap and fig.gap is not None):
        return []
    progress = [f"{_period(fig, ctx)}序时进度", time_progress_figure(fig, ctx), "，"]
    words = wording.time_gap_words(fig.gap)
    if words.startswith("与"):
        return [*progress, words]
    sources = [actual_source(fig), target_source(fig)]
    gap = figure(wording.points(fig.gap), sources, f"indicator.{fig.indicator.pk}.gap")
    return [*progress, words, gap]


def _difference(fig: IndicatorFigure, ctx: Ctx) -> list[Run]:
    """比去年的7081吨增加191吨 (last year's figure stated: the change is checkable)."""
    word, _ = wording.change_words(fig.difference)
    if word == "持平":
        return ["与去年的", same_figure(fig, ctx), "持平"]
    return ["比去年的", same_figure(fig, ctx), word, difference_figure(fig, ctx)]


def _growth(fig: IndicatorFigure, ctx: Ctx, *, base_stated: bool) -> list[Run]:
    """同比增长2.7％ after the stated change; 比去年同期的7081吨增长2.7％ on its own."""
    word = wording.growth_word(fig.change_pct)
    if word == "持平":
        return (
            ["与去年同期持平"] if base_stated else ["与去年同期的", same_figure(fig, ctx), "持平"]
        )
    lead = [f"同比{word}"] if base_stated else ["比去年同期的", same_figure(fig, ctx), word]
    return [*lead, change_pct_figure(fig, ctx)]


def _change(fig: IndicatorFigure, ctx: Ctx) -> list[Run]:
    runs: list[Run] = []
    if fig.phrasing.show_change and fig.difference is not None:
        runs += _difference(fig, ctx)
    if fig.phrasing.show_change_pct and fig.change_pct is not None:
        runs += (["，"] if runs else []) + _growth(fig, ctx, base_stated=bool(runs))
    return runs


def single_sentence(fig: IndicatorFigure, ctx: Ctx) -> list[Run]:
    parts = [_head(fig, ctx), _share(fig, ctx), _time_gap(fig, ctx), _change(fig, ctx)]
    runs: list[Run] = []
    for part in parts:
        if part:
            runs += (["，"] if runs else []) + part
    return runs


def _group_change(figs: list[IndicatorFigure], ctx: Ctx) -> list[Run]:
    """分别比同期不同程度增长 when all went the same way, else each change in turn."""
    wanted = any(f.phrasing.show_change or f.phrasing.show_change_pct for f in figs)
    if not wanted or any(f.difference is None for f in figs):
        return []
    sources = [s for f in figs for s in (actual_source(f), same_source(f))]
    same_way = wording.group_change_phrase([f.difference for f in figs])
    if same_way:
        return [figure(same_way, sources, "group.change")]
    use_pct = all(f.change_pct is not None for f in figs)
    runs: list[Run] = ["分别比同期"]
    for i, f in enumerate(figs):
        runs.append("、" if i else "")
        if use_pct:
            word = wording.growth_word(f.change_pct)
            runs += ["持平"] if word == "持平" else [word, change_pct_figure(f, ctx)]
        else:
            word, _ = wording.change_words(f.difference)
            runs += ["持平"] if word == "持平" else [word, difference_figure(f, ctx)]
    return runs


def group_sentence(figs: list[IndicatorFigure], ctx: Ctx) -> list[Run]:
    """生猪出栏、牛出栏…分别达到13631头、139头…，分别比同期不同程度增长"""
    estimate = wording.estimate_word(figs[0].actual.is_estimate)
    runs: list[Run] = [wording.names_list([f.label for f in figs]), f"{estimate}分别达到"]
    for i, f in enumerate(figs):
        runs += ["、" if i else "", value_figure(f, ctx)]
    change = _group_change(figs, ctx)
    return runs + (["，", *change] if change else [])


def _groups(figs: list[IndicatorFigure]) -> list[list[IndicatorFigure]]:
    """Consecutive figures of one group (and one estimate flag) together; others alone."""
    groups: list[list[IndicatorFigure]] = []
    for f in figs:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and f.phrasing.group
            and f.phrasing.group == last.phrasing.group
            and f.actual.is_estimate == last.actual.is_estimate
        ):
            groups[-1].append(f)
        else:
            groups.append([f])
    return groups


def indicator_sentences(ctx: Ctx) -> list[Run] | None:
    """The 经济指标 clause: every summary indicator with a figure, not named elsewhere in the
    narrative, in order, joined with ；."""
    facts = ctx.indicators
    figs = [
        facts.figures[i] for i in facts.summary if i in facts.figures and i not in ctx.referenced
    ]
    runs: list[Run] = []
    for group in _groups(figs):
        sentence = single_sentence(group[0], ctx) if len(group) == 1 else group_sentence(group, ctx)
        runs += (["；"] if runs else []) + sentence
    return runs or None


ATTRIBUTES = {"": value_figure, "目标": target_figure, "完成率": share_figure}


def split_reference(key: str) -> tuple[str, str]:
    name, _, attribute = key.partition(".")
    return name, attribute


def indicator_reference(ctx: Ctx, key: str) -> Resolution:
    """【名称】, 【名称.目标】, 【名称.完成率】, 【名称.增减】, 【名称.同比】 — None when the
    figure has no record as of the date; UNKNOWN when the name is no indicator's."""
    name, attribute = split_reference(key)
    indicator_id = ctx.indicators.by_name.get(name)
    if indicator_id is None or attribute not in {*ATTRIBUTES, "增减", "同比"}:
        return UNKNOWN
    fig = ctx.indicators.figures.get(indicator_id)
    if fig is None:
        return None
    if attribute in {"目标", "完成率"} and fig.completion is None:
        return None
    if attribute in {"增减", "同比"}:
        return _reference_change(fig, ctx, attribute)
    return [ATTRIBUTES[attribute](fig, ctx)]


def _reference_change(fig: IndicatorFigure, ctx: Ctx, attribute: str) -> Resolution:
    if fig.difference is None or (attribute == "同比" and fig.change_pct is None):
        return None
    if attribute == "增减":
        return _difference(fig, ctx)
    return _growth(fig, ctx, base_stated=False)


BLOCKS = {"经济指标": indicator_sentences}
