"""An organisation workbook matched against the importing coordinator's district: what would be
created, updated, left unchanged and what the district has that the file does not (a removal,
applied only when ticked). The preview shows a plan; the confirmation recomputes it and applies
it (services.org_import).

Matching, so that the same file imported twice changes nothing: a unit by its 单位编码, else by
its name (then its code is filled in); a person by his 人员编码, else the same name in the same
unit; an oversight by leader and unit; a leading-group seat by group name and person. Only the
district's own records are looked at: a code or name of another district's unit is a new unit
of this district, and nothing of another district can be changed."""

from collections import Counter

from shigan.core.xlsx.layout import norm
from shigan.core.xlsx.names import suggestion

from ..models import (
    GroupRole,
    LeadingGroupMember,
    Oversight,
    Person,
    Unit,
    UnitKind,
)
from ..queries import district_named
from . import layout as L
from .changes import (
    OrgPlan,
    OversightChange,
    PersonChange,
    Removal,
    SeatChange,
    UnitChange,
)
from .reader import OrgFile, PersonRow, Problem, UnitRow

KIND_LABELS = dict(UnitKind.choices)
GROUP_ROLE_LABELS = dict(GroupRole.choices)
# References that the import itself manages: they do not keep a unit or a person from removal.
OWN_RELATIONS = {
    (Unit, "parent"), (Unit, "district"), (Person, "unit"), (Oversight, "unit"),
    (Oversight, "leader"), (LeadingGroupMember, "person"),
}  # fmt: skip


