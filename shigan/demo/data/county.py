"""The county above the demo district: 云岭县, whose 县委、县政府 the seed's district answers to
(“按照县委、县政府统一要求”), with its own units and 实干年 campaign, a second district beside the
demo's (高新区, small: a few units, a coordinator and a reporter, three tasks, two indicators),
the county's directive (县委办发〔2023〕8号) and what it hands down to the two districts, and the
county's indicators its districts' figures add up into.

Names are invented and collide with no name of the demo district; the county's and the second
district's accounts use the demo's password.
"""

import datetime

from shigan.indicators.models import IndicatorCategory, MeasureUnit
from shigan.orgs.models import Role, UnitKind

from .indicators import IndicatorData, _months
from .tasks import MilestoneData, TaskData

D = datetime.date
COUNTY = "county"
SIBLING = "gaoxin"

# key: (name, short name, kind, parent key); the demo district goes below COUNTY.
UNITS: dict[str, tuple[str, str, str, str | None]] = {
    COUNTY: ("云岭县委、县政府", "云岭县", UnitKind.PARTY_GOVERNMENT, None),
    "county_office": ("县委办公室", "县委办", UnitKind.OFFICE, COUNTY),
    "county_force": ("县实干年工作专班", "县专班", UnitKind.TASK_FORCE, COUNTY),
    "county_development": ("县发展和改革局", "县发改局", UnitKind.BUREAU, COUNTY),
    "county_transport": ("县交通运输局", "县交通局", UnitKind.BUREAU, COUNTY),
    SIBLING: ("高新区党工委、管委会", "高新区", UnitKind.PARTY_GOVERNMENT, COUNTY),
    "gaoxin_force": ("高新区工作专班", "高新区专班", UnitKind.TASK_FORCE, SIBLING),
    "gaoxin_economy": ("经济发展局", "经发局", UnitKind.BUREAU, SIBLING),
    "gaoxin_building": ("建设管理局", "建管局", UnitKind.BUREAU, SIBLING),
    "gaoxin_investment": ("招商服务局", "招商局", UnitKind.BUREAU, SIBLING),
}

# key: (name, unit key, post, system role or "")
PEOPLE: dict[str, tuple[str, str, str, str]] = {
    "county_secretary": ("罗志刚", COUNTY, "县委书记", Role.LEADER),
    "county_force_head": ("唐建军", "county_force", "县实干年工作专班负责人", Role.COORDINATOR),
    "county_inspector": ("邓婷", "county_force", "县实干年工作专班督查员", Role.INSPECTOR),
    "county_development_head": ("袁立新", "county_development", "县发展和改革局局长", ""),
    "county_transport_head": ("彭宇", "county_transport", "县交通运输局局长", ""),
    "gaoxin_director": ("曹文斌", SIBLING, "管委会主任", Role.LEADER),
    "gaoxin_force_head": ("韩冬梅", "gaoxin_force", "高新区工作专班负责人", Role.COORDINATOR),
    "gaoxin_economy_liaison": ("蒋楠", "gaoxin_economy", "经济发展局联络员", Role.REPORTER),
}

COUNTY_COORDINATOR = "xianzhuanban"
SIBLING_COORDINATOR = "gaoxinzhuanban"
# username -> person key (the demo's password for all).
ACCOUNTS: dict[str, str] = {
    COUNTY_COORDINATOR: "county_force_head",
    "xianducha": "county_inspector",
    SIBLING_COORDINATOR: "gaoxin_force_head",
    "gaoxintianbao": "gaoxin_economy_liaison",
}

CAMPAIGN_NAME = "云岭县作风建设“实干年”活动"
CAMPAIGN_SLOGAN = "实干兴县、奋进争先"
SIBLING_CAMPAIGN_NAME = "高新区作风建设“实干年”活动"
COUNTY_CATEGORY = "县委、县政府交办事项"

