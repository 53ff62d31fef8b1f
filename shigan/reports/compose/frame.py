"""The report's frame: title, opening, the three sections' headings and lead-ins, the numbered
activity paragraphs, the next-step plan items, the signature — each from the narrative current
for the period, or a default when nobody has written that slot yet. A slot saved blank is left
out of the report."""

from shigan.reports import wording
from shigan.reports.document import Block, BlockKind, Figure, Run
from shigan.reports.models import NarrativeSlot

from .context import Ctx, figure
from .links import source
from .template import Resolver, expand, merge, placeholders

S = NarrativeSlot

DEFAULT_BODIES = {
    S.OPENING: "现将年初以来{short}活动开展情况总结如下：",
    S.ORGANISATION: "【实施方案】，【领导小组】。【动员会议】。【会议制度】。",
    S.ATMOSPHERE: "【学习】。【表彰】。【督查】，【通报】。【宣传报道】。",
    S.ECONOMY: "【重点项目】。重点服务【重点企业】等重点企业。年初以来【经济指标】。",
    S.PEOPLE: "【走访】，【信访接待】。【群众诉求】。【群众满意率】。【矛盾纠纷】。【办实事】。"
    "【实践活动】。【时间存折】。",
    S.TASKS: "年初以来，对照{short}任务清单挂图作战，各项任务推进情况如下：",
}
DEFAULT_TITLES = {
    S.ACTIVITIES: "{short}活动开展情况",
    S.ORGANISATION: "加强组织领导",
    S.ATMOSPHERE: "营造浓厚氛围",
    S.ECONOMY: "围绕经济发展",
    S.PEOPLE: "服务基层群众",
    S.TASKS: "{short}清单完成情况",
    S.PLAN: "下一步工作计划",
}
# The clauses each activity paragraph states; those its narrative does not name are appended.
PARAGRAPH_BLOCKS = {
    S.ORGANISATION: ["实施方案", "领导小组", "动员会议", "会议制度"],
    S.ATMOSPHERE: ["学习", "表彰", "督查", "通报", "宣传报道"],
    S.ECONOMY: ["重点项目", "重点企业", "经济指标"],
    S.PEOPLE: [
        "走访",
        "信访接待",
        "群众诉求",
        "群众满意率",
        "矛盾纠纷",
        "办实事",
        "实践活动",
        "时间存折",
    ],
}
APPEND_FORMS = {"重点企业": "重点服务【重点企业】等重点企业", "经济指标": "年初以来【经济指标】"}
ACTIVITY_PARAGRAPHS = [S.ORGANISATION, S.ATMOSPHERE, S.ECONOMY, S.PEOPLE]


def default_text(slot: str, short_name: str) -> tuple[str, str]:
    """(title, body) a slot has before anybody writes it."""
    return (
        DEFAULT_TITLES.get(slot, "").format(short=short_name),
        DEFAULT_BODIES.get(slot, "").format(short=short_name),
    )


def slot_text(ctx: Ctx, slot: str, order: int = 0) -> tuple[str, str] | None:
    """(title, body) of a slot: the current version, the default when none was written, None
    when the current version is blank."""
    version = ctx.narrative.get((slot, order))
    if version is not None:
        return None if version.is_blank else (version.title.strip(), version.body.strip())
    return default_text(slot, ctx.short_name)


def lead_written(ctx: Ctx, slot: str) -> bool:
    """Whether someone wrote the slot's heading and lead-in (a current version not blank), as
    opposed to its default."""
    version = ctx.narrative.get((slot, 0))
    return version is not None and not version.is_blank


def title(ctx: Ctx) -> str:
    text = slot_text(ctx, S.TITLE)
    if text and text[0]:
        return text[0]
    name, label = ctx.campaign.name, ctx.organiser_label
    # 云岭县作风建设“实干年”活动 already names its organiser: not 关于云岭县云岭县…
    return f"关于{'' if name.startswith(label) else label}{name}总结及下一步工作计划"


def signature(ctx: Ctx) -> str:
    text = slot_text(ctx, S.SIGNATURE)
    if text and text[0]:
        return text[0]
    group = ctx.campaign.leading_group
    return f"{ctx.organiser_label}{group.name}办公室" if group else ctx.campaign.organiser.name


def year_clause(ctx: Ctx) -> list[Run]:
    """【年度】 → 2023年, from the campaign."""
    year = ctx.campaign.year
    return [figure(f"{year}年", [source(ctx.campaign, "活动年度", str(year))], "campaign.year")]


def paragraph(runs: list[Run], head: str = "") -> Block:
    """A paragraph of `runs`, led by its run-in head (一是…。 （一）…。) when it has one."""
    return Block(BlockKind.PARAGRAPH, merge(runs), head=head)


def opening(ctx: Ctx, resolve: Resolver) -> list[Block]:
    text = slot_text(ctx, S.OPENING)
    if not text or not text[1]:
        return []
    return [paragraph(expand(text[1], resolve))]


def heading(number: int, text: str) -> Block:
    return Block(BlockKind.HEADING1, [f"{wording.ordinal_heading(number)}{text}"])


def _lead(text: str) -> str:
    text = text.rstrip("。；，、 ")
    return f"{text}。" if text else ""


def activity_paragraph(ctx: Ctx, slot: str, number: int, resolve: Resolver) -> Block | None:
    """一是<title>。<narrative with its clauses filled in><clauses it did not name>。 — None
    when nothing is left of a body written (no record backs any of its clauses)."""
    text = slot_text(ctx, slot)
    if text is None:
        return None
    head, body = text
    named = set(placeholders(body))
    runs: list[Run] = expand(body, resolve)
    for key in PARAGRAPH_BLOCKS[slot]:
        if key not in named:
            runs += expand(APPEND_FORMS.get(key, f"【{key}】") + "。", resolve)
    if body and not any(isinstance(run, Figure) or run.strip("。；，、： ") for run in runs):
        return None
    return paragraph(runs, head=f"{wording.ordinal_shi(number)}{_lead(head)}")


def section(ctx: Ctx, slot: str, number: int, resolve: Resolver, body: list[Block]) -> list[Block]:
    """A first-level section: heading, lead-in paragraph (if any), then `body`."""
    text = slot_text(ctx, slot)
    if text is None:
        return []
    head, lead = text
    blocks = [heading(number, head)]
    if lead:
        blocks.append(paragraph(expand(lead, resolve)))
    return blocks + body


def activity_paragraphs(ctx: Ctx, resolve: Resolver) -> list[Block]:
    blocks = []
    for slot in ACTIVITY_PARAGRAPHS:
        block = activity_paragraph(ctx, slot, len(blocks) + 1, resolve)
        if block is not None:
            blocks.append(block)
    return blocks


def plan_items(ctx: Ctx, resolve: Resolver) -> list[Block]:
    """（一）<title>。<body> — the next-step plan items, in order."""
    items = sorted(
        (v for (slot, _), v in ctx.narrative.items() if slot == S.PLAN_ITEM and not v.is_blank),
        key=lambda v: v.order,
    )
    blocks = []
    for number, item in enumerate(items, start=1):
        head = f"{wording.ordinal_paren(number)}{_lead(item.title)}"
        blocks.append(paragraph(expand(item.body.strip(), resolve), head=head))
    return blocks


BLOCKS = {"年度": year_clause}