class Planner:
    """Builds the plan of `org_file` for the district `district`; `me` is the importing person
    (None at the command line without --user), whom the import may neither remove nor demote."""

    def __init__(self, org_file: OrgFile, district: Unit, me: Person | None):
        self.file, self.district, self.me = org_file, district, me
        self.plan = OrgPlan(district=district, problems=list(org_file.problems),
                            hidden=list(org_file.hidden))  # fmt: skip
        self.db_units = list(
            Unit.objects.filter(district_id=district.pk).order_by("sort_order", "id")
        )
        self.units_by_pk = {u.pk: u for u in self.db_units}
        self.db_people = list(
            Person.objects.filter(unit__district_id=district.pk)
            .select_related("unit", "user")
            .order_by("sort_order", "id")
        )

    def problem(self, sheet: str, row: int, column: str, value: str, message: str) -> None:
        self.plan.problems.append(Problem(sheet, row, column, value, message))

    def build(self) -> OrgPlan:
        self._units()
        self._people()
        if self.file.oversight is not None:
            self._oversight()
        if self.file.seats is not None:
            self._seats()
        self._removals()
        self.plan.problems.sort(key=lambda p: (list(L.SHEETS).index(p.sheet) if p.sheet else -1,
                                               p.row))  # fmt: skip
        return self.plan

    # Units ---------------------------------------------------------------------------------

    def _match_unit(self, row: UnitRow, by_code: dict, by_name: dict) -> Unit | None:
        if row.code and row.code in by_code:
            return by_code[row.code]
        unit = by_name.get(norm(row.name))
        if unit is not None and unit.code and row.code and unit.code != row.code:
            self.problem(L.UNITS, row.row, L.UNIT_CODE.key, row.code,
                         f"系统中的“{unit.name}”编码为“{unit.code}”：同一单位请用原编码；"
                         "若是另一个单位，请换一个名称")  # fmt: skip
            return None
        return unit

    def _units(self) -> None:
        by_code = {u.code: u for u in self.db_units if u.code}
        by_name = {norm(u.name): u for u in self.db_units}
        seen_code, seen_name, matched = {}, {}, {}
        for row in self.file.units:
            if row.code and row.code in seen_code:
                self.problem(L.UNITS, row.row, L.UNIT_CODE.key, row.code,
                             f"与第{seen_code[row.code]}行的单位编码重复")  # fmt: skip
                continue
            if norm(row.name) in seen_name:
                self.problem(L.UNITS, row.row, L.UNIT_NAME.key, row.name,
                             f"与第{seen_name[norm(row.name)]}行的单位名称重复")  # fmt: skip
                continue
            seen_name[norm(row.name)] = row.row
            if row.code:
                seen_code[row.code] = row.row
            unit = self._match_unit(row, by_code, by_name)
            if unit is not None and unit.pk in matched:
                self.problem(L.UNITS, row.row, L.UNIT_NAME.key, row.name,
                             f"与第{matched[unit.pk]}行是系统中的同一个单位“{unit.name}”")  # fmt: skip
                continue
            if unit is not None:
                matched[unit.pk] = row.row
            self.plan.units.append(UnitChange(row=row, unit=unit))
        kept = [UnitChange(row=None, unit=u) for u in self.db_units if u.pk not in matched]
        self.unit_index = self._unit_index(kept)
        self._top_and_parents(kept)
        self._cycles(kept)
        self._unique_names(kept)
        for change in self.plan.units:
            if change.unit is not None:
                change.changes = self._unit_changes(change)
        self.kept_units = kept

    def _unit_index(self, kept: list[UnitChange]) -> dict[str, UnitChange]:
        """Reference text -> unit: file codes, file names, file short names, then the district's
        codes, names and short names of the units the file does not name."""
        index: dict[str, UnitChange] = {}
        file = self.plan.units
        layers = [
            [(c.row.code, c) for c in file if c.row.code],
            [(c.row.name, c) for c in file],
            [(c.unit.code, c) for c in file if c.unit and c.unit.code],
            [(c.unit.name, c) for c in file if c.unit],
            [(c.unit.code, c) for c in kept if c.unit.code],
            [(c.unit.name, c) for c in kept],
            [(c.row.short_name, c) for c in file if c.row.short_name],
            [(c.unit.short_name, c) for c in kept if c.unit.short_name],
        ]
        for layer in layers:
            for text, change in layer:
                index.setdefault(norm(text), change)
        return index

    def unit_ref(self, sheet: str, row: int, column: str, text: str) -> UnitChange | None:
        found = self.unit_index.get(norm(text))
        if found is None:
            names = {norm(c.name): c.name for c in self.unit_index.values()}
            hint = suggestion(text, names) or "（请先在“单位”表中填写该单位）"
            self.problem(sheet, row, column, text, f"不是本文件或本区县中的单位{hint}")
        return found

    def _top_and_parents(self, kept: list[UnitChange]) -> None:
        district = self.district
        by_pk = {c.unit.pk: c for c in [*self.plan.units, *kept] if c.unit is not None}
        for change in kept:
            if change.unit.pk != district.pk:
                change.parent = by_pk.get(change.unit.parent_id)
        for change in self.plan.units:
            row = change.row
            is_district = change.unit is not None and change.unit.pk == district.pk
            if not row.parent:
                if not is_district:
                    self.problem(L.UNITS, row.row, L.PARENT.key, "",
                                 f"请填写上级单位：只有本区县“{district.name}”没有上级单位"
                                 f"（它的一行应写明其名称或编码）")  # fmt: skip
                elif row.kind != UnitKind.PARTY_GOVERNMENT:
                    self.problem(L.UNITS, row.row, L.KIND.key, KIND_LABELS.get(row.kind, ""),
                                 "本区县的类型应为“党委政府”")  # fmt: skip
                elif (twin := district_named(row.name)) is not None and twin.pk != district.pk:
                    self.problem(L.UNITS, row.row, L.UNIT_NAME.key, row.name,
                                 "已是同一系统中另一个区县的名称，本区县不能改用此名")  # fmt: skip
                continue
            if is_district:
                self.problem(L.UNITS, row.row, L.PARENT.key, row.parent,
                             f"“{row.name}”是本区县本身，不能有上级单位")  # fmt: skip
                continue
            if row.kind == UnitKind.PARTY_GOVERNMENT:
                self.problem(L.UNITS, row.row, L.KIND.key, "党委政府",
                             "类型“党委政府”只能是本区县本身：下属单位请选其他类型（如乡镇街道、部门）")  # fmt: skip
            change.parent = self.unit_ref(L.UNITS, row.row, L.PARENT.key, row.parent)

    def _cycles(self, kept: list[UnitChange]) -> None:
        looped = []
        for change in self.plan.units:
            path, current = [change], change.parent
            while current is not None and current not in path:
                path.append(current)
                current = current.parent
            if current is change:
                names = " → ".join(c.name for c in [*path, change])
                self.problem(L.UNITS, change.row.row, L.PARENT.key, change.row.parent,
                             f"上级单位形成循环（{names}）：一个单位不能是自己的上级")  # fmt: skip
                looped.append(change)
        for change in looped:
            change.parent = None

    def _unique_names(self, kept: list[UnitChange]) -> None:
        kept_names = {norm(c.unit.name): c.unit for c in kept}
        for change in self.plan.units:
            other = kept_names.get(norm(change.row.name))
            if other is not None:
                code = f"（编码{other.code}）" if other.code else ""
                self.problem(L.UNITS, change.row.row, L.UNIT_NAME.key, change.row.name,
                             f"本区县已有同名单位{code}，而本文件没有它：请使用它的编码，或换一个名称")  # fmt: skip

    def _unit_changes(self, change: UnitChange) -> list[str]:
        unit, row = change.unit, change.row
        parent = self.units_by_pk.get(unit.parent_id)
        parent_now = parent.name if parent else ""
        parent_new = change.parent.name if change.parent else ""
        pairs = [
            ("单位编码", unit.code, row.code or unit.code),
            ("单位名称", unit.name, row.name),
            ("简称", unit.short_name, row.short_name),
            ("类型", unit.get_kind_display(), KIND_LABELS.get(row.kind, "")),
            (
                "排序",
                unit.sort_order,
                unit.sort_order if row.sort_order is None else row.sort_order,
            ),
        ]
        if unit.pk != self.district.pk and change.parent is not None:
            moved = change.parent.unit is None or change.parent.unit.pk != unit.parent_id
            if moved:
                pairs.append(("上级单位", parent_now, parent_new))
        return [f"{label} {old or '（空）'} → {new or '（空）'}"
                for label, old, new in pairs if old != new]  # fmt: skip

    # People --------------------------------------------------------------------------------

    def _people(self) -> None:
        by_code = {p.code: p for p in self.db_people if p.code}
        by_unit_name: dict[tuple[int, str], list[Person]] = {}
        for person in self.db_people:
            by_unit_name.setdefault((person.unit_id, norm(person.name)), []).append(person)
        seen_code, seen_name, matched = {}, {}, {}
        for row in self.file.people:
            unit = self.unit_ref(L.PEOPLE, row.row, L.PERSON_UNIT.key, row.unit)
            if row.code and row.code in seen_code:
                self.problem(L.PEOPLE, row.row, L.PERSON_CODE.key, row.code,
                             f"与第{seen_code[row.code]}行的人员编码重复")  # fmt: skip
                continue
            if row.code:
                seen_code[row.code] = row.row
            if unit is None:
                continue
            name_key = (id(unit), norm(row.name))
            if not row.code and name_key in seen_name:
                self.problem(L.PEOPLE, row.row, L.PERSON_NAME.key, row.name,
                             f"与第{seen_name[name_key]}行是同一单位的同名人员：请填写人员编码以区分")  # fmt: skip
                continue
            seen_name.setdefault(name_key, row.row)
            person = self._match_person(row, unit, by_code, by_unit_name)
            if person is not None and person.pk in matched:
                self.problem(L.PEOPLE, row.row, L.PERSON_NAME.key, row.name,
                             f"与第{matched[person.pk]}行是系统中的同一个人员")  # fmt: skip
                continue
            if person is not None:
                matched[person.pk] = row.row
            change = PersonChange(row=row, person=person, unit=unit)
            if person is not None:
                change.changes = self._person_changes(change)
            self._check_me(change)
            self.plan.people.append(change)
        self.kept_people = [PersonChange(row=None, person=p) for p in self.db_people
                            if p.pk not in matched]  # fmt: skip
        self.person_index = self._person_index()

    def _match_person(self, row: PersonRow, unit: UnitChange, by_code, by_unit_name):
        if row.code and row.code in by_code:
            return by_code[row.code]
        if unit.unit is None:
            return None
        same = [p for p in by_unit_name.get((unit.unit.pk, norm(row.name)), [])
                if not p.code or not row.code]  # fmt: skip
        if len(same) > 1:
            self.problem(L.PEOPLE, row.row, L.PERSON_NAME.key, row.name,
                         f"系统中“{unit.name}”有{len(same)}位同名人员：请填写人员编码以区分")  # fmt: skip
            return None
        return same[0] if same else None

    def _person_changes(self, change: PersonChange) -> list[str]:
        person, row = change.person, change.row
        unit_now = self.units_by_pk[person.unit_id].name
        moved = change.unit.unit is None or change.unit.unit.pk != person.unit_id
        pairs = [
            ("人员编码", person.code, row.code or person.code),
            ("姓名", person.name, row.name),
            ("单位", unit_now, change.unit.name if moved else unit_now),
            ("职务", person.post, row.post),
            ("联系电话", person.phone, row.phone),
            ("系统角色", L.ROLE_LABELS.get(person.role, ""), L.ROLE_LABELS.get(row.role, "")),
            ("排序", person.sort_order,
             person.sort_order if row.sort_order is None else row.sort_order),
        ]  # fmt: skip
        return [f"{label} {old or '（空）'} → {new or '（空）'}"
                for label, old, new in pairs if old != new]  # fmt: skip

    def _check_me(self, change: PersonChange) -> None:
        me = self.me
        if me is None or change.person is None or change.person.pk != me.pk:
            return
        if change.row.role != me.role:
            self.problem(L.PEOPLE, change.row.row, L.ROLE.key, L.ROLE_LABELS.get(change.row.role, ""),
                         "这是您本人：不能通过导入改变自己的系统角色（请由另一位专班在账号管理中修改）")  # fmt: skip

    def _person_index(self) -> dict[str, list[PersonChange]]:
        """Reference text -> the people it may name: codes first (file, then district), then
        names (file rows; the district's people the file does not name)."""
        index: dict[str, list[PersonChange]] = {}
        everyone = [*self.plan.people, *self.kept_people]
        for change in everyone:
            codes = {
                change.row.code if change.row else "",
                change.person.code if change.person else "",
            }
            for code in filter(None, codes):
                index.setdefault(f"#{norm(code)}", []).append(change)
        for change in everyone:
            index.setdefault(norm(change.name), []).append(change)
        return index

    def person_ref(self, sheet: str, row: int, column: str, text: str) -> PersonChange | None:
        found = self.person_index.get(f"#{norm(text)}") or self.person_index.get(norm(text), [])
        if len(found) == 1:
            return found[0]
        if found:
            who = "、".join(c.label for c in found)
            self.problem(
                sheet, row, column, text, f"有{len(found)}位同名人员（{who}）：请填写人员编码"
            )
            return None
        if norm(text) in self.unit_index:
            self.problem(sheet, row, column, text, "是单位名称，不是人员：请填写人员编码或姓名")
            return None
        names = {k: v[0].name for k, v in self.person_index.items() if not k.startswith("#")}
        hint = suggestion(text, names) or "（请先在“人员”表中填写此人）"
        self.problem(sheet, row, column, text, f"不是本文件或本区县中的人员{hint}")
        return None

    # Oversight and leading groups ----------------------------------------------------------

    def _oversight(self) -> None:
        existing = {(o.leader_id, o.unit_id): o for o in self.db_oversight}
        seen = set()
        for row in self.file.oversight:
            leader = self.person_ref(L.OVERSIGHT, row.row, L.LEADER.key, row.leader)
            for text in row.units:
                unit = self.unit_ref(L.OVERSIGHT, row.row, L.OVERSEEN.key, text)
                if leader is None or unit is None or (id(leader), id(unit)) in seen:
                    continue
                seen.add((id(leader), id(unit)))
                pair = (leader.person.pk if leader.person else None,
                        unit.unit.pk if unit.unit else None)  # fmt: skip
                self.plan.oversight.append(OversightChange(leader, unit, existing.get(pair)))

    @property
    def db_oversight(self) -> list[Oversight]:
        if not hasattr(self, "_db_oversight"):
            self._db_oversight = list(
                Oversight.objects.filter(leader__unit__district_id=self.district.pk)
                .select_related("leader", "unit")
                .order_by("leader__sort_order", "leader_id", "unit__sort_order", "unit_id")
            )
        return self._db_oversight

    @property
    def db_seats(self) -> list[LeadingGroupMember]:
        """The seats of the district's leading groups (a group is the district's when one of its
        members is; LeadingGroup has no district of its own)."""
        if not hasattr(self, "_db_seats"):
            groups = LeadingGroupMember.objects.filter(
                person__unit__district_id=self.district.pk
            ).values("group_id")
            self._db_seats = list(
                LeadingGroupMember.objects.filter(group_id__in=groups)
                .select_related("group", "person")
                .order_by("group_id", "sort_order", "id")
            )
        return self._db_seats

    def _seats(self) -> None:
        groups = {norm(s.group.name): s.group for s in self.db_seats}
        seats = {(s.group_id, s.person_id): s for s in self.db_seats}
        seen: dict[tuple[str, int], int] = {}
        for row in self.file.seats:
            member = self.person_ref(L.GROUPS, row.row, L.MEMBER.key, row.member)
            if member is None:
                continue
            taken = seen.get((norm(row.group), id(member)))
            if taken:
                self.problem(L.GROUPS, row.row, L.MEMBER.key, row.member,
                             f"与第{taken}行是同一小组的同一人员")  # fmt: skip
                continue
            seen[(norm(row.group), id(member))] = row.row
            group = groups.get(norm(row.group))
            if group is None and row.group not in self.plan.new_groups:
                self.plan.new_groups.append(row.group)
            seat = seats.get((group.pk, member.person.pk)) if group and member.person else None
            change = SeatChange(row=row, member=member, group=group, seat=seat)
            if seat is not None:
                order = seat.sort_order if row.sort_order is None else row.sort_order
                pairs = [("组内职务", seat.get_role_display(), GROUP_ROLE_LABELS[row.role]),
                         ("排序", seat.sort_order, order)]  # fmt: skip
                change.changes = [f"{a} {b} → {c}" for a, b, c in pairs if b != c]
            self.plan.seats.append(change)

    # Removals ------------------------------------------------------------------------------

    def _removals(self) -> None:
        referenced = self._referenced()
        units = [c for c in self.kept_units if c.unit.pk != self.district.pk]
        people = self.kept_people
        unit_refs = outside_references(Unit, [c.unit.pk for c in units])
        person_refs = outside_references(Person, [c.person.pk for c in people])
        if self.file.seats is not None:
            named = {s.seat.pk for s in self.plan.seats if s.seat}
            for seat in self.db_seats:
                if seat.pk not in named:
                    self._removal(f"seat:{seat.pk}", "领导小组成员", seat,
                                  f"{seat.group.name} · {seat.get_role_display()} {seat.person.name}")  # fmt: skip
        if self.file.oversight is not None:
            named = {o.existing.pk for o in self.plan.oversight if o.existing}
            for oversight in self.db_oversight:
                if oversight.pk not in named:
                    self._removal(f"oversight:{oversight.pk}", "分管关系", oversight,
                                  f"{oversight.leader.name} 分管 {oversight.unit.name}")  # fmt: skip
        for change in people:
            person = change.person
            blocked = person_refs.get(person.pk, "")
            if id(change) in referenced:
                blocked = "本文件的“分管”或“领导小组”表仍引用此人"
            action = "删除"
            if self.me is not None and person.pk == self.me.pk:
                blocked = "这是您本人"
            elif person.user_id is not None and not blocked:
                if person.user.is_active:
                    action = "停用账号（有登录账号，人员保留）"
                else:
                    blocked = "有登录账号（已停用），人员保留"
            self._removal(f"person:{person.pk}", "人员", person,
                          f"{person.name}（{self.units_by_pk[person.unit_id].name}"
                          f"{' · ' + person.post if person.post else ''}）", action, blocked)  # fmt: skip
        for change in units:
            unit = change.unit
            blocked = unit_refs.get(unit.pk, "")
            if id(change) in referenced:
                blocked = "本文件仍引用此单位（上级单位、人员所在单位或分管单位）"
            self._removal(f"unit:{unit.pk}", "单位", unit, unit.name, "删除", blocked)

    def _removal(self, key: str, kind: str, obj, label: str, action="删除", blocked="") -> None:
        self.plan.removals.append(Removal(key, kind, label, action, blocked))
        self.plan.objects[key] = obj

    def _referenced(self) -> set[int]:
        """The district-only units and people (ids of their changes) the file still names."""
        refs = {id(c.parent) for c in self.plan.units if c.parent is not None}
        refs |= {id(c.unit) for c in self.plan.people if c.unit is not None}
        for o in self.plan.oversight:
            refs |= {id(o.leader), id(o.unit)}
        refs |= {id(s.member) for s in self.plan.seats}
        return refs


def outside_references(model, ids: list[int]) -> dict[int, str]:
    """Why each of `ids` cannot be deleted: the records of other kinds that refer to it (tasks,
    reports, meetings …), by their name and count; one query per kind of reference, whatever the
    number of records. References the import manages itself (sub-units, people of a unit,
    oversight, seats) are left out: they are listed and ticked on their own."""
    if not ids:
        return {}
    counts: dict[int, Counter] = {}
    for rel in model._meta.related_objects:
        if (rel.related_model, rel.field.name) in OWN_RELATIONS:
            continue
        found = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": ids}).order_by()
        for pk in found.values_list(rel.field.name, flat=True):
            counts.setdefault(pk, Counter())[str(rel.related_model._meta.verbose_name)] += 1
    return {
        pk: "有" + "、".join(f"{name}{n}条" for name, n in counter.items()) + "引用，不能删除"
        for pk, counter in counts.items()
    }


def org_plan(org_file: OrgFile, *, district: Unit, me: Person | None) -> OrgPlan:
    """The plan of importing `org_file` into `district` (see the module's docstring)."""
    return Planner(org_file, district, me).build()
