"""The next-step draft generated from the records, after the plan's own items in 三、下一步工作计划:

    （四）紧盯时间节点，确保按期完成。8月底前需完成任务节点3个：清凉河治理二期工程8月4日前完成
    1公里堤防基础施工（水务站牵头）；……。各牵头单位要倒排工期、压实责任，确保按期完成。
    （五）聚焦滞后事项，加快补齐短板。截至7月31日，有3项工作逾期、1项工作滞后：……
    （六）对标序时进度，确保完成全年目标。1-7月，有3项指标进度滞后：完成工业总产值22000万元，
    占年计划55500万元的39.6％，低于序时进度18.7个百分点；……

Each part is a PLAN_DRAFT narrative slot (order 1, 2, 3). Until the coordinator edits it for the
report's month the part is generated; an edited version replaces it for that month only, and
restoring saves the part's default body (its placeholder), which is generated again. A part whose
records are empty is left out. The gap to 序时进度 is the indicator's (calc.printed_gap via
IndicatorFigure.gap); the items and milestones come from plan_data.
"""

import dataclasses
import re
from dataclasses import dataclass

from shigan.core import clock
from shigan.indicators import calc
from shigan.reports import wording
from shigan.reports.document import Block, BlockKind, Figure, Run
from shigan.reports.models import NarrativeSlot
from shigan.tasks.models import ChangeKind, TaskOrigin
from shigan.tasks.status import TaskStatus

from .context import Ctx, figure
from .indicator_data import IndicatorFigure
from .indicators import share_figure, target_figure, value_figure
from .links import source
from .plan_data import LIST_LIMIT
from .tasks import LEADING_DATE, milestone_runs
from .template import Resolver, expand, merge


@dataclass(frozen=True)
class DraftPart:
    order: int
    title: str
    block: str  # the generated clause
    closing: str  # the sentence that follows it in the default body

    @property
    def default_body(self) -> str:
        return f"【{self.block}】。{self.closing}"


PARTS = (
    DraftPart(1, "紧盯时间节点，确保按期完成", "到期节点", "各牵头单位要倒排工期、压实责任，确保按期完成。"),
    DraftPart(2, "聚焦滞后事项，加快补齐短板", "滞后事项", "要逐项查找原因，明确措施和时限，尽快赶上进度。"),
    DraftPart(3, "对标序时进度，确保完成全年目标", "序时进度", "要逐项分析原因，加压推进，确保完成全年目标任务。"),
)  # fmt: skip
FIRST_SENTENCE = re.compile(r"^[^。；！？\n]{1,60}")


def item_label(task) -> str:
    """How the draft names a tracked item: a list task by its title, the others by their kind
    and a short title (a finding's title is its problem: 整改：… → “…”问题整改)."""
    title = task.title.strip().removeprefix("整改：").removeprefix("整改:")
    short = re.split(r"[，。；：]", title, maxsplit=1)[0] or title
    if task.origin == TaskOrigin.DECISION:
        return f"会议议定事项“{short}”"
    if task.origin == TaskOrigin.FINDING:
        return f"督查发现的“{short}”问题整改"
    if task.origin == TaskOrigin.PROMISE:
        return f"办实事项目“{short}”"
    return short


def _lead_unit(task) -> str:
    return f"（{task.lead_unit.label}牵头）"


def _day(day, obj, label: str, key: str) -> Figure:
    return figure(wording.month_day(day), [source(obj, label, day.isoformat())], key)


def _count(items: list, measure: str, key: str, label) -> Figure:
    return figure(wording.tally(len(items), measure), [label(i) for i in items], key)


def _joined(items: list[list[Run]], more: bool) -> list[Run]:
    runs: list[Run] = []
    for i, item in enumerate(items):
        runs += (["；"] if i else []) + item
    return runs + (["等"] if more else [])


def milestones_stated(milestones: list, blocks: list[Block]) -> set[int]:
    """The milestones `blocks` state: by their due-date figure (a task's 下一步节点), or by their
    title (without its typed date, 4 characters or more) in the text (a progress report's own
    下一步，8月4日前完成1公里堤防基础施工)."""
    keys = {f.key for b in blocks for f in b.figures}
    text = "".join(b.text for b in blocks)
    stated = set()
    for m in milestones:
        title = LEADING_DATE.sub("", m.title).strip().rstrip("。；，、 ")
        if f"milestone.{m.pk}" in keys or (len(title) >= 4 and title in text):
            stated.add(m.pk)
    return stated


