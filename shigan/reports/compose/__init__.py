"""build_summary(): the campaign's summary and next-step plan as of a date, as a Document.

Structure (the seed's): title; opening; 一、activities — 一是 organisation and leadership,
二是 atmosphere, 三是 economic work; 二、the task list, one paragraph per list task; 三、the
next-step plan items. An upper level's (a county's, a city's) 二、 also states its
districts' figures after its own tasks (levels.py: hand-downs and their roll-ups, its indicators
summed from its districts', each district's tasks and indicators); its other paragraphs state
its own level's records only. People's narrative (NarrativeText, current for the as-of month) supplies
titles, lead-ins and the words around the figures; every figure is generated from records
(activities.py, economy.py, indicators.py, tasks.py) and carries its sources.

The records are loaded up front in a fixed number of queries (data.py, indicator_data.py), so
the build costs the same number of queries for 3 tasks or 300.
"""

import datetime

from shigan.campaigns.models import Campaign
from shigan.core.clock import month_start
from shigan.reports.document import Document
from shigan.reports.models import NarrativeSlot
from shigan.reports.queries import narrative_current

from . import activities, economy, frame, indicators, levels, people, plan, tasks
from .context import Ctx, ReportOptions
from .data import activity_facts, campaign_loaded, economy_facts, people_facts, task_facts
from .indicator_data import indicator_facts
from .levels_data import level_facts
from .plan_data import plan_facts
from .template import UNKNOWN, Resolver, placeholders

__all__ = ["ReportOptions", "build_summary", "draft_texts", "known_placeholder", "BLOCK_NAMES"]

BLOCKS = {
    **frame.BLOCKS,
    **activities.BLOCKS,
    **economy.BLOCKS,
    **indicators.BLOCKS,
    **people.BLOCKS,
    **plan.BLOCKS,
}
TASK_BLOCKS = {"最新进展", "下一步节点"}
BLOCK_NAMES = [*BLOCKS, *TASK_BLOCKS]


def resolver(ctx: Ctx) -> Resolver:
    """Placeholder → runs (None when no record backs it), each block computed once."""

    def resolve(key: str):
        if key in BLOCKS:
            if key not in ctx.cache:
                ctx.cache[key] = BLOCKS[key](ctx)
            return ctx.cache[key]
        if key in TASK_BLOCKS:
            return UNKNOWN  # outside a task paragraph
        return indicators.indicator_reference(ctx, key)

    return resolve


def referenced_indicators(ctx: Ctx) -> set[int]:
    """Indicators the narrative names itself; the 经济指标 sentences do not repeat them."""
    found = set()
    for version in ctx.narrative.values():
        for key in placeholders(version.body):
            if key in BLOCKS:
                continue
            name, _ = indicators.split_reference(key)
            if name in ctx.indicators.by_name:
                found.add(ctx.indicators.by_name[name])
    return found


def context(campaign: Campaign, as_of: datetime.date, options: ReportOptions) -> Ctx:
    campaign = campaign_loaded(campaign)
    ctx = Ctx(
        campaign=campaign,
        as_of=as_of,
        options=options,
        activity=activity_facts(campaign, as_of),
        economy=economy_facts(campaign, as_of),
        indicators=indicator_facts(campaign, as_of, mode=options.time_progress_mode),
        tasks=task_facts(campaign, as_of),
        people=people_facts(campaign, as_of),
        plan=plan_facts(campaign, as_of, months=options.plan_months),
        narrative=narrative_current(campaign, month_start(as_of)),
    )
    ctx.referenced = referenced_indicators(ctx)
    ctx.levels = level_facts(campaign, as_of, ctx.tasks.rows)
    return ctx


def plan_section(ctx: Ctx, resolve: Resolver) -> list:
    """三、: the plan's own items （一）（二）（三）, then the parts of the draft generated from the
    records, numbered on (plan.py)."""
    items = frame.plan_items(ctx, resolve)
    return items + plan.draft_blocks(ctx, resolve, first=len(items) + 1)


def draft_texts(campaign: Campaign, as_of: datetime.date) -> dict[int, tuple[str, str]]:
    """The generated next-step draft as of `as_of` as text, per part (for the narrative form)."""
    ctx = context(campaign, as_of, ReportOptions())
    resolve = resolver(ctx)
    task_section(ctx, resolve)
    return plan.draft_texts(ctx, resolve)


def task_section(ctx: Ctx, resolve: Resolver) -> list:
    """二、as printed (none when its slot is left blank); notes the coming milestones its
    paragraphs state (ctx.stated_milestones), which the draft's 到期节点 does not repeat."""
    body = tasks.task_paragraphs(ctx, resolve)
    body += levels.level_paragraphs(ctx, first=len(body) + 1)
    printed = frame.section(ctx, NarrativeSlot.TASKS, 0, resolve, body)
    ctx.stated_milestones = plan.milestones_stated(ctx.plan.coming, printed)
    return body


def sections(ctx: Ctx, resolve: Resolver) -> list:
    """The three numbered sections, numbered by those present. 二、before 三、: the draft does
    not repeat a milestone 二、states. A section with nothing under it (a county without
    activities or a plan of its own) is left out, its heading and default lead-in too, unless
    someone wrote that lead-in: it is then what the section says."""
    parts = [
        (NarrativeSlot.ACTIVITIES, frame.activity_paragraphs(ctx, resolve)),
        (NarrativeSlot.TASKS, task_section(ctx, resolve)),
        (NarrativeSlot.PLAN, plan_section(ctx, resolve)),
    ]
    blocks = []
    number = 0
    for slot, body in parts:
        if not body and not frame.lead_written(ctx, slot):
            continue
        section = frame.section(ctx, slot, number + 1, resolve, body)
        if section:
            number += 1
            blocks += section
    return blocks


def build_summary(
    *, campaign: Campaign, as_of: datetime.date, options: ReportOptions | None = None
) -> Document:
    """The summary report of `campaign` as of `as_of` (see the module docstring)."""
    options = options or ReportOptions()
    ctx = context(campaign, as_of, options)
    resolve = resolver(ctx)
    return Document(
        title=frame.title(ctx),
        blocks=frame.opening(ctx, resolve) + sections(ctx, resolve),
        signature=frame.signature(ctx),
        date=options.date or as_of,
        as_of=as_of,
    )


def known_placeholder(key: str, indicator_names: set[str]) -> bool:
    """Whether a narrative may name `key`: a clause, or an indicator (with an attribute)."""
    if key in BLOCKS or key in TASK_BLOCKS:
        return True
    name, attribute = indicators.split_reference(key)
    return name in indicator_names and attribute in {"", "目标", "完成率", "增减", "同比"}
