"""The demo's indicators, key enterprises, key projects and investment attraction, 2023.

Every figure the seed states is here as the July value; what the seed leaves open is chosen to be
consistent with it:

- 固定资产投资 33000万元（预计）占年计划的44.5％: the plan is 74200万元 (33000 ÷ 74200 = 44.47％,
  44.5 rounded half up once). 工业总产值 22000 / 55500 = 39.6％; 社会消费品零售总额 2500 / 8800 = 28.4％.
- 夏粮 7272吨（预计）, 比去年增加191吨: last year 7081. 夏油 325吨, 比去年增加100吨: last year 225.
  Both are reported from the harvest (June), not from January; they have no annual target, as the
  seed gives none.
- 生猪、牛、羊出栏和家禽出笼 13631头、139头、581头、133018只, "分别比同期不同程度增长": last
  year 12876头、128头、552头、126540只 (+5.9％, +8.6％, +5.3％, +5.1％); no annual target.
- 油茶: 527亩 planted toward 2000亩 (indicator 油茶种植面积, annual target 2000) and 400多亩 prepared
  for planting (indicator 油茶整地待栽面积, a point-in-time level, 420亩 at the end of July).
- 订单种植 3.2万亩 全覆盖: indicator 订单种植面积 32000亩 against a target of 32000 (100％).

Monthly values are year-to-date totals (1-M月累计) except for the point-in-time 油茶整地待栽面积;
each month stays within the note rules (indicators.calc.NOTE_DEVIATION) so none needs a 说明.
Investment attraction follows the 招商引资 task's monthly reports: trips in February, March,
April and June; agreements signed in March, April, May and June; three of them landed by July.
"""

import datetime
from dataclasses import dataclass

from shigan.indicators.models import Accumulation, IndicatorCategory, MeasureUnit

D = datetime.date
YEAR = 2023
STATISTICS = "区统计站"
AGRICULTURE = "区农业农村办"


@dataclass(frozen=True)
class IndicatorData:
    """An indicator with its 2023 monthly figures {month: value}, the months reported as
    estimates, and last year's figures for the same months."""

    name: str
    measure_unit: str
    category: str
    unit: str  # demo org key of the responsible unit
    reporter: str  # demo account that reports it
    source: str
    target: int | None
    values: dict[int, int]
    last_year: dict[int, int]
    estimates: frozenset[int] = frozenset()
    accumulation: str = Accumulation.CUMULATIVE


def _months(*values: int, first: int = 1) -> dict[int, int]:
    return {first + i: value for i, value in enumerate(values)}


ECONOMY = {"category": IndicatorCategory.ECONOMY, "unit": "economy", "reporter": "tianbao4"}
FARMING = {"category": IndicatorCategory.AGRICULTURE, "unit": "agriculture", "reporter": "tianbao5"}

# fmt: off
INDICATORS: list[IndicatorData] = [
    IndicatorData(
        "固定资产投资", MeasureUnit.WAN_YUAN, **ECONOMY, source=STATISTICS, target=74200,
        values=_months(2600, 6800, 11500, 16200, 21400, 27300, 33000),
        last_year=_months(2400, 6300, 10600, 15100, 19800, 25100, 30200),
        estimates=frozenset({7}),
    ),
    IndicatorData(
        "工业总产值", MeasureUnit.WAN_YUAN, **ECONOMY, source=STATISTICS, target=55500,
        values=_months(2900, 5600, 8900, 12100, 15300, 18700, 22000),
        last_year=_months(2700, 5300, 8300, 11300, 14300, 17400, 20500),
    ),
    IndicatorData(
        "社会消费品零售总额", MeasureUnit.WAN_YUAN, **ECONOMY, source=STATISTICS, target=8800,
        values=_months(380, 720, 1050, 1400, 1760, 2120, 2500),
        last_year=_months(350, 680, 990, 1320, 1650, 2010, 2380),
    ),
    IndicatorData(
        "夏粮产量", MeasureUnit.TON, **FARMING, source=AGRICULTURE, target=None,
        values=_months(6850, 7272, first=6), last_year=_months(6790, 7081, first=6),
        estimates=frozenset({6, 7}),
    ),
    IndicatorData(
        "夏油产量", MeasureUnit.TON, **FARMING, source=AGRICULTURE, target=None,
        values=_months(318, 325, first=6), last_year=_months(220, 225, first=6),
        estimates=frozenset({6}),
    ),
    IndicatorData(
        "生猪出栏", MeasureUnit.HEAD, **FARMING, source=AGRICULTURE, target=None,
        values=_months(2150, 3900, 5850, 7720, 9650, 11610, 13631),
        last_year=_months(2030, 3710, 5560, 7310, 9140, 10980, 12876),
    ),
    IndicatorData(
        "牛出栏", MeasureUnit.HEAD, **FARMING, source=AGRICULTURE, target=None,
        values=_months(18, 35, 56, 76, 97, 118, 139),
        last_year=_months(16, 32, 51, 70, 89, 108, 128),
    ),
    IndicatorData(
        "羊出栏", MeasureUnit.HEAD, **FARMING, source=AGRICULTURE, target=None,
        values=_months(75, 150, 240, 330, 410, 495, 581),
        last_year=_months(70, 142, 228, 313, 390, 470, 552),
    ),
    IndicatorData(
        "家禽出笼", MeasureUnit.ZHI, **FARMING, source=AGRICULTURE, target=None,
        values=_months(17500, 35200, 55100, 74600, 94300, 113200, 133018),
        last_year=_months(16600, 33400, 52300, 70900, 89600, 107600, 126540),
    ),
    IndicatorData(
        "油茶种植面积", MeasureUnit.MU, **FARMING, source=AGRICULTURE, target=2000,
        values=_months(120, 260, 410, 470, 500, 527, 527), last_year={},
    ),
    IndicatorData(
        "油茶整地待栽面积", MeasureUnit.MU, **FARMING, source=AGRICULTURE, target=None,
        values=_months(200, 280, 380, 420, first=4), last_year={},
        accumulation=Accumulation.POINT,
    ),
    IndicatorData(
        "订单种植面积", MeasureUnit.MU, **FARMING, source=AGRICULTURE, target=32000,
        values=_months(6000, 15000, 26000, 32000, 32000, 32000, 32000),
        last_year=_months(5500, 14000, 24500, 31000, 31500, 31500, 31500),
    ),
]
# fmt: on

