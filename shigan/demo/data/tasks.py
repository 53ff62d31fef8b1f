"""The demo task list (任务清单): the seed's three list tasks, their milestones and monthly
progress from February to July 2023. Each task's July report is the seed's sentence about it."""

import datetime
from dataclasses import dataclass, field

D = datetime.date


@dataclass(frozen=True)
class MilestoneData:
    title: str
    due: datetime.date
    done: datetime.date | None = None


@dataclass(frozen=True)
class TaskData:
    category: str
    title: str
    target: str
    lead_unit: str
    supporting_units: list[str]
    leader: str
    reporter: str
    start: datetime.date
    due: datetime.date
    milestones: list[MilestoneData]
    # month number -> progress narrative; reports are filed for February to July.
    reports: dict[int, str] = field(default_factory=dict)


ROAD = TaskData(
    category="全面完善路网体系",
    title="兴业大道建设项目",
    target=(
        "完成兴业大道建设项目专项债项目的规划设计和实地测量，8月底前完成项目整体方案，"
        "9月进入项目申报，年内争取项目资金落实。"
    ),
    lead_unit="transport",
    supporting_units=["planning", "finance"],
    leader="vice_chief",
    reporter="tianbao",
    start=D(2023, 2, 1),
    due=D(2023, 12, 31),
    milestones=[
        MilestoneData("完成专项债项目规划设计", D(2023, 4, 30), D(2023, 4, 21)),
        MilestoneData("完成项目实地测量", D(2023, 6, 30), D(2023, 6, 16)),
        MilestoneData("8月底前完成项目整体方案", D(2023, 8, 31)),
        MilestoneData("9月进入项目申报", D(2023, 9, 30)),
    ],
    reports={
        2: "召开兴业大道建设项目专题会，明确交通建设办公室牵头、自然资源和规划办公室和财政所配合，"
        "梳理专项债项目申报要求，启动规划设计单位比选。",
        3: "确定规划设计单位，完成项目选线初步方案，与县发改、财政部门对接专项债项目申报条件。",
        4: "完成专项债项目的规划设计，设计成果经区党委会议审议通过。",
        5: "测量单位进场，开展项目沿线地形测量和用地范围摸排，同步收集专项债项目申报资料。",
        6: "完成项目的实地测量工作，形成测量成果报告，启动项目整体方案编制。",
        7: "兴业大道建设项目目前已完成专项债项目的规划设计和项目的实地测量等工作，"
        "8月底前完成项目的整体方案，9月进入项目申报工作。",
    },
)

INVESTMENT = TaskData(
    category="大力实施招商引资",
    title="招商引资",
    target=(
        "围绕重点工业产业链开展精准招商，全年外出招商不少于8次，签订协议项目不少于6个，"
        "实际落地项目不少于5个。"
    ),
    lead_unit="investment",
    supporting_units=["economy"],
    leader="chief",
    reporter="tianbao3",
    start=D(2023, 2, 1),
    due=D(2023, 12, 31),
    milestones=[
        MilestoneData("一季度外出招商不少于2次", D(2023, 3, 31), D(2023, 3, 24)),
        MilestoneData("上半年签订协议项目不少于3个", D(2023, 6, 30), D(2023, 5, 19)),
        MilestoneData("签约项目落地不少于3个", D(2023, 8, 31), D(2023, 7, 14)),
        MilestoneData("三季度外出招商累计不少于6次", D(2023, 9, 30)),
        MilestoneData("全年签订协议项目不少于6个、落地不少于5个", D(2023, 12, 31)),
    ],
    reports={
        2: "年初以来共外出招商1次，对接重点工业产业链企业3家，建立招商项目库。",
        3: "年初以来共外出招商2次，共签订协议项目1个，在谈项目3个。",
        4: "年初以来共外出招商3次，共签订协议项目2个，实际落地项目1个。",
        5: "年初以来共外出招商3次，共签订协议项目3个，实际落地项目2个。",
        6: "年初以来共外出招商4次，共签订协议项目4个，实际落地项目2个，其余项目正在办理落地手续。",
        7: "年初以来共外出招商4次，共签订协议项目4个，实际落地项目3个。",
    },
)

RIVER = TaskData(
    category="持续修复流域生态",
    title="清凉河治理二期工程",
    target=(
        "实施清凉河治理二期工程，新建2公里清凉河堤防、护岸护坡及河道疏浚，"
        "新建排水闸和附属设施，年底取得显著治理成效。"
    ),
    lead_unit="water",
    supporting_units=["agriculture", "planning", "qingliang"],
    leader="vice_chief",
    reporter="tianbao2",
    start=D(2023, 2, 1),
    due=D(2023, 12, 31),
    milestones=[
        MilestoneData("纳入全县重点项目建设范围", D(2023, 3, 31), D(2023, 3, 17)),
        MilestoneData("完成施工图设计和施工招标", D(2023, 6, 30), D(2023, 6, 20)),
        MilestoneData("完成1公里堤防基础施工", D(2023, 8, 4)),
        MilestoneData("新建2公里清凉河堤防及护岸护坡", D(2023, 10, 31)),
        MilestoneData("完成河道疏浚、新建排水闸和附属设施", D(2023, 11, 30)),
        MilestoneData("年底取得治理成效", D(2023, 12, 31)),
    ],
    reports={
        2: "对接县水务部门，报送清凉河治理二期工程前期资料，申请纳入全县重点项目。",
        3: "清凉河治理二期工程已纳入全县重点项目建设范围，启动施工图设计。",
        4: "施工图设计初稿完成，组织沿河群众座谈，征求护岸护坡和排水闸选址意见。",
        5: "施工图设计通过审查，发布施工招标公告。",
        6: "完成施工招标，施工单位进场，开展堤防基础开挖。",
        7: "清凉河治理二期工程已纳入全县重点项目建设范围。同时新建2公里清凉河堤防、"
        "护岸护坡及河道疏浚、新建排水闸和附属设施，夯实治理保障。预计年底能取得显著治理成效。",
    },
)

TASKS: list[TaskData] = [ROAD, INVESTMENT, RIVER]

# Reports are filed on this day of each month (the July report before the demo's 2023-07-31).
REPORT_DAY = 26
