"""Reading the organisation workbook into rows: each sheet found by its own header, each cell
checked (codes, names, kinds, roles, numbers), every problem kept with sheet, row, column and
value. Matching the rows against the district's records is the plan's business (plan.py).

Merged cells: a cell merged down several rows (a 单位 shared by the people below it, a 小组名称
over its members) counts for each of those rows; a merge across columns of a data row is refused,
since what belongs to which column cannot be told. Hidden rows are read like any other and listed
on the preview, so that nothing is imported unseen without being said."""

from dataclasses import dataclass, field

from shigan.core.params import shown
from shigan.core.xlsx.cells import code, display, key, plain, whole_number
from shigan.core.xlsx.layout import norm
from shigan.core.xlsx.names import split_list
from shigan.core.xlsx.reading import Book, Sheet, find_sheet
from shigan.core.xlsx.rows import FAILED, RowReader

from ..models import LeadingGroup, Person, Unit
from . import layout as L

WHOLE_ROW = "整行"
MERGED_ACROSS = "“{first}”至“{last}”列合并为一格，无法分辨各列内容：请取消合并，每列分别填写"
MAX = {
    L.UNIT_NAME.key: Unit._meta.get_field("name").max_length,
    L.SHORT_NAME.key: Unit._meta.get_field("short_name").max_length,
    L.PERSON_NAME.key: Person._meta.get_field("name").max_length,
    L.POST.key: Person._meta.get_field("post").max_length,
    L.PHONE.key: Person._meta.get_field("phone").max_length,
    L.GROUP_NAME.key: LeadingGroup._meta.get_field("name").max_length,
}


@dataclass(frozen=True)
class Problem:
    """“单位”表第5行“上级单位”列：“X”… — row 0 is the file or the sheet as a whole."""

    sheet: str
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"“{self.sheet}”表" if self.sheet else ""
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        quoted = f"“{self.value}”" if self.value else ""
        return f"{where}：{quoted}{self.message}" if where else f"{quoted}{self.message}"


@dataclass(frozen=True)
class UnitRow:
    row: int
    code: str
    name: str
    short_name: str
    kind: str
    parent: str
    sort_order: int | None


@dataclass(frozen=True)
class PersonRow:
    row: int
    code: str
    name: str
    unit: str
    post: str
    phone: str
    role: str
    sort_order: int | None


@dataclass(frozen=True)
class OversightRow:
    row: int
    leader: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class SeatRow:
    row: int
    group: str
    member: str
    role: str
    sort_order: int | None


@dataclass
class OrgFile:
    """What the workbook holds. `oversight` and `seats` are None when the file has no such sheet
    (then the district's oversight or leading groups are left as they are)."""

    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    oversight: list[OversightRow] | None = None
    seats: list[SeatRow] | None = None
    problems: list[Problem] = field(default_factory=list)
    hidden: list[tuple[str, int]] = field(default_factory=list)

    def problem(self, sheet: str, row: int, column: str, value: object, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, shown(display(value)), message))


@dataclass(frozen=True)
class FileColumn:
    """A column as the file heads it: `key` the sheet's header path, `name` for messages."""

    key: str
    name: str


def is_org_workbook(book: Book) -> bool:
    """Whether the workbook is an organisation workbook (a sheet headed 单位编码)."""
    return find_sheet(book, L.SHEET_KEYS[L.UNITS], skip=(L.GUIDE,)) is not None


def _columns(sheet: Sheet, columns: list) -> dict[str, FileColumn]:
    found = {}
    for column in columns:
        for name in (column.key, *L.HEADER_ALIASES.get(column.key, ())):
            if sheet.has(name):
                found[column.key] = FileColumn(norm(name), name)
                break
    return found


class OrgRowReader(RowReader):
    """One row's cells, values merged down from above included; problems kept as Problems."""

    def __init__(self, sheet: Sheet, title: str, row: int, out: OrgFile, down: dict):
        super().__init__(sheet, row, [])
        self.title, self.out, self.down = title, out, down

    def fail(self, column, value: object, problem: str) -> object:
        self.out.problem(self.title, self.row, column.name, value, problem)
        self.failed = True
        return FAILED

    def raw(self, column) -> object:
        col = self.sheet.column(column.key)
        if (self.row, col) in self.down:
            return self.down[(self.row, col)]
        return super().raw(column)

    def text(self, columns: dict, key: str, *, required: str = "") -> str:
        column = columns.get(key)
        if column is None:
            return ""
        value = self.read(column, plain)
        if value is FAILED:
            return ""
        if required and not value:
            self.fail(column, None, f"请填写{required}")
        elif key in MAX and len(value) > MAX[key]:
            self.fail(column, value, f"超过{MAX[key]}个字")
        elif "\n" in value and key in MAX:
            self.fail(column, value, "不能换行：请写在一行内")
        return value

    def value(self, columns: dict, key: str, parse):
        column = columns.get(key)
        if column is None:
            return None
        value = self.read(column, parse)
        return None if value is FAILED else value


def _merges(sheet: Sheet, columns: dict[str, FileColumn]):
    """Values spread down vertical merges; the rows with a merge across mapped columns."""
    down, across = {}, {}
    mapped = {sheet.column(c.key): c.name for c in columns.values()}
    ws = sheet.values
    for merged in ws.merged_cells.ranges:
        if merged.max_row < sheet.data_start:
            continue
        value = ws.cell(row=merged.min_row, column=merged.min_col).value
        inside = [mapped[c] for c in sorted(mapped) if merged.min_col <= c <= merged.max_col]
        for row in range(max(merged.min_row, sheet.data_start), merged.max_row + 1):
            if merged.min_col == merged.max_col:
                down[(row, merged.min_col)] = value
            elif len(inside) > 1:
                across[row] = (inside[0], inside[-1], value)
    return down, across