# The second district's own list tasks (its reporter files their monthly reports).
SIBLING_TASKS: list[TaskData] = [
    TaskData(
        category="园区项目建设",
        title="标准化厂房二期建设",
        target="建成标准化厂房8万平方米，10月底前主体完工，年底前具备入驻条件。",
        lead_unit="gaoxin_building",
        supporting_units=["gaoxin_investment"],
        leader="gaoxin_director",
        reporter="gaoxintianbao",
        start=D(2023, 2, 1),
        due=D(2023, 12, 31),
        milestones=[
            MilestoneData("完成施工招标", D(2023, 3, 31), D(2023, 3, 28)),
            MilestoneData("基础工程完工", D(2023, 6, 30), D(2023, 6, 25)),
            MilestoneData("主体完工", D(2023, 10, 31)),
        ],
        reports={
            3: "完成标准化厂房二期施工招标，施工单位进场。",
            5: "厂房基础工程施工中，完成桩基工程。",
            7: "基础工程已于6月完工，主体结构施工至二层。",
        },
    ),
    TaskData(
        category="优化营商环境",
        title="企业开办“一件事一次办”",
        target="企业开办全流程1个工作日办结，年内实现园区涉企事项“一窗通办”。",
        lead_unit="gaoxin_economy",
        supporting_units=[],
        leader="gaoxin_director",
        reporter="gaoxintianbao",
        start=D(2023, 2, 1),
        due=D(2023, 11, 30),
        milestones=[
            MilestoneData("设立涉企服务综合窗口", D(2023, 4, 30), D(2023, 4, 20)),
            MilestoneData("企业开办1个工作日办结", D(2023, 8, 31)),
        ],
        reports={
            4: "园区涉企服务综合窗口设立运行，企业开办材料精简至4项。",
            6: "企业开办平均用时压缩至1.5个工作日。",
        },
    ),
    TaskData(
        category="园区项目建设",
        title="园区污水处理厂提标改造",
        target="完成污水处理厂提标改造，出水水质稳定达到一级A标准。",
        lead_unit="gaoxin_building",
        supporting_units=[],
        leader="gaoxin_director",
        reporter="gaoxintianbao",
        start=D(2023, 3, 1),
        due=D(2023, 9, 30),
        milestones=[
            MilestoneData("完成改造方案评审", D(2023, 4, 30), D(2023, 4, 26)),
            MilestoneData("设备安装调试", D(2023, 7, 20)),
        ],
        reports={5: "改造方案通过评审，设备采购合同签订。"},
    ),
]

# The county's directive: its points, in the document's order.
DIRECTIVE_NUMBER = "县委办发〔2023〕8号"
DIRECTIVE_TITLE = "关于深入开展作风建设“实干年”活动推动重点工作落地见效的通知"
DIRECTIVE_ISSUED = D(2023, 3, 6)
POINTS = [
    "聚焦招商引资主责主业，各区全年新签约项目不少于5个，资金到位率不低于60%。",
    "加快县乡道路提档升级，年内完成辖区道路改造任务。",
    "持续优化营商环境，推行涉企事项“一件事一次办”。",
    "各区每月25日前向县实干年工作专班报送工作进展。",
]


# An upper task of the county made for a point and handed down: (point index, title, lead unit
# key, start, due, handed on, {district key: how it is answered}). An answer is ("existing",
# title of the district's own task), ("new", TaskData) or None (待接收).
UPPER_TASKS = [
    (
        0, "招商引资攻坚行动", "county_development", D(2023, 3, 10), D(2023, 12, 31),
        D(2023, 3, 10), {
            "district": ("existing", "招商引资", D(2023, 3, 13)),
            SIBLING: ("new", "高新区招商引资攻坚", D(2023, 3, 14)),
        },
    ),
    (
        2, "涉企事项“一件事一次办”改革", "county_development", D(2023, 3, 10),
        D(2023, 11, 30), D(2023, 3, 10), {
            SIBLING: ("existing", "企业开办“一件事一次办”", D(2023, 3, 15)),
        },
    ),
    (
        1, "县乡道路提档升级", "county_transport", D(2023, 7, 27), D(2023, 12, 31),
        D(2023, 7, 27), {"district": None},
    ),
]  # fmt: skip

HANDDOWN_NOTE = "请结合本区实际细化落实措施，5日内接收并明确牵头单位，每月25日前报送进展。"

# The sibling's new task answering the investment hand-down (its investment bureau leads).
SIBLING_INVESTMENT_TARGET = "全年新签约项目不少于5个，资金到位率不低于60%。"
SIBLING_INVESTMENT_UNIT = "gaoxin_investment"

ECONOMY = {"category": IndicatorCategory.ECONOMY, "unit": "gaoxin_economy"}
STATISTICS = "高新区经济发展局"

# The second district's indicators, filed by its reporter; they count into the county's.
SIBLING_INDICATORS: list[IndicatorData] = [
    IndicatorData(
        "固定资产投资", MeasureUnit.WAN_YUAN, **ECONOMY, reporter="gaoxintianbao",
        source=STATISTICS, target=52000,
        values=_months(1800, 4700, 8100, 11600, 15200, 19300, 23400),
        last_year=_months(1700, 4400, 7600, 10900, 14300, 18100, 21900),
    ),
    IndicatorData(
        "工业总产值", MeasureUnit.WAN_YUAN, **ECONOMY, reporter="gaoxintianbao",
        source=STATISTICS, target=68000,
        values=_months(4800, 9500, 14600, 19700, 24900, 30300, 35600),
        last_year=_months(4500, 8900, 13700, 18500, 23400, 28400, 33300),
    ),
]  # fmt: skip

# The county's own indicators (name, target) that its districts' figures of the same name add
# up into (汇总方式: 可加).
COUNTY_INDICATORS = [("固定资产投资", 128000), ("工业总产值", 125000)]
COUNTY_INDICATOR_UNIT = "county_development"
COUNTY_INDICATOR_SOURCE = "县统计局"
