"""The demo district's report narrative: the seed's own words for the opening, the lead-ins,
the numbered paragraphs and the next-step plan, with 【】 placeholders where the seed states
figures — so the generated report reads like the seed and every figure comes from records.

Also the wording of the seed's indicators (IndicatorPhrasing), for those indicators the demo
holds; indicators are found by words of their names, so the loader works whatever exact names
the indicator demo uses, and an indicator it cannot find is simply not named.
"""

from dataclasses import dataclass

from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.indicators.models import Indicator
from shigan.reports.models import IndicatorPhrasing, NarrativeSlot, PhraseStyle, Scale, TargetWord
from shigan.reports.services import NarrativeEntry, narrative_save
from shigan.tasks.models import Task, TaskOrigin

from .base import AUDIT_NOTE

S = NarrativeSlot

OPENING = (
    "【年度】是市委、市政府及县委、县政府确立的作风建设“实干年”，也是全面学习宣传贯彻党的二十大精神的"
    "开局之年。{org}积极响应县委、县政府关于开展“实干年”活动的号召，强化担当尽责，狠抓工作落实，"
    "提高服务效能，锚定“精致农场、幸福{org}”目标，以空杯的心态、赶考的姿态、冲刺的状态奔跑冲刺、"
    "奋进实干，取得了切实的成效。现将年初以来活动开展情况总结如下："
)
ORGANISATION = (
    "按照县委、县政府统一要求，为明确开展“实干年”活动的【方案章节】，区党委讨论【实施方案】，"
    "并【领导小组】，统筹安排活动开展。【动员会议】，传达贯彻了县委、县政府文件精神，安排部署了我区"
    "“实干年”活动，着重从“为什么抓”、“抓什么”、“怎么抓”三个方面进行宣讲，使“实干年”活动有组织、"
    "有计划、有步骤、有目的地进行。为使“实干年”活动取得实效，按照县作风办统一要求，经区党委集体研究，"
    "明确了“【口号】”的目标任务。党委班子成员对分管部门的“实干年”活动开展负责，切实履行主体责任，"
    "带头转变作风，身体力行，以上率下，一级抓一级，一级带一级。【会议制度】，听取活动情况汇报，"
    "研究解决相关问题，扎实推进“实干年”活动。"
)
ATMOSPHERE = (
    "坚持理论联系实际的学风，不断巩固深化党史学习教育成果，认真落实党委中心组学习和党员干部集中学习制度，"
    "年初以来【学习】，推动学习贯彻党的二十大精神走深走实、入脑入心。持续开展“下基层察民情解民忧暖民心”"
    "“时间存折”“美好环境与幸福生活共同缔造”“红色屋场”等实践活动，切实把学习成效转化为工作实效。"
    "坚持党委班子成员带头，主动服务企业、服务社区、服务群众，帮助基层排忧解难，为群众办实事好事，"
    "落实党的惠企惠民政策，妥善化解矛盾纠纷。【表彰】，【督查】，【通报】，【宣传报道】，"
    "营造出团结实干、开拓进取、担当有为、争先创优的浓厚氛围。"
)
ECONOMY_HEAD = (
    "今年是熨平新冠影响，实现经济重振的首战之年，我们紧紧围绕“246”工作思路不动摇，"
    "统筹推进乡村振兴和经济发展。"
)
ECONOMY_TAIL = (
    "围绕重点工业产业链，完善服务机制，大力推行“一线工作法”，做到领导在一线指挥、决策在一线落实、"
    "问题在一线解决，不断提升抓项目能力水平，全面提高项目履约率、资金到位率、项目开工率和竣工投产率，"
    "【重点项目】，【重点企业】等重点企业稳健经营，全区经济持续稳定向好。年初以来【经济指标】。"
)
TASKS = "年初以来，{org}严格对照年初确定“实干年”任务清单，真抓实干、挂图作战，各项工作有序推进、进展良好："
PLAN = "作风建设永远在路上，只有起点，没有终点。我们要始终如一，以优良作风推动各项工作和队伍建设高质量发展。"
PLAN_ITEMS = [
    (
        "强化理论学习，提升政治站位",
        "坚持把学习放到重要位置，抓好各级领导班子政治理论学习，深入学习习近平新时代中国特色社会主义思想"
        "和党的二十大精神，切实增强党员干部的政治判断力、政治领悟力和政治执行力，强化工作的系统性、原则性、"
        "预见性和创造性，努力提高各级干部的综合素质，强化“两争一出”的工作导向，激励广大干部更好地服务于"
        "党的中心工作。",
    ),
    (
        "强化责任担当，狠抓工作落实",
        "大力发扬求真务实精神，增强干部的责任感和紧迫感，把抓落实作为推进工作的关键，把出实效作为衡量干部"
        "政绩的标准，坚决反对弄虚作假、形式主义，坚决杜绝“形象工程”、“政绩工程”。大力推行“一网通办”"
        "“一网统管”“马上就办”，优化工作流程，规范和简化行政审批程序、办事程序，强化窗口服务，提高办事效率，"
        "进一步优化营商环境，从而提高为企业、为群众办实事的数量和质量。",
    ),
    (
        "强化督办检查，促进平衡发展",
        "加强“实干年”宣传，营造浓厚的活动氛围，抓住正反两方面的典型，树立鲜明导向。加强“实干年”活动督查，"
        "促进平衡发展，做到在思想上贴近群众，在实践中深入群众，在工作中服务群众。坚持和完善干部下访、"
        "信访接待日、结对帮扶、联系基层等制度，拓宽渠道，倾听民声，扎实推进党员干部下基层察民情解民忧暖民心"
        "实践活动，把作风建设引向深入，营造和谐的党群干群关系。",
    ),
]


