"""The organisation workbook (组织架构表): four data sheets and a 说明 sheet, each data sheet a
title row, a header and a row per record. The template, the example and the export write the
columns below; the reader finds each sheet by a header only it has and accepts the aliases of
HEADER_ALIASES for the same column."""

from shigan.core.xlsx.layout import Column

from ..models import GroupRole, Role, UnitKind

GUIDE = "说明"
UNITS, PEOPLE, OVERSIGHT, GROUPS = "单位", "人员", "分管", "领导小组"

UNIT_CODE = Column("单位编码", 12)
UNIT_NAME = Column("单位名称", 28)
SHORT_NAME = Column("简称", 14)
KIND = Column("类型", 10)
PARENT = Column("上级单位", 20, label="上级单位")
UNIT_ORDER = Column("排序", 7)
UNIT_COLUMNS = [UNIT_CODE, UNIT_NAME, SHORT_NAME, KIND, PARENT, UNIT_ORDER]

PERSON_CODE = Column("人员编码", 12)
PERSON_NAME = Column("姓名", 10)
PERSON_UNIT = Column("单位", 24)
POST = Column("职务", 24)
PHONE = Column("联系电话", 15)
ROLE = Column("系统角色", 12)
PERSON_ORDER = Column("排序", 7)
PERSON_COLUMNS = [PERSON_CODE, PERSON_NAME, PERSON_UNIT, POST, PHONE, ROLE, PERSON_ORDER]

LEADER = Column("领导", 14)
OVERSEEN = Column("分管单位", 60)
OVERSIGHT_COLUMNS = [LEADER, OVERSEEN]

GROUP_NAME = Column("小组名称", 30)
MEMBER = Column("成员", 14)
GROUP_ROLE = Column("组内职务", 10)
SEAT_ORDER = Column("排序", 7)
GROUP_COLUMNS = [GROUP_NAME, MEMBER, GROUP_ROLE, SEAT_ORDER]

SHEETS = {
    UNITS: UNIT_COLUMNS,
    PEOPLE: PERSON_COLUMNS,
    OVERSIGHT: OVERSIGHT_COLUMNS,
    GROUPS: GROUP_COLUMNS,
}
# The header only that sheet has, by which the reader finds it.
SHEET_KEYS = {UNITS: "单位编码", PEOPLE: "人员编码", OVERSIGHT: "分管单位", GROUPS: "小组名称"}
HEADER_ALIASES = {
    PARENT.key: ("上级单位编码", "上级单位名称", "上级单位（编码或名称）"),
    PERSON_UNIT.key: ("所在单位", "单位（编码或名称）"),
    LEADER.key: ("分管领导", "领导（编码或姓名）"),
    MEMBER.key: ("姓名", "人员编码", "人员", "姓名/人员编码", "姓名或人员编码"),
    ROLE.key: ("角色",),
    GROUP_ROLE.key: ("职务", "小组职务"),
}

KIND_NAMES = {
    "党委政府": UnitKind.PARTY_GOVERNMENT,
    "党委": UnitKind.PARTY_GOVERNMENT,
    "政府部门": UnitKind.BUREAU,
    "部门": UnitKind.BUREAU,
    "办公室": UnitKind.OFFICE,
    "乡镇街道": UnitKind.TOWNSHIP,
    "乡镇": UnitKind.TOWNSHIP,
    "街道": UnitKind.TOWNSHIP,
    "村": UnitKind.VILLAGE,
    "社区": UnitKind.COMMUNITY,
    "企业": UnitKind.ENTERPRISE,
    "专班": UnitKind.TASK_FORCE,
}
ROLE_NAMES = {
    "专班": Role.COORDINATOR,
    "专班（统筹）": Role.COORDINATOR,
    "领导": Role.LEADER,
    "单位填报员": Role.REPORTER,
    "填报员": Role.REPORTER,
    "督查": Role.INSPECTOR,
}
ROLE_LABELS = {
    Role.COORDINATOR: "专班",
    Role.LEADER: "领导",
    Role.REPORTER: "单位填报员",
    Role.INSPECTOR: "督查",
}
GROUP_ROLE_NAMES = {label: value for value, label in GroupRole.choices}

TITLES = {
    UNITS: "单位",
    PEOPLE: "人员",
    OVERSIGHT: "分管关系",
    GROUPS: "领导小组成员",
}
NOTES = {
    UNITS: "单位编码为稳定编码（再次导入按编码更新）；上级单位填编码或名称；"
    "没有上级单位的一行是本区县本身（类型“党委政府”）。类型：党委政府、党委、政府部门、部门、办公室、"
    "乡镇街道、村、社区、企业、专班。",
    PEOPLE: "人员编码可不填（不填时按同一单位内的姓名对应已有人员）；单位填编码或名称；"
    "系统角色：专班、领导、单位填报员、督查，或不填（无登录角色）。",
    OVERSIGHT: "每行一位领导；分管单位可填多个，用顿号、逗号或换行分隔；领导填人员编码或姓名。",
    GROUPS: "每行一个成员；成员填人员编码或姓名；组内职务：组长、副组长、成员。",
}

GUIDE_LINES = [
    "组织架构导入说明",
    "本文件有四张表：单位、人员、分管、领导小组。只有“单位”表必须有；没有“分管”或“领导小组”表时，"
    "系统中的分管关系或领导小组不作改动。",
    "1. 单位：每行一个单位。单位编码是稳定编码，再次导入时按编码更新（改名的单位保留编码即可）；"
    "编码只能由字母、数字和“.”“_”“-”组成。上级单位填上级的编码或名称。没有上级单位的一行是本区县本身，"
    "对应系统中已有的区县单位（按编码或名称）；其他单位都须填写上级单位，不能形成循环。",
    "2. 人员：每行一人。有人员编码时按编码对应已有人员，没有时按同一单位内的相同姓名对应；"
    "系统角色只能是专班、领导、单位填报员、督查或不填。建好人员后，在“账号管理”中可一次为所有有角色的人员建立账号。",
    "3. 分管：每行一位领导和他分管的单位（多个单位用顿号、逗号或换行分隔）；领导须是本文件或系统中的人员。",
    "4. 领导小组：每行一个成员（小组名称、成员、组内职务、排序）；组内职务为组长、副组长或成员。",
    "5. 导入前先显示预览：新增、更新、不变和文件中没有的内容。文件中没有的单位、人员、分管关系和小组成员"
    "不会自动删除，只有在预览页逐项勾选后才删除；有任务或其他记录的单位和人员不能删除（预览页写明原因），"
    "有登录账号的人员只停用账号、不删除。",
    "6. 所有内容一次全部导入或全部不导入；同一文件导入两次不会重复建立。隐藏的行照常读取（预览页列出）；"
    "公式须有计算结果；以“=”开头的文字按文字保存。编码若被Excel存为数字（如101），按“101”读取。",
]
