"""The task list (任务清单 / 任务分解表) as districts keep it: a title row, a header, category rows
heading each section ("一、全面完善路网体系", merged across the sheet), then a row per task.

The template and the export write the columns of COLUMNS. The reader also accepts the headers
districts use for the same thing (FIELDS: 责任单位 for 牵头单位, 任务内容/目标 as one column for
name and target, 节点1…节点N as several milestone columns …)."""

import re

from shigan.core.xlsx.layout import Column, norm

NUMBER = Column("序号", 6)
TITLE = Column("任务名称", 28)
TARGET = Column("目标任务", 40)
LEAD_UNIT = Column("牵头单位", 16)
SUPPORTING = Column("配合单位", 20)
LEADER = Column("责任领导", 10)
DUE = Column("完成时限", 14, number_format='yyyy"年"m"月"d"日"')
MILESTONES = Column("时间节点", 40)
COLUMNS = [NUMBER, TITLE, TARGET, LEAD_UNIT, SUPPORTING, LEADER, DUE, MILESTONES]

TITLE_SUFFIX = "任务清单"
NOTE = (
    "填表说明：1. 类别行写在一行内（如“一、全面完善路网体系”），其下各行为该类别的任务；2. 序号在"
    "同一类别内不重复；3. 单位、责任领导须为系统已登记的名称，配合单位可填多个，用顿号、逗号或换行"
    "分隔；4. 完成时限可写“2023年8月31日”“8月底前”“三季度末”“年底”等，“长期坚持”按活动结束日期计；"
    "5. 时间节点每行一个，以日期开头，如“8月底前完成整体方案”；6. 再次导入时按任务名称更新已有任务"
    "（改了名称的任务视为新任务，原任务保留并列出），文件中没有的任务和节点不会删除。"
)

# Header texts districts use, by field; compared after core.xlsx.layout.norm (no spaces, NFKC).
FIELDS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "title": ("任务名称", "重点任务", "工作任务", "任务", "项目名称", "任务事项", "重点工作"),
    "target": ("目标任务", "工作目标", "任务目标", "具体目标", "目标", "目标要求", "工作要求"),
    "combined": (
        "任务内容/目标", "任务内容及目标", "任务内容和目标", "任务及目标", "工作任务及目标",
        "任务内容", "工作内容", "主要内容", "具体任务", "任务内容及措施",
    ),
    "lead_unit": ("牵头单位", "责任单位", "牵头责任单位", "主责单位", "牵头部门", "责任部门"),
    "supporting": ("配合单位", "协同单位", "参与单位", "协办单位", "配合部门", "责任单位/配合单位"),
    "leader": ("责任领导", "分管领导", "牵头领导", "包保领导", "联系领导", "责任领导/分管领导"),
    "due": ("完成时限", "完成时间", "时限", "时间要求", "完成期限", "时限要求", "办结时限"),
}  # fmt: skip
LEAD_KEYS = FIELDS["lead_unit"]
CATEGORY_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十百]+|[0-9]{1,2}|[（(][一二三四五六七八九十0-9]+[）)]"
    r"|第[一二三四五六七八九十]+(?:部分|类|项|章)?)[、.．:：\s]*"
)
CN_NUMERALS = "一二三四五六七八九十"


def category_name(text: str) -> str:
    """A category row's text without its numbering: "一、全面完善路网体系" is "全面完善路网体系"."""
    return CATEGORY_NUMBER.sub("", text.strip(), count=1).strip() or text.strip()


def category_heading(index: int, name: str) -> str:
    """The category row the export writes: "一、全面完善路网体系" for the first."""
    return f"{chinese_number(index)}、{name}"


def chinese_number(n: int) -> str:
    if n <= 10:
        return CN_NUMERALS[n - 1]
    if n < 20:
        return "十" + CN_NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    if n < 100:
        return CN_NUMERALS[tens - 1] + "十" + (CN_NUMERALS[ones - 1] if ones else "")
    return str(n)


def field_of(path: str) -> str | None:
    """The field a header path names: one of FIELDS, "milestones" for any column about 节点
    (时间节点, 节点1, 时间节点/8月 …), None for a column the task list does not use."""
    last = path.rsplit("/", 1)[-1]
    for part in (path, last):
        for field, names in FIELDS.items():
            if part in {norm(n) for n in names}:
                return field
    if "节点" in path or "进度安排" in path:
        return "milestones"
    return None
