"""The shapes of the generated data and the fixed names the runner and the load run look up.

A district is 60 units under its 党委、政府 (task force, office, 12 bureaus, 4 streets with 8
villages or communities each, 9 enterprises), 6 leaders with oversight, a coordinator, an
inspector and one reporter per unit, and its own campaign with 8 task categories, 300 tasks,
5 milestones and 20 progress reports per task. A city is 20 districts under a city unit, a
province 15 cities under a province unit; every district runs its own campaign.
"""

import argparse
from dataclasses import dataclass

SCALES = {"district": (1, 1), "city": (1, 20), "province": (15, 20)}

OFFICE_NAMES = ["党政办公室"]
BUREAU_NAMES = [
    "发展和改革局",
    "财政局",
    "自然资源和规划局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "生态环境局",
    "教育局",
    "卫生健康局",
    "招商服务中心",
]
STREET_COUNT = 4
VILLAGES_PER_STREET = 8
ENTERPRISE_COUNT = 9
CATEGORY_NAMES = [
    "路网体系",
    "招商引资",
    "流域生态",
    "产业发展",
    "乡村振兴",
    "民生保障",
    "城市更新",
    "营商环境",
]
MILESTONE_TITLES = ["方案编制", "立项审批", "招标采购", "组织实施", "验收销号"]

# Unit positions inside a district (index into the district's unit list).
ROOT, TASK_FORCE, OFFICE = 0, 1, 2
FIRST_BUREAU = 3
FIRST_STREET = FIRST_BUREAU + len(BUREAU_NAMES)  # 15
FIRST_VILLAGE = FIRST_STREET + STREET_COUNT  # 19
FIRST_ENTERPRISE = FIRST_VILLAGE + STREET_COUNT * VILLAGES_PER_STREET  # 51
UNITS_PER_DISTRICT = FIRST_ENTERPRISE + ENTERPRISE_COUNT  # 60

# 分管: leader index -> (post, unit indices he oversees; a street brings its villages along).
LEADERS = [
    ("党委书记", [TASK_FORCE, OFFICE]),
    ("区长", [3, 4, 10, 14]),
    ("党委副书记", [FIRST_STREET, FIRST_STREET + 1]),
    ("副区长", [5, 6, 7, 8, *range(FIRST_ENTERPRISE, UNITS_PER_DISTRICT)]),
    ("副区长", [9, 11, FIRST_STREET + 2, FIRST_STREET + 3]),
    ("纪委书记", [12, 13]),
]

# The fixed subjects of every measurement: the first district of the first city, its
# coordinator, leader 4 (a 副区长 overseeing two bureaus and two streets with their 16 villages:
# about a third of the district's tasks) and the reporter of 交通运输局.
MEASURED_DISTRICT = "c01d01"
MEASURED_LEADER = 4
MEASURED_UNIT = FIRST_BUREAU + BUREAU_NAMES.index("交通运输局")  # 7
PASSWORD = "shigan-bench"
CONCERNS = 3000  # per district and year: a county's 12345 hotline, visits, reception days …


@dataclass(frozen=True)
class Shape:
    """How much to generate: cities × districts, and per district tasks and their records."""

    scale: str
    cities: int
    districts_per_city: int
    tasks: int = 300
    milestones_per_task: int = 5
    reports_per_task: int = 20
    indicators: int = 40
    key_projects: int = 20
    concerns: int = CONCERNS
    custom: bool = False

    @property
    def districts(self) -> int:
        return self.cities * self.districts_per_city

    @property
    def label(self) -> str:
        """The data set's name: the scale, plus the custom task and report counts if any, and
        the concerns per district when not the default."""
        if not self.custom:
            return self.scale
        label = f"{self.scale}-t{self.tasks}-r{self.reports_per_task}"
        return label if self.concerns == CONCERNS else f"{label}-c{self.concerns}"


def shape_from_args(args: argparse.Namespace) -> Shape:
    cities, districts = SCALES[args.scale]
    shape = Shape(scale=args.scale, cities=cities, districts_per_city=districts)
    concerns = getattr(args, "concerns", None)
    if args.tasks is None and args.reports_per_task is None and concerns is None:
        return shape
    return Shape(
        scale=args.scale,
        cities=cities,
        districts_per_city=districts,
        tasks=args.tasks if args.tasks is not None else shape.tasks,
        reports_per_task=(
            args.reports_per_task if args.reports_per_task is not None else shape.reports_per_task
        ),
        concerns=concerns if concerns is not None else shape.concerns,
        custom=True,
    )


def district_key(city: int, district: int) -> str:
    """ "c01d03": the prefix of the district's usernames (1-based numbers)."""
    return f"c{city:02d}d{district:02d}"


def district_name(city: int, district: int) -> str:
    return f"第{city}市第{district}区"


def username(key: str, who: str) -> str:
    """Accounts: <key>-coordinator, <key>-inspector, <key>-leader<i>, <key>-r<unit index>."""
    return f"{key}-{who}"


def reporter(key: str, unit_index: int) -> str:
    return username(key, f"r{unit_index:02d}")


def leader(key: str, index: int) -> str:
    return username(key, f"leader{index}")