def coming(ctx: Ctx) -> list[Run] | None:
    """8月底前需完成任务节点3个：<item><date><milestone>（<unit>牵头）；… — without those the
    task paragraphs (二、) already state (除上述外，8月底前还需完成任务节点2个：…); left out when
    二、states them all."""
    milestones = [m for m in ctx.plan.coming if m.pk not in ctx.stated_milestones]
    if not milestones:
        return None
    horizon = ctx.plan.horizon
    when = (
        f"{horizon.month}月底前"
        if horizon.year == ctx.as_of.year
        else f"{horizon:%Y}年{horizon.month}月底前"
    )

    def label(m):
        return source(m, f"节点“{m.title}”计划完成日期", m.due_date.isoformat())

    items = [
        [item_label(m.task), *milestone_runs(m), _lead_unit(m.task)]
        for m in milestones[:LIST_LIMIT]
    ]
    lead = "，主要有：" if len(milestones) > LIST_LIMIT else "："
    count = _count(milestones, "个", "plan.milestones", label)
    opening = (
        f"除上述外，{when}还需完成任务节点"
        if len(milestones) < len(ctx.plan.coming)
        else f"{when}需完成任务节点"
    )
    return [opening, count, lead, *_joined(items, len(milestones) > LIST_LIMIT)]


def _waits_on(ctx: Ctx, row) -> list[Run]:
    """What an item behind schedule waits on: a change request pending approval, else its
    latest progress report's first sentence, else that none was filed."""
    request = ctx.plan.pending.get(row.task.pk)
    if request is not None:
        if request.kind == ChangeKind.EXTEND and request.proposed_due_date:
            day = _day(
                request.proposed_due_date, request, "申请调整后的时限", f"plan.request.{request.pk}"
            )
            return ["，已申请将完成时限调整至", day, "，待审批"]
        return [f"，已申请{request.get_kind_display()}，待审批"]
    text = FIRST_SENTENCE.match((row.last_progress_text or "").strip())
    if text:
        return [f"，最新进展为“{text.group(0).rstrip('，、：')}”"]
    return ["，尚未报送进展"]


def _behind_item(ctx: Ctx, row) -> list[Run]:
    """…（<unit>牵头）完成时限为6月30日，已逾期 (逾期: its own deadline passed) /
    “<milestone>”节点（计划4月30日前）未按期完成 (滞后: a milestone late, the item's deadline still
    ahead), then what it waits on; so the list words as many items 逾期 as the count states."""
    task = row.task
    runs: list[Run] = [item_label(task), _lead_unit(task)]
    milestone = ctx.plan.open_milestones.get(task.pk)
    if row.status == TaskStatus.OVERDUE:
        day = _day(row.due_date, task, f"“{task.title}”完成时限", f"plan.due.{task.pk}")
        runs += ["完成时限为", day, "，已逾期"]
    elif milestone is not None:
        label = f"节点“{milestone.title}”计划完成日期"
        day = _day(milestone.due_date, milestone, label, f"plan.ms.{milestone.pk}")
        title = LEADING_DATE.sub("", milestone.title)
        # 滞后, not 逾期: the item's own deadline has not passed, its milestone's has.
        runs += [f"“{title}”节点（计划", day, "前）未按期完成"]
    else:
        runs += ["节点完成数落后于计划安排"]
    return runs + _waits_on(ctx, row)


def behind(ctx: Ctx) -> list[Run] | None:
    """截至7月31日，有3项工作逾期、1项工作滞后：<item>（<unit>牵头）完成时限为6月30日，尚未办结，
    <what it waits on>；… (an item behind by the schedule share: 节点完成数落后于计划安排)"""
    rows = ctx.plan.behind
    if not rows:
        return None

    def label(row):
        return source(row.task, f"“{row.task.title}”{row.status.label}", row.status.label)

    counts: list[Run] = []
    for status, key in ((TaskStatus.OVERDUE, "overdue"), (TaskStatus.BEHIND, "behind")):
        of_status = [r for r in rows if r.status == status]
        if of_status:
            counts += (["、"] if counts else []) + [
                _count(of_status, "项", f"plan.{key}", label),
                f"工作{status.label}",
            ]
    lead = "，主要有：" if len(rows) > LIST_LIMIT else "："
    items = [_behind_item(ctx, row) for row in ctx.plan.listed]
    as_of = wording.month_day(ctx.as_of)
    return [f"截至{as_of}，有", *counts, lead, *_joined(items, len(rows) > LIST_LIMIT)]


def _is_behind(fig: IndicatorFigure) -> bool:
    if not fig.indicator.is_cumulative or fig.completion is None:
        return False
    status = calc.indicator_status(
        fig.completion, fig.time_progress, lower_is_better=fig.indicator.lower_is_better
    )
    return status in (calc.IndicatorStatus.YELLOW, calc.IndicatorStatus.RED)


def _keyed(fig: Figure, key: str) -> Figure:
    return dataclasses.replace(fig, key=f"plan.{key}")


