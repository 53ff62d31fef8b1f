"""Task-list workbooks as districts send them, built with openpyxl for the import tests: a merged
title row, a header, merged category rows, task rows (and whatever oddity a test adds)."""

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
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


# --- the same list as other programs save it ---------------------------------------------------

WPS_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>WPS 表格</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>14.0300</AppVersion></Properties>"
)
WPS_CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
    "<vt:lpwstr>2052-12.1.0.16120</vt:lpwstr></property>"
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="ICV">'
    "<vt:lpwstr>4E2D5F1A7B3C4D0E9F8A6B5C4D3E2F1A_12</vt:lpwstr></property></Properties>"
)
CUSTOM_TYPE = (
    '<Override PartName="/docProps/custom.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
)
CUSTOM_REL = (
    '<Relationship Id="rId4" Target="docProps/custom.xml" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/custom-properties"/>'
)


def wps_saved(source: Path, target: Path) -> Path:
    """`source` (written by openpyxl) as WPS 表格 saves it: docProps/app.xml names WPS,
    docProps/custom.xml carries KSOProductBuildVer (declared in [Content_Types].xml and the
    package's relationships), every other part as it was."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = WPS_APP.encode()
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", CUSTOM_TYPE.encode() + b"</Types>")
            elif item.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", CUSTOM_REL.encode() + b"</Relationships>")
            new.writestr(item.filename, data)
        new.writestr("docProps/custom.xml", WPS_CUSTOM)
    return target


SOFFICE = "/usr/bin/soffice"
CALC = "/usr/lib/libreoffice/program/libsclo.so"  # libreoffice-calc(-nogui); Writer alone can't


def libreoffice_saved(source: Path, folder: Path) -> Path:
    """`source` converted to xlsx by LibreOffice Calc (headless, a private profile): skipped
    where LibreOffice Calc is not installed, except when SHIGAN_REQUIRE_BROWSER=1 (CI)."""
    if not (Path(SOFFICE).exists() and Path(CALC).exists()):
        if os.environ.get("SHIGAN_REQUIRE_BROWSER") == "1":
            pytest.fail("LibreOffice Calc is missing; scripts/setup installs it")
        pytest.skip("LibreOffice Calc is not installed")
    out = folder / "libreoffice"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = out / source.name
    with zipfile.ZipFile(converted) as archive:
        app = archive.read("docProps/app.xml").decode()
    assert re.search(r"<Application>LibreOffice", app), app
    return converted
