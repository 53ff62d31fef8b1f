"""The organisation workbook written: the blank template, the filled example and the export of a
district's organisation, all in the layout the importer reads (layout.py), with the 说明 sheet
first. The export imported back changes nothing."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from shigan.core.csv_export import columns_csv
from shigan.core.xlsx import put
from shigan.core.xlsx.layout import finish, write_headers, write_note, write_row, write_title

from ..models import LeadingGroupMember, Oversight, Person, Unit
from . import layout as L
from .example import EXAMPLE

KIND_LABEL = {kind: label for label, kind in L.KIND_NAMES.items() if label not in {"党委", "政府部门", "乡镇", "街道"}}  # fmt: skip


def _guide(wb: Workbook) -> None:
    ws = wb.active
    ws.title = L.GUIDE
    ws.column_dimensions["A"].width = 110
    for row, line in enumerate(L.GUIDE_LINES, start=1):
        cell = put(ws, row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(size=14, bold=True)


def _sheet(wb: Workbook, title: str, heading: str, rows: list[list]) -> None:
    columns = L.SHEETS[title]
    ws = wb.create_sheet(title)
    write_title(ws, f"{heading}组织架构 · {L.TITLES[title]}", len(columns))
    write_note(ws, L.NOTES[title], len(columns), row=2)
    first = write_headers(ws, columns, row=3)
    for offset, values in enumerate(rows):
        write_row(ws, first + offset, columns, values)
    finish(ws, first_data_row=first, frozen_column="B")


def _book(heading: str, sheets: dict[str, list[list]]) -> Workbook:
    wb = Workbook()
    _guide(wb)
    for title in L.SHEETS:
        _sheet(wb, title, heading, sheets.get(title, []))
    return wb


def org_template() -> Workbook:
    """The blank workbook: 说明 and the four sheets with their headers."""
    return _book("", {})


def org_example(district: Unit | None = None) -> Workbook:
    """The template filled with an example district (示范区's organisation); for `district`, its
    top row is that district itself (name, short name and code), so the example imports as it
    is into any new install."""
    if district is None:
        return _book("示范区", EXAMPLE)
    top = EXAMPLE[L.UNITS][0]
    code = district.code or top[0]
    sheets = {  # the top unit's code is the only cell that holds it, or refers to it
        title: [[code if value == top[0] else value for value in row] for row in rows]
        for title, rows in EXAMPLE.items()
    }
    sheets[L.UNITS][0][1:3] = [district.name, district.short_name]
    return _book(district.short_name or district.name, sheets)


def _ref(code: str, name: str) -> str:
    return code or name


def org_workbook(district: Unit) -> Workbook:
    """The district's organisation as it is, in the import layout (edit and import back)."""
    return _book(district.short_name or district.name, org_sheets(district))


def org_csv(district: Unit, sheet: str) -> bytes:
    """One sheet of the workbook (单位, 人员, 分管 or 领导小组) as a CSV, the same rows."""
    return columns_csv(L.SHEETS[sheet], org_sheets(district)[sheet])


def org_sheets(district: Unit) -> dict[str, list[list]]:
    """The rows of the workbook's four sheets, by sheet title."""
    units = list(Unit.objects.filter(district_id=district.pk).order_by("sort_order", "id"))
    by_pk = {u.pk: u for u in units}
    units.sort(key=lambda u: (u.pk != district.pk,))
    unit_rows = [
        [u.code, u.name, u.short_name, KIND_LABEL[u.kind],
         "" if u.pk == district.pk else _ref(by_pk[u.parent_id].code, by_pk[u.parent_id].name),
         u.sort_order]
        for u in units
    ]  # fmt: skip
    people = list(Person.objects.filter(unit__district_id=district.pk).order_by("sort_order", "id"))
    person_rows = [
        [p.code, p.name, _ref(by_pk[p.unit_id].code, by_pk[p.unit_id].name), p.post, p.phone,
         L.ROLE_LABELS.get(p.role, ""), p.sort_order]
        for p in people
    ]  # fmt: skip
    oversight: dict[int, list[str]] = {}
    leaders = {p.pk: p for p in people}
    for o in Oversight.objects.filter(leader__unit__district_id=district.pk).order_by(
        "leader__sort_order", "leader_id", "unit__sort_order", "unit_id"
    ):
        oversight.setdefault(o.leader_id, []).append(
            _ref(by_pk[o.unit_id].code, by_pk[o.unit_id].name)
        )
    oversight_rows = [
        [_ref(leaders[pk].code, leaders[pk].name), "、".join(names)]
        for pk, names in oversight.items()
    ]
    groups = LeadingGroupMember.objects.filter(person__unit__district_id=district.pk).values(
        "group_id"
    )
    seats = (
        LeadingGroupMember.objects.filter(group_id__in=groups)
        .select_related("group", "person")
        .order_by("group_id", "sort_order", "id")
    )
    seat_rows = [
        [s.group.name, _ref(s.person.code, s.person.name), s.get_role_display(), s.sort_order]
        for s in seats
    ]
    return {
        L.UNITS: unit_rows,
        L.PEOPLE: person_rows,
        L.OVERSIGHT: oversight_rows,
        L.GROUPS: seat_rows,
    }
