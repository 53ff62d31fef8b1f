"""Reading a task-list sheet into ListRows: its columns found by the headers districts use, category
rows told from task rows, every cell checked and every problem kept (row, column, value, message).

Merged cells: a cell merged down several rows (a 牵头单位 or 责任领导 shared by consecutive tasks,
as lists are often laid out) counts for each of those rows; a row merged across the sheet with
one text is a category row; a merge across two columns of a task row is refused, since what
belongs to which column cannot be told. A hidden row with anything in it is refused: nothing is
imported that the person importing cannot see.
"""

import re
from dataclasses import dataclass, field

from shigan.campaigns.models import Campaign
from shigan.core.dates import SEPARATORS, leading_deadline, parse_deadline
from shigan.core.params import BadValue, shown
from shigan.core.progress import tick
from shigan.core.xlsx.cells import BadCell, display, key, text
from shigan.core.xlsx.reading import Book, Sheet, find_sheet
from shigan.core.xlsx.rows import FAILED, RowReader

from ..models import Milestone, Task, TaskCategory
from ..services.task_list import ListMilestone, ListRow, RowProblem
from .layout import LEAD_KEYS, category_name, field_of
from .names import Register, UnknownName

REQUIRED = {"number": "序号", "title": "任务名称", "lead_unit": "牵头单位", "due": "完成时限"}
WHOLE_ROW = "整行"
LINES = re.compile(r"[\n\r]+")
CLAUSES = re.compile(r"[；;]+")
ITEM_NUMBER = re.compile(r"^(?:[0-9]{1,2}[、)）]|[0-9]{1,2}[.．](?![0-9])|[0-9]{1,2}[.．](?=[0-9]{1,2}月)"
                         r"|[（(][0-9一二三四五六七八九十]{1,2}[）)]|[①-⑳])\s*")  # fmt: skip
TRAILING_DATE = re.compile(r"^(?P<title>.+?)\s*[（(](?P<date>[^（）()]+)[）)]$")
NUMBER = re.compile(r"([0-9]{1,5})[.、]?")
HEADING = re.compile(
    r"(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+)"
)
MAX_TITLE = Task._meta.get_field("title").max_length
MAX_CATEGORY = TaskCategory._meta.get_field("name").max_length
MAX_MILESTONE = Milestone._meta.get_field("title").max_length


@dataclass(frozen=True)
class FileColumn:
    """A column as the file heads it: `key` the Sheet's header path, `name` for messages."""

    key: str
    name: str
    field: str
    index: int


@dataclass
class Layout:
    sheet: Sheet
    columns: dict[str, FileColumn]
    milestones: list[FileColumn]

    def mapped(self) -> list[FileColumn]:
        return [*self.columns.values(), *self.milestones]


def find_task_sheet(book: Book) -> Sheet | None:
    """The first worksheet whose header has a 牵头单位 (or 责任单位 …) column."""
    return find_sheet(book, *LEAD_KEYS)


def layout_of(sheet: Sheet) -> tuple[Layout, list[str]]:
    """The sheet's columns by field, and what its header lacks."""
    lasts = [path.rsplit("/", 1)[-1] for path in sheet.columns]
    columns: dict[str, FileColumn] = {}
    milestones: list[FileColumn] = []
    for path, index in sorted(sheet.columns.items(), key=lambda item: item[1]):
        last = path.rsplit("/", 1)[-1]
        found = field_of(path)
        # A header written "任务内容/目标" is named as written; a two-level one by its sub-header.
        whole = found and found != "milestones" and field_of(last) != found
        name = path if whole else last if lasts.count(last) == 1 else path.replace("/", "·")
        if found == "milestones":
            milestones.append(FileColumn(path, name, found, index))
        elif found and found not in columns:
            columns[found] = FileColumn(path, name, found, index)
    if "title" not in columns and "combined" in columns:
        columns["title"] = columns.pop("combined")
    elif "combined" in columns and "target" not in columns:
        columns["target"] = columns.pop("combined")
    missing = [label for key, label in REQUIRED.items() if key not in columns]
    errors = []
    if missing:
        names = "、".join(f"“{m}”" for m in missing)
        errors.append(
            f"表头缺少{names}列（任务清单应有：序号、任务名称、牵头单位、完成时限；"
            f"可选：目标任务、配合单位、责任领导、时间节点）。请使用系统下载的模板。"
        )
    return Layout(sheet, columns, milestones), errors


