"""The demo campaign: 2023 作风建设“实干年”活动, its plan (实施方案) and phases.

The plan text is drawn from the seed document (the district's mid-year summary).
"""

import datetime

from shigan.campaigns.models import PlanSectionKind

YEAR = 2023
NAME = "作风建设“实干年”活动"
SLOGAN = "跑好第一棒、实干开新局"
START = datetime.date(2023, 1, 1)
END = datetime.date(2023, 12, 31)
MOBILISATION_DAY = datetime.date(2023, 2, 8)

PLAN_SECTIONS: dict[str, str] = {
    PlanSectionKind.GUIDING_IDEA: (
        "以习近平新时代中国特色社会主义思想为指导，全面学习宣传贯彻党的二十大精神，"
        "认真落实市委、市政府及县委、县政府关于开展作风建设“实干年”活动的部署要求，"
        "强化担当尽责，狠抓工作落实，提高服务效能，锚定“精致农场、幸福示范区”目标，"
        "以空杯的心态、赶考的姿态、冲刺的状态奔跑冲刺、奋进实干。"
    ),
    PlanSectionKind.KEY_POINTS: (
        "紧紧围绕“246”工作思路不动摇，统筹推进乡村振兴和经济发展。"
        "全面完善路网体系，大力实施招商引资，持续修复流域生态；"
        "持续巩固订单种植，大力发展油茶种植；围绕重点工业产业链完善服务机制，"
        "全面提高项目履约率、资金到位率、项目开工率和竣工投产率。"
    ),
    PlanSectionKind.GOALS: (
        "经区党委集体研究，明确“跑好第一棒、实干开新局”的目标任务。"
        "对照“实干年”任务清单挂图作战，做到“时间过半、任务过半”，"
        "全区经济持续稳定向好，为企业、为群众办实事的数量和质量明显提高。"
    ),
    PlanSectionKind.MEASURES: (
        "大力推行“一线工作法”，做到领导在一线指挥、决策在一线落实、问题在一线解决。"
        "持续开展“下基层察民情解民忧暖民心”“时间存折”“美好环境与幸福生活共同缔造”"
        "“红色屋场”等实践活动；认真落实党委中心组学习和党员干部集中学习制度；"
        "开展作风建设专项督查，通报反面典型、表彰先进典型；加强“实干年”宣传报道。"
    ),
    PlanSectionKind.ORGANISATION: (
        "成立区党委主要负责同志任组长的“实干年”活动领导小组，统筹安排活动开展，"
        "下设区作风专班负责日常工作。2月8日召开“实干年”活动动员会议。"
        "党委班子成员对分管部门的“实干年”活动开展负责，切实履行主体责任，"
        "一级抓一级，一级带一级。领导小组每季度召开一次“实干年”活动工作会议，"
        "区作风专班每月召开一次“实干年”活动碰头会，听取活动情况汇报，研究解决相关问题。"
    ),
}

# (name, start, end); 动员部署 includes the mobilisation meeting on 2023-02-08.
PHASES: list[tuple[str, datetime.date, datetime.date]] = [
    ("动员部署", datetime.date(2023, 2, 1), datetime.date(2023, 2, 28)),
    ("组织实施", datetime.date(2023, 3, 1), datetime.date(2023, 11, 30)),
    ("总结提升", datetime.date(2023, 12, 1), datetime.date(2023, 12, 31)),
]