NOTES = {
    ("油茶种植面积", 7): "另已整地待栽400多亩，待秋冬季栽植",
    ("订单种植面积", 4): "茅台酒原料（高粱）订单种植3.2万亩，实现土地全覆盖",
}


@dataclass(frozen=True)
class EnterpriseData:
    """A key enterprise: demo org key of its 联系单位, industry, and its January-July output value
    and tax (万元)."""

    name: str
    industry: str
    unit: str
    output_july: int
    tax_july: int
    notes: str = ""


ENTERPRISES: list[EnterpriseData] = [
    EnterpriseData("零傲科技有限公司", "电子信息", "economy", 6800, 310, "智能终端制造"),
    EnterpriseData("佳仑实业有限公司", "新型建材", "economy", 3900, 160, "装配式建材"),
    EnterpriseData("宏羽农业开发有限公司", "农产品加工", "agriculture", 2100, 45, "油茶、高粱"),
    EnterpriseData("楚汉源酒业有限公司", "酒类制造", "economy", 5600, 420, "酱香型白酒"),
]
# Share of the July year-to-date figure reached by the end of each month (January-July).
ENTERPRISE_PACE = [0.12, 0.25, 0.39, 0.53, 0.68, 0.84, 1.0]


@dataclass(frozen=True)
class ProjectData:
    """A key project of 2023 (investment in 万元). `task` names a demo list task whose
    milestones are the project's nodes."""

    name: str
    enterprise: str | None
    unit: str
    contracted: int
    planned: int
    completed: int
    funds: int
    planned_start: datetime.date
    actual_start: datetime.date | None
    planned_completion: datetime.date
    actual_completion: datetime.date | None = None
    task: str | None = None


# fmt: off
PROJECTS: list[ProjectData] = [
    ProjectData("零傲科技智能终端生产线扩建项目", "零傲科技有限公司", "economy",
                12000, 6000, 3800, 7800, D(2023, 4, 1), D(2023, 4, 10), D(2024, 6, 30)),
    ProjectData("佳仑实业新型建材生产基地项目", "佳仑实业有限公司", "economy",
                8000, 4000, 2100, 4600, D(2023, 5, 10), D(2023, 5, 16), D(2024, 3, 31)),
    ProjectData("宏羽农业高粱烘干仓储项目", "宏羽农业开发有限公司", "agriculture",
                5000, 3000, 900, 2800, D(2023, 7, 1), D(2023, 7, 12), D(2023, 12, 31)),
    ProjectData("楚汉源酒业酿造车间技改项目", "楚汉源酒业有限公司", "economy",
                6000, 3500, 3400, 5200, D(2023, 3, 1), D(2023, 3, 6), D(2023, 6, 30),
                D(2023, 6, 28)),
    ProjectData("清凉河治理二期工程", None, "water",
                4500, 3000, 1400, 2000, D(2023, 6, 20), D(2023, 6, 25), D(2023, 12, 31),
                task="清凉河治理二期工程"),
    ProjectData("湘禾食品特色农产品精深加工项目", None, "investment",
                6500, 2000, 0, 0, D(2023, 7, 20), None, D(2024, 6, 30)),
]
# fmt: on


@dataclass(frozen=True)
class TripData:
    date: datetime.date
    destination: str
    leader: str  # demo person key
    contacts: str


TRIPS: list[TripData] = [
    TripData(D(2023, 2, 15), "广东深圳", "secretary", "深圳零傲电子集团有限公司（智能终端）"),
    TripData(D(2023, 3, 20), "浙江杭州", "chief", "杭州佳仑建材科技有限公司（装配式建材）"),
    TripData(D(2023, 4, 11), "四川成都", "chief", "成都宏羽生物科技有限公司（粮油烘干仓储）"),
    TripData(D(2023, 6, 6), "湖南长沙", "deputy_secretary", "长沙湘禾食品有限公司（农产品加工）"),
]


@dataclass(frozen=True)
class AgreementData:
    """An agreement signed after trip number `trip` (0-based); `landed_on` is when the project got
    under way (its key project's actual start)."""

    investor: str
    project: str
    amount: int
    signed_on: datetime.date
    funds: int
    trip: int
    landed_on: datetime.date | None


AGREEMENTS: list[AgreementData] = [
    AgreementData(
        "深圳零傲电子集团有限公司",
        "零傲科技智能终端生产线扩建项目",
        12000,
        D(2023, 3, 16),
        7800,
        0,
        D(2023, 4, 10),
    ),
    AgreementData(
        "杭州佳仑建材科技有限公司",
        "佳仑实业新型建材生产基地项目",
        8000,
        D(2023, 4, 18),
        4600,
        1,
        D(2023, 5, 16),
    ),
    AgreementData(
        "成都宏羽生物科技有限公司",
        "宏羽农业高粱烘干仓储项目",
        5000,
        D(2023, 5, 12),
        2800,
        2,
        D(2023, 7, 12),
    ),
    AgreementData(
        "长沙湘禾食品有限公司",
        "湘禾食品特色农产品精深加工项目",
        6500,
        D(2023, 6, 20),
        0,
        3,
        None,
    ),
]