@dataclass(frozen=True)
class PhrasingData:
    """An indicator found by the words of its name, and how the seed words it."""

    words: tuple[str, ...]
    label: str
    fields: dict


def _p(words, label, **fields) -> PhrasingData:
    return PhrasingData(tuple(words), label, fields)


LIVESTOCK = {"group": "畜禽出栏", "show_share": False, "show_change": True}
PHRASINGS = [
    _p(["固定资产投资"], "固定资产投资"),
    _p(["工业总产值"], "工业总产值"),
    _p(["社会消费品零售总额"], "社会消费品零售总额", target_word=TargetWord.TARGET),
    _p(["夏粮"], "夏粮实产", style=PhraseStyle.NAME_FIRST, show_share=False, show_change=True),
    _p(["夏油"], "夏油实产", style=PhraseStyle.NAME_FIRST, show_share=False, show_change=True),
    _p(["生猪"], "生猪出栏", **LIVESTOCK),
    _p(["牛"], "牛出栏", **LIVESTOCK),
    _p(["羊"], "羊出栏", **LIVESTOCK),
    _p(["家禽"], "家禽出笼", **LIVESTOCK),
    _p(["订单种植"], "", in_summary=False, scale=Scale.WAN),
    _p(["油茶", "整地"], "", in_summary=False, approximate=True),
    _p(["油茶"], "", in_summary=False),
]


def _find(indicators: list[Indicator], words: tuple[str, ...], taken: set[int]) -> Indicator | None:
    for indicator in indicators:
        if indicator.pk not in taken and all(w in indicator.name for w in words):
            return indicator
    return None


def load_indicator_phrasings(campaign: Campaign, by=None) -> dict[str, Indicator]:
    """Create the seed's indicator wording for the indicators found; returns them by label
    (or, for those referred to in the narrative, by their first word)."""
    indicators = list(Indicator.objects.order_by("sort_order", "id"))
    found: dict[str, Indicator] = {}
    taken: set[int] = set()
    for order, data in enumerate(PHRASINGS, start=1):
        indicator = _find(indicators, data.words, taken)
        if indicator is None:
            continue
        taken.add(indicator.pk)
        phrasing = IndicatorPhrasing.objects.create(
            campaign=campaign,
            indicator=indicator,
            label=data.label,
            sort_order=order,
            **data.fields,
        )
        audit_record(actor=by, obj=phrasing, action=AuditAction.CREATE, note=AUDIT_NOTE)
        found["+".join(data.words)] = indicator
    return found


def economy_body(found: dict[str, Indicator]) -> str:
    """The economy paragraph, naming the order-planting and oil-tea indicators the demo has."""
    orders, tea, prepared = found.get("订单种植"), found.get("油茶"), found.get("油茶+整地")
    clauses = []
    if orders:
        clauses.append(
            f"持续巩固订单种植，助力茅台酒原料生产基地高质量发展，实现【{orders.name}】土地全覆盖；"
        )
    if tea:
        ready = f"、已整地待栽【{prepared.name}】" if prepared else ""
        clauses.append(
            f"大力发展油茶种植，目前已栽植【{tea.name}】{ready}，计划完成【{tea.name}.目标】种植面积；"
        )
    return ECONOMY_HEAD + "".join(clauses) + ECONOMY_TAIL


def _investment_task(campaign: Campaign) -> Task | None:
    tasks = Task.objects.filter(campaign=campaign, origin=TaskOrigin.LIST).select_related(
        "category"
    )
    return next((t for t in tasks if "招商" in t.title or "招商" in t.category.name), None)


PEOPLE = (
    "坚持“一线工作法”，【走访】，【信访接待】，面对面倾听群众诉求。坚持“马上就办”，"
    "【群众诉求】。【群众满意率】。【矛盾纠纷】，把矛盾化解在基层。【办实事】。【实践活动】，"
    "【时间存折】，凝聚起共建共治共享的强大合力。"
)


def narrative_entries(campaign: Campaign, found: dict[str, Indicator]) -> list[NarrativeEntry]:
    org = campaign.organiser.label
    entries = [
        NarrativeEntry(S.OPENING, body=OPENING.format(org=org)),
        NarrativeEntry(S.ACTIVITIES, title="“实干年”活动开展情况"),
        NarrativeEntry(S.ORGANISATION, "提高思想认识，加强领导奋进实干", ORGANISATION),
        NarrativeEntry(S.ATMOSPHERE, "树立鲜明导向，营造氛围真抓实干", ATMOSPHERE),
        NarrativeEntry(S.ECONOMY, "围绕经济发展，提升效能担当实干", economy_body(found)),
        NarrativeEntry(S.PEOPLE, "深入基层一线，服务群众为民实干", PEOPLE),
        NarrativeEntry(S.TASKS, "“实干年”清单完成情况", TASKS.format(org=org)),
        NarrativeEntry(S.PLAN, "下一步工作计划", PLAN),
    ]
    entries += [
        NarrativeEntry(S.PLAN_ITEM, title, body, order)
        for order, (title, body) in enumerate(PLAN_ITEMS, start=1)
    ]
    task = _investment_task(campaign)
    if task is not None:
        entries.append(NarrativeEntry(S.TASK, body="【招商引资】。", order=task.pk))
    return entries


@transaction.atomic
def load_report_narrative_demo(*, campaign: Campaign, by=None) -> int:
    """Write the seed's narrative for the demo campaign, applying from its first month, and
    the seed's indicator wording; returns the number of narrative versions written."""
    found = load_indicator_phrasings(campaign, by)
    written = narrative_save(
        campaign=campaign,
        period=campaign.start_date,
        entries=narrative_entries(campaign, found),
        by=by,
        note=AUDIT_NOTE,
    )
    return len(written)
