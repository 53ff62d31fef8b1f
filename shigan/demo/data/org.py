"""The demo district's organisation: units, people, leading group, oversight and accounts.

Names of people are invented; the enterprises (零傲、佳仑、宏羽、楚汉源) and the offices follow the
seed document. Units are referred to by their short key throughout the demo data.
"""

from shigan.orgs.models import GroupRole, Role, UnitKind

DISTRICT = "district"

# key: (name, short name, kind, parent key)
UNITS: dict[str, tuple[str, str, str, str | None]] = {
    DISTRICT: ("示范区党委、政府", "示范区", UnitKind.PARTY_GOVERNMENT, None),
    "office": ("党政办公室", "党政办", UnitKind.OFFICE, DISTRICT),
    "task_force": ("区作风专班", "专班", UnitKind.TASK_FORCE, DISTRICT),
    "economy": ("经济发展办公室", "经发办", UnitKind.OFFICE, DISTRICT),
    "agriculture": ("农业农村办公室", "农业农村办", UnitKind.OFFICE, DISTRICT),
    "planning": ("自然资源和规划办公室", "自然资源和规划办", UnitKind.OFFICE, DISTRICT),
    "transport": ("交通建设办公室", "交通建设办", UnitKind.OFFICE, DISTRICT),
    "finance": ("财政所", "", UnitKind.BUREAU, DISTRICT),
    "water": ("水务站", "", UnitKind.BUREAU, DISTRICT),
    "investment": ("招商服务中心", "", UnitKind.BUREAU, DISTRICT),
    "qingliang": ("清凉村", "", UnitKind.VILLAGE, DISTRICT),
    "xinchang": ("新场村", "", UnitKind.VILLAGE, DISTRICT),
    "xingye": ("兴业社区", "", UnitKind.COMMUNITY, DISTRICT),
    "lingao": ("零傲科技有限公司", "零傲", UnitKind.ENTERPRISE, DISTRICT),
    "jialun": ("佳仑实业有限公司", "佳仑", UnitKind.ENTERPRISE, DISTRICT),
    "hongyu": ("宏羽农业开发有限公司", "宏羽", UnitKind.ENTERPRISE, DISTRICT),
    "chuhanyuan": ("楚汉源酒业有限公司", "楚汉源", UnitKind.ENTERPRISE, DISTRICT),
}

# key: (name, unit key, post, system role or "")
PEOPLE: dict[str, tuple[str, str, str, str]] = {
    "secretary": ("张明远", DISTRICT, "党委书记", Role.LEADER),
    "chief": ("李建国", DISTRICT, "党委副书记、区长", Role.LEADER),
    "deputy_secretary": ("陈晓东", DISTRICT, "党委副书记", Role.LEADER),
    "vice_chief": ("王志强", DISTRICT, "党委委员、副区长", Role.LEADER),
    "discipline": ("刘红梅", DISTRICT, "党委委员、纪委书记", Role.LEADER),
    "organisation": ("赵国庆", DISTRICT, "党委委员、组织委员", Role.LEADER),
    "office_head": ("孙丽", "office", "党政办公室主任", ""),
    "task_force_head": ("周伟", "task_force", "区作风专班负责人", Role.COORDINATOR),
    "inspector": ("冯磊", "task_force", "区作风专班督查员", Role.INSPECTOR),
    "transport_head": ("郑涛", "transport", "交通建设办公室主任", ""),
    "transport_liaison": ("杨帆", "transport", "交通建设办公室联络员", Role.REPORTER),
    "water_head": ("何平", "water", "水务站站长", ""),
    "water_liaison": ("马丽", "water", "水务站联络员", Role.REPORTER),
    "investment_head": ("黄磊", "investment", "招商服务中心主任", ""),
    "investment_liaison": ("林晓雪", "investment", "招商服务中心联络员", Role.REPORTER),
    "economy_head": ("吴海波", "economy", "经济发展办公室主任", ""),
    "agriculture_head": ("徐春燕", "agriculture", "农业农村办公室主任", ""),
    "planning_head": ("高原", "planning", "自然资源和规划办公室主任", ""),
    "economy_liaison": ("钱进", "economy", "经济发展办公室联络员", Role.REPORTER),
    "agriculture_liaison": ("郭晓燕", "agriculture", "农业农村办公室联络员", Role.REPORTER),
}

LEADING_GROUP_NAME = "作风建设“实干年”活动领导小组"

# (person key, role in the leading group)
LEADING_GROUP: list[tuple[str, str]] = [
    ("secretary", GroupRole.LEADER),
    ("chief", GroupRole.DEPUTY),
    ("deputy_secretary", GroupRole.DEPUTY),
    ("vice_chief", GroupRole.MEMBER),
    ("discipline", GroupRole.MEMBER),
    ("organisation", GroupRole.MEMBER),
    ("office_head", GroupRole.MEMBER),
    ("task_force_head", GroupRole.MEMBER),
]

# 分管: leader key -> unit keys (党委班子成员对分管部门负责)
OVERSIGHT: dict[str, list[str]] = {
    "secretary": ["office", "task_force"],
    "chief": ["economy", "finance", "investment", "lingao", "jialun", "hongyu", "chuhanyuan"],
    "deputy_secretary": ["agriculture", "qingliang", "xinchang", "xingye"],
    "vice_chief": ["transport", "planning", "water"],
}

# Demo log-in accounts: username -> person key. One password for all (printed by `shigan demo`).
DEMO_PASSWORD = "shigan-demo-2023"
ACCOUNTS: dict[str, str] = {
    "zhuanban": "task_force_head",
    "lingdao": "vice_chief",
    "tianbao": "transport_liaison",
    "tianbao2": "water_liaison",
    "tianbao3": "investment_liaison",
    "ducha": "inspector",
    "tianbao4": "economy_liaison",
    "tianbao5": "agriculture_liaison",
}