def _indicator_item(ctx: Ctx, fig: IndicatorFigure, period: str) -> list[Run]:
    """[1-6月，]完成工业总产值22000万元，占年计划55500万元的39.6％，低于序时进度18.7个百分点"""
    estimate = wording.estimate_word(fig.actual.is_estimate)
    pk = fig.indicator.pk
    gap = figure(
        wording.points(fig.gap), list(share_figure(fig, ctx).sources), f"plan.indicator.{pk}.gap"
    )
    return [
        period,
        f"{estimate}完成{fig.label}",
        _keyed(value_figure(fig, ctx), f"indicator.{pk}.value"),
        f"，占{fig.phrasing.target_word}",
        _keyed(target_figure(fig, ctx), f"indicator.{pk}.target"),
        "的",
        _keyed(share_figure(fig, ctx), f"indicator.{pk}.share"),
        f"，{wording.time_gap_words(fig.gap)}",
        gap,
    ]


def _months(fig: IndicatorFigure, ctx: Ctx) -> str:
    """1-7月 (the months the time progress counts); 截至7月31日 when counted by days."""
    if ctx.options.time_progress_mode == calc.TimeProgressMode.DAYS:
        return f"截至{wording.month_day(min(ctx.as_of, clock.month_end(ctx.as_of)))}"
    return f"1-{fig.month}月" if fig.month > 1 else "1月"


def time_progress(ctx: Ctx) -> list[Run] | None:
    """1-7月，有2项指标进度滞后：完成工业总产值22000万元，占年计划55500万元的39.6％，低于序时
    进度18.7个百分点；… — the period once when every indicator's figure is of the same month,
    else before each."""
    behind = [f for f in ctx.indicators.figures.values() if _is_behind(f)]
    if not behind:
        return None
    periods = {_months(f, ctx) for f in behind}
    shared = periods.pop() if len(periods) == 1 else ""
    items = [
        _indicator_item(ctx, f, "" if shared else f"{_months(f, ctx)}，")
        for f in behind[:LIST_LIMIT]
    ]

    def label(f):
        return source(
            f.actual,
            f"指标“{f.indicator.name}”{f.actual.year}年{f.month}月",
            wording.number(f.actual.value),
        )

    count = _count(behind, "项", "plan.indicators_behind", label)
    lead = "，主要有：" if len(behind) > LIST_LIMIT else "："
    # "有4项指标进度滞后", not "…低于序时进度": a count, not a gap the checker would look for.
    opening = [f"{shared}，有" if shared else "有", count, "指标进度滞后", lead]
    return [*opening, *_joined(items, len(behind) > LIST_LIMIT)]


BLOCKS = {"到期节点": coming, "滞后事项": behind, "序时进度": time_progress}
PART_BLOCKS = {part.block: part for part in PARTS}


def _version(ctx: Ctx, part: DraftPart):
    """The coordinator's version of a part for the report's month, or None (generated)."""
    version = ctx.narrative.get((NarrativeSlot.PLAN_DRAFT, part.order))
    if version is None or version.period != clock.month_start(ctx.as_of):
        return None
    if version.body.strip() == part.default_body and version.title.strip() in ("", part.title):
        return None
    return version


def part_text(ctx: Ctx, part: DraftPart, resolve: Resolver) -> tuple[str, list[Run]] | None:
    """(title, body runs) of one part: the edited version of the month, else the generated
    draft; None when it is left out (saved blank, or nothing to say)."""
    version = _version(ctx, part)
    if version is not None:
        if version.is_blank:
            return None
        return version.title.strip() or part.title, expand(version.body.strip(), resolve)
    generated = resolve(part.block)
    if not generated:
        return None
    return part.title, merge([*generated, "。", part.closing])


def draft_blocks(ctx: Ctx, resolve: Resolver, first: int) -> list[Block]:
    """The draft's parts as numbered paragraphs （first）…, run-in heads in 楷体."""
    blocks = []
    for part in PARTS:
        text = part_text(ctx, part, resolve)
        if text is None:
            continue
        title, runs = text
        head = f"{wording.ordinal_paren(first + len(blocks))}{title.rstrip('。；，、 ')}。"
        blocks.append(Block(BlockKind.PARAGRAPH, runs, head=head))
    return blocks


def draft_texts(ctx: Ctx, resolve: Resolver) -> dict[int, tuple[str, str]]:
    """Per part, the generated (title, body) as plain text, for the narrative form ("" body when
    there is nothing to say)."""
    texts = {}
    for part in PARTS:
        generated = resolve(part.block)
        runs = merge([*generated, "。", part.closing]) if generated else []
        texts[part.order] = (part.title, "".join(r if isinstance(r, str) else r.text for r in runs))
    return texts
