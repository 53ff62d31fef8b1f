"""二、the task list: one numbered paragraph per list task.

A category's first task is led by the category (一是全面完善路网体系。), its later tasks by their
titles; a task neither its lead nor its paragraph names gets its title after the category
(一是县委、县政府交办事项：招商引资攻坚行动。). Then the latest progress report of a month up to
the report's, then the coming milestones from their due dates
("下一步，8月4日前完成1公里堤防基础施工，10月底前…"). A milestone whose month the progress
text already names is not repeated. A coordinator may replace a task's paragraph body with
narrative of his own (slot TASK, order = the task's id), naming 【最新进展】, 【下一步节点】 or any
other clause, e.g. 【招商引资】 for the investment-attraction task.
"""

import re

from shigan.reports import wording
from shigan.reports.document import Block, BlockKind, Run
from shigan.reports.models import NarrativeSlot
from shigan.tasks.queries import TaskRow

from .context import Ctx, figure
from .links import source
from .template import Resolver, expand, merge

LEADING_DATE = re.compile(r"^\d{1,2}月(\d{1,2}日)?(底|初|上旬|中旬|下旬)?(前|内)?")
END_PUNCTUATION = "。；，、 \n"


def progress(row: TaskRow) -> list[Run] | None:
    text = (row.last_progress_text or "").strip().rstrip(END_PUNCTUATION)
    return [text] if text else None


def coming_milestones(ctx: Ctx, row: TaskRow) -> list:
    """Milestones not done by the date and due after it, earliest first, not already named
    (by month) in the progress text, at most options.next_milestones."""
    text = row.last_progress_text or ""
    coming = [
        m
        for m in row.milestones
        if m.done_on is None and m.due_date > ctx.as_of and f"{m.due_date.month}月" not in text
    ]
    return coming[: ctx.options.next_milestones]


def milestone_runs(milestone) -> list[Run]:
    """8月4日前 (a figure from the due date) + the milestone's title without a typed date."""
    due = figure(
        wording.deadline(milestone.due_date),
        [source(milestone, f"节点“{milestone.title}”计划完成日期", milestone.due_date.isoformat())],
        f"milestone.{milestone.pk}",
    )
    return [due, LEADING_DATE.sub("", milestone.title)]


def next_steps(ctx: Ctx, row: TaskRow) -> list[Run] | None:
    milestones = coming_milestones(ctx, row)
    if not milestones:
        return None
    runs: list[Run] = ["下一步，"]
    for i, milestone in enumerate(milestones):
        runs += (["，"] if i else []) + milestone_runs(milestone)
    return runs


def default_body(ctx: Ctx, row: TaskRow) -> list[Run]:
    parts = [p for p in (progress(row), next_steps(ctx, row)) if p]
    if not parts:
        return ["尚未报送进展情况。"]
    runs: list[Run] = []
    for part in parts:
        runs += [*part, "。"]
    return runs


def task_resolver(ctx: Ctx, row: TaskRow, resolve: Resolver) -> Resolver:
    extras = {"最新进展": lambda: progress(row), "下一步节点": lambda: next_steps(ctx, row)}

    def resolve_for_task(key: str):
        return extras[key]() if key in extras else resolve(key)

    return resolve_for_task


def lead_phrase(title: str) -> str:
    title = title.strip().rstrip(END_PUNCTUATION)
    return f"{title}。" if title else ""


def naming_lead(lead: str, title: str, body: list[Run]) -> str:
    """The lead, naming the task when neither it nor the body does already: a category's
    first task is led by the category (县委、县政府交办事项) and would otherwise go unnamed
    (县委、县政府交办事项：招商引资攻坚行动)."""
    title = title.strip().rstrip(END_PUNCTUATION)
    said = lead + "".join(r if isinstance(r, str) else r.text for r in body)
    if not title or title in said:
        return lead
    lead = lead.strip().rstrip(END_PUNCTUATION)
    return f"{lead}：{title}" if lead else title


def task_paragraphs(ctx: Ctx, resolve: Resolver) -> list[Block]:
    blocks = []
    seen: set[int] = set()
    for number, row in enumerate(ctx.tasks.rows, start=1):
        task = row.task
        lead = task.category.name if task.category_id not in seen else task.title
        seen.add(task.category_id)
        own = ctx.narrative.get((NarrativeSlot.TASK, task.pk))
        if own is not None and not own.is_blank:
            lead = own.title or lead
            body = (
                expand(own.body, task_resolver(ctx, row, resolve))
                if own.body.strip()
                else default_body(ctx, row)
            )
        else:
            body = default_body(ctx, row)
        lead = naming_lead(lead, task.title, body)
        head = f"{wording.ordinal_shi(number)}{lead_phrase(lead)}"
        blocks.append(Block(BlockKind.PARAGRAPH, merge(body), head=head))
    return blocks
