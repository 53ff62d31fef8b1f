"""The task list as a workbook in the import layout: the blank template, a filled example and the
export of a campaign's list tasks — which imported back changes nothing."""

import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from shigan.campaigns.models import Campaign
from shigan.core.csv_export import columns_csv
from shigan.core.params import BadValue
from shigan.core.xlsx import put
from shigan.core.xlsx.layout import (
    BORDER,
    finish,
    write_headers,
    write_note,
    write_row,
    write_title,
)

from ..models import Task, TaskOrigin
from .layout import COLUMNS, NOTE, TITLE_SUFFIX, category_heading
from .reader import dated_line

TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 2
SPARE_ROWS = 30
EXPORT_NOTE = (
    "本表由系统导出，可按此格式修改后再次导入（导入时按任务名称更新，改名视为新任务，不删除任务）。"
)


def _sheet(title: str, note: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    ws.title = "任务清单"
    write_title(ws, title, len(COLUMNS), row=TITLE_ROW)
    write_note(ws, note, len(COLUMNS), row=NOTE_ROW)
    write_headers(ws, COLUMNS, row=HEADER_ROW)
    return wb, ws


def _category_row(ws: Worksheet, row: int, heading: str) -> None:
    put(ws, row, 1, heading)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
    cell = ws.cell(row=row, column=1)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(vertical="center")
    for col in range(1, len(COLUMNS) + 1):
        ws.cell(row=row, column=col).border = BORDER


def milestone_line(title: str, due: datetime.date, year: int) -> str:
    """A milestone as the list writes it: its title alone when the title opens with its own date
    ("8月底前完成整体方案"), else "2023年8月31日：title"."""
    try:
        if dated_line(title, year) == (due, title):
            return title
    except BadValue:
        pass
    return f"{due.year}年{due.month}月{due.day}日：{title}"


def _values(task: Task, year: int) -> list:
    milestones = sorted(task.milestones.all(), key=lambda m: (m.due_date, m.sort_order, m.pk))
    supporting = sorted(task.supporting_units.all(), key=lambda u: (u.sort_order, u.pk))
    return [
        task.number,
        task.title,
        task.target,
        task.lead_unit.name,
        "、".join(u.name for u in supporting),
        task.leader.name if task.leader else "",
        task.due_date,
        "\n".join(milestone_line(m.title, m.due_date, year) for m in milestones),
    ]


def list_title(campaign: Campaign) -> str:
    year = "" if str(campaign.year) in campaign.name else f"{campaign.year}年"
    return f"{year}{campaign.name}{TITLE_SUFFIX}"


def _list_tasks(campaign: Campaign):
    """The campaign's list tasks in the list's order (three queries)."""
    return (
        Task.objects.filter(campaign=campaign, origin=TaskOrigin.LIST)
        .select_related("category", "lead_unit", "leader")
        .prefetch_related("supporting_units", "milestones")
        .order_by("category__sort_order", "category_id", "number", "id")
    )


def task_list_workbook(campaign: Campaign) -> Workbook:
    """The campaign's list tasks by category, in the import layout (three queries)."""
    wb, ws = _sheet(list_title(campaign), EXPORT_NOTE)
    row, category, index = FIRST_ROW, None, 0
    for task in _list_tasks(campaign):
        if task.category_id != category:
            category, index = task.category_id, index + 1
            _category_row(ws, row, category_heading(index, task.category.name))
            row += 1
        write_row(ws, row, COLUMNS, _values(task, campaign.year))
        row += 1
    finish(ws, first_data_row=FIRST_ROW)
    return wb


def task_list_csv(campaign: Campaign) -> bytes:
    """The workbook's tasks as a CSV, each row led by its category (the workbook's heading
    rows), in the same order (three queries)."""
    rows = ([t.category.name, *_values(t, campaign.year)] for t in _list_tasks(campaign))
    return columns_csv(COLUMNS, rows, lead=["类别"])


def task_list_template(year: int) -> Workbook:
    """The blank template: title, instructions, header, bordered empty rows."""
    wb, ws = _sheet(f"{year}年{TITLE_SUFFIX}", NOTE)
    for row in range(FIRST_ROW, FIRST_ROW + SPARE_ROWS):
        write_row(ws, row, COLUMNS, [None] * len(COLUMNS))
    finish(ws, first_data_row=FIRST_ROW)
    return wb


EXAMPLE = [
    ("全面完善路网体系", [(
        1, "兴业大道建设项目",
        "完成兴业大道建设项目专项债项目的规划设计和实地测量，8月底前完成项目整体方案，9月进入项目申报，"
        "年内争取项目资金落实。",
        "交通建设办公室", "自然资源和规划办公室、财政所", "王志强", "年底",
        "4月底前完成专项债项目规划设计\n6月底前完成项目实地测量\n8月底前完成项目整体方案\n9月进入项目申报",
    )]),
    ("大力实施招商引资", [(
        1, "招商引资",
        "围绕重点工业产业链开展精准招商，全年外出招商不少于8次，签订协议项目不少于6个，实际落地项目"
        "不少于5个。",
        "招商服务中心", "经济发展办公室", "李建国", "{year}年12月31日",
        "一季度外出招商不少于2次\n上半年签订协议项目不少于3个\n三季度外出招商累计不少于6次",
    )]),
    ("持续修复流域生态", [(
        1, "清凉河治理二期工程",
        "实施清凉河治理二期工程，新建2公里清凉河堤防、护岸护坡及河道疏浚，新建排水闸和附属设施，"
        "年底取得显著治理成效。",
        "水务站", "农业农村办公室、自然资源和规划办公室、清凉村", "王志强", "{year}.12.31",
        "3月底前纳入全县重点项目建设范围\n6月底前完成施工图设计和施工招标\n"
        "10月底前新建2公里清凉河堤防及护岸护坡\n年底取得治理成效",
    )]),
]  # fmt: skip


def task_list_example(year: int) -> Workbook:
    """The template filled with the seed district's three tasks, dates written as lists write
    them (年底, 8月底前, 三季度 …)."""
    wb, ws = _sheet(f"{year}年作风建设“实干年”活动{TITLE_SUFFIX}（示例）", NOTE)
    row = FIRST_ROW
    for index, (category, tasks) in enumerate(EXAMPLE, start=1):
        _category_row(ws, row, category_heading(index, category))
        row += 1
        for values in tasks:
            cells = [v.format(year=year) if isinstance(v, str) else v for v in values]
            write_row(ws, row, COLUMNS, cells)
            row += 1
    finish(ws, first_data_row=FIRST_ROW)
    return wb