@dataclass
class Merges:
    """The data area's merged cells: values spread down vertical merges, rows with a merge
    across columns (first column, last column, anchor value)."""

    down: dict[tuple[int, int], object] = field(default_factory=dict)
    across: dict[int, list[tuple[int, int, object]]] = field(default_factory=dict)


def merges_of(sheet: Sheet) -> Merges:
    merges = Merges()
    ws = sheet.values
    for merged in ws.merged_cells.ranges:
        if merged.max_row < sheet.data_start:
            continue
        value = ws.cell(row=merged.min_row, column=merged.min_col).value
        for row in range(max(merged.min_row, sheet.data_start), merged.max_row + 1):
            if merged.min_col == merged.max_col:
                merges.down[(row, merged.min_col)] = value
            else:
                merges.across.setdefault(row, []).append((merged.min_col, merged.max_col, value))
    return merges


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TaskRowReader(RowReader):
    """One row's cells (values merged down from above included); problems as RowProblems."""

    def __init__(self, sheet: Sheet, row: int, problems: list[RowProblem], merges: Merges):
        super().__init__(sheet, row, [])
        self.problems, self.merges = problems, merges

    def fail(self, column, value: object, problem: str) -> object:
        self.problems.append(RowProblem(self.row, column.name, shown(display(value)), problem))
        self.failed = True
        return FAILED

    def raw(self, column) -> object:
        if (self.row, column.index) in self.merges.down:
            return self.merges.down[(self.row, column.index)]
        return super().raw(column)