class OrgReader:
    """Reads every sheet of an organisation workbook."""

    def __init__(self, book: Book):
        self.book = book
        self.out = OrgFile()

    def read(self) -> OrgFile:
        units = self._sheet(L.UNITS, self._unit, required=(L.UNIT_NAME, L.KIND))
        if units is None:
            self.out.problem("", 0, "", "", "未找到“单位”表：应有一张表头含“单位编码”的工作表。"
                             "请使用系统下载的组织架构模板。")  # fmt: skip
        people = self._sheet(L.PEOPLE, self._person, required=(L.PERSON_NAME, L.PERSON_UNIT))
        oversight = self._sheet(L.OVERSIGHT, self._oversight, required=(L.LEADER, L.OVERSEEN))
        seats = self._sheet(L.GROUPS, self._seat, required=(L.GROUP_NAME, L.MEMBER, L.GROUP_ROLE))
        self.out.units, self.out.people = units or [], people or []
        self.out.oversight, self.out.seats = oversight, seats
        self.out.problems.sort(key=lambda p: (list(L.SHEETS).index(p.sheet) if p.sheet else -1,
                                              p.row))  # fmt: skip
        return self.out

    def _sheet(self, title: str, read_row, *, required: tuple) -> list | None:
        sheet = find_sheet(self.book, L.SHEET_KEYS[title], skip=(L.GUIDE,))
        if sheet is None:
            return None
        columns = _columns(sheet, L.SHEETS[title])
        missing = [c.key for c in required if c.key not in columns]
        if missing:
            names = "、".join(f"“{m}”" for m in missing)
            self.out.problem(
                title, sheet.header_row, "", "", f"表头缺少{names}列。请使用系统下载的模板。"
            )
            return []
        down, across = _merges(sheet, columns)
        rows = []
        for row in sheet.data_rows():
            if row in across:
                first, last, value = across[row]
                self.out.problem(
                    title, row, first, value, MERGED_ACROSS.format(first=first, last=last)
                )
                continue
            if sheet.hidden(row):
                self.out.hidden.append((title, row))
            reader = OrgRowReader(sheet, title, row, self.out, down)
            record = read_row(reader, columns)
            if not reader.failed:
                rows.append(record)
        return rows

    def _unit(self, r: OrgRowReader, columns) -> UnitRow:
        kind_text = r.text(columns, L.KIND.key, required="类型")
        kind = L.KIND_NAMES.get(key(kind_text).replace(" ", ""))
        if kind_text and kind is None:
            names = "、".join(L.KIND_NAMES)
            r.fail(columns[L.KIND.key], kind_text, f"不是有效的单位类型（应为{names}之一）")
        return UnitRow(
            row=r.row,
            code=r.value(columns, L.UNIT_CODE.key, code) or "",
            name=r.text(columns, L.UNIT_NAME.key, required="单位名称"),
            short_name=r.text(columns, L.SHORT_NAME.key),
            kind=kind or "",
            parent=r.text(columns, L.PARENT.key),
            sort_order=r.value(columns, L.UNIT_ORDER.key, whole_number),
        )

    def _person(self, r: OrgRowReader, columns) -> PersonRow:
        role_text = r.text(columns, L.ROLE.key)
        role = L.ROLE_NAMES.get(key(role_text).replace(" ", ""), "") if role_text else ""
        if role_text and not role:
            r.fail(columns[L.ROLE.key], role_text,
                   "不是有效的系统角色（应为专班、领导、单位填报员、督查之一，或不填）")  # fmt: skip
        return PersonRow(
            row=r.row,
            code=r.value(columns, L.PERSON_CODE.key, code) or "",
            name=r.text(columns, L.PERSON_NAME.key, required="姓名"),
            unit=r.text(columns, L.PERSON_UNIT.key, required="单位"),
            post=r.text(columns, L.POST.key),
            phone=r.text(columns, L.PHONE.key),
            role=role,
            sort_order=r.value(columns, L.PERSON_ORDER.key, whole_number),
        )

    def _oversight(self, r: OrgRowReader, columns) -> OversightRow:
        leader = r.text(columns, L.LEADER.key, required="领导")
        units = tuple(split_list(r.text(columns, L.OVERSEEN.key, required="分管单位")))
        return OversightRow(row=r.row, leader=leader, units=units)

    def _seat(self, r: OrgRowReader, columns) -> SeatRow:
        role_text = r.text(columns, L.GROUP_ROLE.key, required="组内职务")
        role = L.GROUP_ROLE_NAMES.get(key(role_text).replace(" ", ""), "")
        if role_text and not role:
            r.fail(
                columns[L.GROUP_ROLE.key], role_text, "不是有效的组内职务（应为组长、副组长或成员）"
            )
        return SeatRow(
            row=r.row,
            group=r.text(columns, L.GROUP_NAME.key, required="小组名称"),
            member=r.text(columns, L.MEMBER.key, required="成员"),
            role=role,
            sort_order=r.value(columns, L.SEAT_ORDER.key, whole_number),
        )


def read_org_file(book: Book) -> OrgFile:
    return OrgReader(book).read()
