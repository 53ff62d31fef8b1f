"""Task-list workbooks as districts send them, built with openpyxl for the import tests: a merged
title row, a header, merged category rows, task rows (and whatever oddity a test adds)."""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from shigan.core.xlsx import put

SEED_HEADER = [
    "序号",
    "任务内容/目标",
    "牵头单位",
    "配合单位",
    "责任领导",
    "完成时限",
    "节点1",
    "节点2",
]
TEMPLATE_HEADER = ["序号", "任务名称", "目标任务", "牵头单位", "配合单位", "责任领导", "完成时限", "时间节点"]  # fmt: skip
TITLE_ROW, HEADER_ROW = 1, 2


class ListSheet:
    """A one-sheet workbook: title in row 1, header in row 2, then rows as added."""

    def __init__(self, header: list[str] = SEED_HEADER, title: str = "示范区“实干年”任务分解表"):
        self.wb = Workbook()
        self.ws = self.wb.active
        self.header = header
        self.ws.cell(row=TITLE_ROW, column=1, value=title)
        self.ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        for col, name in enumerate(header, start=1):
            self.ws.cell(row=HEADER_ROW, column=col, value=name)
        self.next_row = HEADER_ROW + 1

    def col(self, name: str) -> int:
        return self.header.index(name) + 1

    def letter(self, name: str) -> str:
        return get_column_letter(self.col(name))

    def category(self, text: str, *, merged: bool = True) -> int:
        row = self.next_row
        self.ws.cell(row=row, column=1, value=text)
        if merged:
            self.ws.merge_cells(
                start_row=row, start_column=1, end_row=row, end_column=len(self.header)
            )
        self.next_row += 1
        return row

    def task(self, **values) -> int:
        """A task row; keyword names are header names with "/" written "_" (任务内容_目标)."""
        row = self.next_row
        for name, value in values.items():
            put(self.ws, row, self.col(name.replace("_", "/")), value)
        self.next_row += 1
        return row

    def cell(self, row: int, name: str):
        return self.ws.cell(row=row, column=self.col(name))

    def save(self, path: Path) -> Path:
        self.wb.save(path)
        return path


def seed_sheet() -> ListSheet:
    """The seed district's three tasks as a district would type them (world's units and people)."""
    sheet = ListSheet()
    sheet.category("一、全面完善路网体系")
    sheet.task(
        序号=1,
        任务内容_目标="兴业大道建设项目\n完成专项债项目的规划设计和实地测量，8月底前完成整体方案，9月进入申报。",
        牵头单位="区交通局",
        配合单位="区水务局",
        责任领导="李副区长",
        完成时限="2023年12月底",
        节点1="4月底前完成规划设计",
        节点2="8月底前完成整体方案；9月进入申报",
    )
    sheet.category("二、持续修复流域生态")
    sheet.task(
        序号=1,
        任务内容_目标="清凉河治理二期工程：新建2公里清凉河堤防、护岸护坡及河道疏浚",
        牵头单位="区水务局",
        配合单位="区交通局",
        责任领导="李副区长（副区长）",
        完成时限="年底",
        节点1="三季度末完成堤防基础",
    )
    sheet.task(
        序号=2,
        任务内容_目标="河道常态化保洁",
        牵头单位="区水务局",
        完成时限="长期坚持",
    )
    return sheet
