"""Organisation workbooks as a district office would type them, built with openpyxl for the import
tests: one header row per sheet, then the rows as added (and whatever oddity a test adds)."""

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

from shigan.core.xlsx import put

HEADERS = {
    "单位": ["单位编码", "单位名称", "简称", "类型", "上级单位", "排序"],
    "人员": ["人员编码", "姓名", "单位", "职务", "联系电话", "系统角色", "排序"],
    "分管": ["领导", "分管单位"],
    "领导小组": ["小组名称", "成员", "组内职务", "排序"],
}


class OrgBook:
    """A workbook with the sheets named in `sheets` (all four by default), header in row 1."""

    def __init__(self, sheets=tuple(HEADERS)):
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.next_row = {}
        for title in sheets:
            ws = self.wb.create_sheet(title)
            for col, name in enumerate(HEADERS[title], start=1):
                ws.cell(row=1, column=col, value=name)
            self.next_row[title] = 2

    def ws(self, title: str):
        return self.wb[title]

    def col(self, title: str, name: str) -> int:
        return HEADERS[title].index(name) + 1

    def add(self, title: str, **values) -> int:
        row = self.next_row[title]
        for name, value in values.items():
            put(self.wb[title], row, self.col(title, name), value)
        self.next_row[title] += 1
        return row

    def unit(self, **values) -> int:
        return self.add("单位", **values)

    def person(self, **values) -> int:
        return self.add("人员", **values)

    def oversee(self, **values) -> int:
        return self.add("分管", **values)

    def seat(self, **values) -> int:
        return self.add("领导小组", **values)

    def cell(self, title: str, row: int, name: str):
        return self.wb[title].cell(row=row, column=self.col(title, name))

    def save(self, path: Path) -> Path:
        self.wb.save(path)
        return path


def world_book(**sheets) -> OrgBook:
    """The test world's organisation (shigan.testing.build_world) with unit codes, as a file."""
    book = OrgBook(**sheets)
    book.unit(单位编码="100", 单位名称="示范区党委政府", 类型="党委政府")
    book.unit(单位编码="101", 单位名称="区作风专班", 类型="专班", 上级单位="100")
    book.unit(单位编码="102", 单位名称="区交通局", 类型="部门", 上级单位="100")
    book.unit(单位编码="103", 单位名称="区水务局", 类型="部门", 上级单位="示范区党委政府")
    if "人员" in book.next_row:
        book.person(姓名="周专班", 单位="101", 系统角色="专班")
        book.person(姓名="李副区长", 单位="100", 职务="副区长", 系统角色="领导")
        book.person(姓名="王填报", 单位="102", 系统角色="单位填报员")
        book.person(姓名="赵填报", 单位="103", 系统角色="单位填报员")
        book.person(姓名="钱督查", 单位="101", 系统角色="督查")
    if "分管" in book.next_row:
        book.oversee(领导="李副区长", 分管单位="区交通局")
    return book


def as_wps(source: Path, target: Path) -> Path:
    """The workbook as WPS 表格 saves it: docProps/app.xml names WPS as the application and
    docProps/custom.xml carries WPS's KSOProductBuildVer property."""
    with zipfile.ZipFile(source) as zin:
        members = {name: zin.read(name) for name in zin.namelist()}
    app = members["docProps/app.xml"].decode()
    app = re.sub(r"<Application>[^<]*</Application>", "<Application>WPS 表格</Application>", app)
    members["docProps/app.xml"] = app.encode()
    members["docProps/custom.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
        b"<vt:lpwstr>2052-11.1.0.14309</vt:lpwstr></property></Properties>"
    )
    types = members["[Content_Types].xml"].decode()
    if "/docProps/custom.xml" not in types:
        types = types.replace(
            "</Types>",
            '<Override PartName="/docProps/custom.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
        )
    members["[Content_Types].xml"] = types.encode()
    rels = members["_rels/.rels"].decode()
    if "custom-properties" not in rels:
        rels = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdWps" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>',
        )
    members["_rels/.rels"] = rels.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target