@dataclass
class Reading:
    """What a sheet holds: its task rows, or the problems found."""

    rows: list[ListRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    ongoing: list[str] = field(default_factory=list)
    hidden_checked: int = 0


class TaskListReader:
    """Reads every row of a located task-list sheet for `campaign` against `register`."""

    def __init__(self, layout: Layout, campaign: Campaign, register: Register):
        self.layout, self.campaign, self.register = layout, campaign, register
        self.sheet = layout.sheet
        self.merges = merges_of(self.sheet)
        self.reading = Reading()
        self.category: str | None = None

    def read(self) -> Reading:
        for row in range(self.sheet.data_start, self.sheet.values.max_row + 1):
            tick(row)
            self._row(row)
        self._duplicates()
        self.reading.problems.sort(key=lambda p: p.row)
        return self.reading

    def _anchors(self, row: int) -> dict[int, object]:
        """The row's own non-blank values by column, a merge across counted once, at its first
        mapped column."""
        ws = self.sheet.values
        mapped = sorted(c.index for c in self.layout.mapped())
        values = {c: ws.cell(row=row, column=c).value for c in mapped}
        for first, last, value in self.merges.across.get(row, []):
            inside = [c for c in mapped if first <= c <= last]
            if inside:
                values[inside[0]] = value
        return {c: v for c, v in values.items() if not _blank(v)}

    def _row(self, row: int) -> None:
        anchors = self._anchors(row)
        spread = any((row, c.index) in self.merges.down for c in self.layout.mapped())
        if not anchors and not spread:
            return
        if self.sheet.hidden(row):
            message = "该行在Excel中被隐藏：请取消隐藏并核对后再导入（隐藏的行既不导入也不跳过）"
            self.reading.problems.append(RowProblem(row, WHOLE_ROW, "", message))
            return
        if (heading := self._category_text(row, anchors)) is not None:
            self._category(row, heading)
            return
        if problem := self._merged_across(row):
            self.reading.problems.append(problem)
            return
        self._task(row)

    def _category_text(self, row: int, anchors: dict[int, object]) -> str | None:
        if len(anchors) != 1:
            return None
        ((col, value),) = anchors.items()
        if not isinstance(value, str):
            return None
        value = text(value)
        across = any(first <= col <= last and last > first
                     for first, last, _ in self.merges.across.get(row, []))  # fmt: skip
        number = self.layout.columns["number"].index
        numbered = HEADING.match(value)
        if across or (col == number and not NUMBER.fullmatch(value)) or numbered:
            return value
        return None

    def _category(self, row: int, heading: str) -> None:
        name = category_name(heading)
        self.category = name
        if len(name) > MAX_CATEGORY:
            column = self.layout.columns["number"].name
            problem = f"类别名称超过{MAX_CATEGORY}字"
            self.reading.problems.append(RowProblem(row, column, shown(heading), problem))

    def _merged_across(self, row: int) -> RowProblem | None:
        by_index = {c.index: c for c in self.layout.mapped()}
        for first, last, value in self.merges.across.get(row, []):
            inside = [by_index[c] for c in sorted(by_index) if first <= c <= last]
            if len(inside) > 1:
                message = (
                    f"“{inside[0].name}”至“{inside[-1].name}”列合并为一格，无法分辨各列内容："
                    "请取消合并，每列分别填写"
                )
                return RowProblem(row, inside[0].name, shown(display(value)), message)
        return None

    def _task(self, row: int) -> None:
        reader = TaskRowReader(self.sheet, row, self.reading.problems, self.merges)
        cols = self.layout.columns
        number = reader.read(cols["number"], _number)
        title, target = self._title_target(reader)
        lead = self._lead_unit(reader)
        supporting = self._supporting(reader, lead)
        leader = self._leader(reader)
        due = self._due(reader)
        milestones = self._milestones(reader, due)
        if self.category is None:
            message = "任务行之前没有类别行：请在任务上方加一行类别，如“一、全面完善路网体系”"
            self.reading.problems.append(RowProblem(row, cols["title"].name, shown(title), message))
            return
        if reader.failed:
            return
        labels = {f: c.name for f, c in cols.items()}
        if self.layout.milestones:
            labels["milestones"] = self.layout.milestones[0].name
        self.reading.rows.append(
            ListRow(
                row=row, category=self.category, number=number, title=title, target=target,
                lead_unit=lead, supporting_units=tuple(supporting), leader=leader, due_date=due,
                milestones=tuple(milestones), labels=labels,
                shown={"due": shown(display(reader.raw(cols["due"])))},
            )
        )  # fmt: skip

    def _title_target(self, reader: TaskRowReader) -> tuple[str, str]:
        cols = self.layout.columns
        value = reader.read(cols["title"])
        target = reader.read(cols["target"]) if "target" in cols else ""
        if value is FAILED or target is FAILED:
            return "", ""
        if cols["title"].field == "combined" and "target" not in cols:
            value, target = _split_combined(value)
        if not value:
            reader.fail(cols["title"], None, "请填写任务名称")
        elif len(value) > MAX_TITLE:
            message = f"任务名称超过{MAX_TITLE}字（{len(value)}字）：请精简，详细内容写入目标任务"
            reader.fail(cols["title"], value, message)
        return value, target or ""

    def _lead_unit(self, reader: TaskRowReader):
        column = self.layout.columns["lead_unit"]
        value = reader.read(column)
        if value is FAILED:
            return None
        names = self.register.split_units(value)
        if not names:
            return reader.fail(column, value, "请填写牵头单位")
        if len(names) > 1:
            return reader.fail(column, value, "只能填写一个牵头单位，其余单位请填入配合单位")
        try:
            return self.register.unit(names[0])
        except UnknownName as unknown:
            return reader.fail(column, names[0], str(unknown))

    def _supporting(self, reader: TaskRowReader, lead) -> list:
        column = self.layout.columns.get("supporting")
        value = reader.read(column) if column else ""
        if value is FAILED:
            return []
        units = []
        for name in self.register.split_units(value):
            try:
                unit = self.register.unit(name)
            except UnknownName as unknown:
                reader.fail(column, name, str(unknown))
                continue
            if unit == lead:
                reader.fail(column, name, "是本任务的牵头单位，不能同时作为配合单位")
            elif unit not in units:
                units.append(unit)
        return units

    def _leader(self, reader: TaskRowReader):
        column = self.layout.columns.get("leader")
        value = reader.read(column) if column else ""
        if value is FAILED or not value:
            return None
        try:
            return self.register.leader(value)
        except UnknownName as unknown:
            return reader.fail(column, value, str(unknown))

    def _due(self, reader: TaskRowReader):
        column = self.layout.columns["due"]
        value = reader.raw(column)
        if value is FAILED:
            return None
        try:
            deadline = parse_deadline(value, year=self.campaign.year)
        except BadValue as bad:
            return reader.fail(column, value, _problem(bad, value))
        if deadline.ongoing:
            self.reading.ongoing.append(f"第{reader.row}行“{text(value)}”")
            return self.campaign.end_date
        return deadline.day

    def _milestones(self, reader: TaskRowReader, due) -> list[ListMilestone]:
        found: list[ListMilestone] = []
        for column in self.layout.milestones:
            value = reader.read(column)
            if value is FAILED:
                continue
            header_date = _header_date(column, self.campaign.year)
            # One milestone a line; a cell of one line may list several, separated by ；
            lines = LINES.split(value) if LINES.search(value) else CLAUSES.split(value)
            for line in lines:
                line = ITEM_NUMBER.sub("", line.strip(), count=1).strip()
                if line and (item := self._milestone(reader, column, line, header_date)):
                    if item.title in {f.title for f in found}:
                        reader.fail(column, line, "与本行另一节点重复")
                    else:
                        found.append(item)
        return found

    def _milestone(self, reader, column, line: str, header_date) -> ListMilestone | None:
        try:
            dated = dated_line(line, self.campaign.year)
        except BadValue as bad:
            message = _problem(bad, line)
            reader.fail(column, line, message if message != str(bad) else f"开头的日期{bad}")
            return None
        if dated is None and header_date is not None:
            dated = header_date, line
        if dated is None:
            message = "未写明日期：每个节点以日期开头，如“8月底前完成整体方案”或“2023年8月31日：完成整体方案”"
            reader.fail(column, line, message)
            return None
        day, title = dated
        if not title:
            reader.fail(column, line, "只有日期，没有节点内容")
            return None
        if len(title) > MAX_MILESTONE:
            reader.fail(column, line, f"节点内容超过{MAX_MILESTONE}字")
            return None
        return ListMilestone(title, day)

    def _duplicates(self) -> None:
        first_key: dict[tuple[str, int], int] = {}
        first_title: dict[str, int] = {}
        for row in self.reading.rows:
            key = (row.category, row.number)
            if key in first_key:
                message = f"与第{first_key[key]}行序号重复（同一类别内序号不能重复）"
                problem = RowProblem(row.row, row.labels["number"], str(row.number), message)
                self.reading.problems.append(problem)
            if row.title in first_title:
                message = f"与第{first_title[row.title]}行任务名称重复（任务名称在清单内不能重复）"
                problem = RowProblem(row.row, row.labels["title"], shown(row.title), message)
                self.reading.problems.append(problem)
            first_key.setdefault(key, row.row)
            first_title.setdefault(row.title, row.row)


def _problem(bad: BadValue, value: object) -> str:
    """BadValue's message without the quoted value RowProblem names again."""
    return str(bad).removeprefix(f"“{shown(display(value))}”").removeprefix(f"“{shown(value)}”")


def _number(value: object) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
    elif isinstance(value, str) and (match := NUMBER.fullmatch(key(value))):
        number = int(match.group(1))
    elif _blank(value):
        raise BadCell("请填写序号")
    else:
        raise BadCell("不是有效的序号（应为1、2、3…的整数）")
    if number < 1:
        raise BadCell("不是有效的序号（应为1、2、3…的整数）")
    return number


def _split_combined(value: str) -> tuple[str, str]:
    """任务内容/目标 in one cell: the first line is the name, the rest the target; one line is
    split at its first colon ("兴业大道建设项目：完成…")."""
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if len(lines) > 1:
        return lines[0], "\n".join(lines[1:])
    head, colon, rest = value.partition("：") if "：" in value else value.partition(":")
    if colon and head.strip() and len(head) <= 60:
        return head.strip(), rest.strip()
    return value, ""


def dated_line(line: str, year: int):
    """(day, title) of a milestone line, or None when it states no date. A line "date：title" gives
    the title after the separator; "8月底前完成整体方案" keeps the whole line as its title."""
    found = leading_deadline(line, year=year)
    if found is not None:
        day, rest = found
        if not rest:
            return day, ""
        start = len(line) - len(rest)
        separated = 0 < start <= len(line) and line[start - 1] in SEPARATORS
        return day, (line[start:].strip() if separated else line)
    if match := TRAILING_DATE.match(line):
        try:
            deadline = parse_deadline(match.group("date"), year=year)
        except BadValue:
            return None
        if deadline.day is not None:
            return deadline.day, match.group("title").strip()
    return None


def _header_date(column: FileColumn, year: int):
    """A milestone column headed by a month ("时间节点/8月"): its date for lines without one."""
    last = column.key.rsplit("/", 1)[-1]
    if "节点" in last:
        return None
    try:
        return parse_deadline(last, year=year).day
    except BadValue:
        return None
