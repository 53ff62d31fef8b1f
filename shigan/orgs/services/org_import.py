"""Applying an organisation workbook's plan (orgs.xlsx.plan): every unit, person, oversight and
leading-group seat it creates or changes, and the removals the coordinator ticked — all in one
transaction, or nothing. Every created, changed and deleted record has its audit entry; a person
with a login account is never deleted: ticking him disables his account (audited on him)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.core.audit import audit_entry, snapshot
from shigan.core.models import AuditAction, AuditEntry, AuditSource

from ..models import LeadingGroup, LeadingGroupMember, Oversight, Person, Unit
from .accounts import account_active_set

NOTE = "组织架构导入"
BATCH = 500


@dataclass
class OrgOutcome:
    """What an import did (counts and, for the page, the removals applied)."""

    units_created: int = 0
    units_updated: int = 0
    people_created: int = 0
    people_updated: int = 0
    oversight_created: int = 0
    seats_created: int = 0
    seats_updated: int = 0
    groups_created: int = 0
    removed: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any([self.units_created, self.units_updated, self.people_created,
                    self.people_updated, self.oversight_created, self.seats_created,
                    self.seats_updated, self.groups_created, self.removed, self.disabled])  # fmt: skip


def _depth(change) -> int:
    depth, current = 0, change.parent
    while current is not None:
        depth, current = depth + 1, current.parent
    return depth


class _Apply:
    def __init__(self, plan, by, source: str):
        self.plan, self.by, self.source = plan, by, source
        self.entries: list[AuditEntry] = []
        self.outcome = OrgOutcome()

    def audit(self, obj, action: str, before=None) -> None:
        self.entries.append(audit_entry(actor=self.by, obj=obj, action=action, before=before,
                                        note=NOTE, source=self.source))  # fmt: skip

    def units(self) -> None:
        for change in sorted(self.plan.units, key=_depth):
            row, unit = change.row, change.unit
            if unit is not None and not change.changes:
                continue
            before = snapshot(unit) if unit is not None else None
            unit = unit or Unit()
            unit.code = row.code or unit.code
            unit.name, unit.short_name, unit.kind = row.name, row.short_name, row.kind
            if row.sort_order is not None:
                unit.sort_order = row.sort_order
            if unit.pk != self.plan.district.pk:
                unit.parent = change.parent.unit
            unit.save()
            change.unit = unit
            self.audit(unit, AuditAction.UPDATE if before else AuditAction.CREATE, before)
            if before:
                self.outcome.units_updated += 1
            else:
                self.outcome.units_created += 1

    def people(self) -> None:
        for change in self.plan.people:
            row, person = change.row, change.person
            if person is not None and not change.changes:
                continue
            before = snapshot(person) if person is not None else None
            person = person or Person()
            person.code = row.code or person.code
            person.name, person.post, person.phone, person.role = (
                row.name,
                row.post,
                row.phone,
                row.role,
            )
            person.unit = change.unit.unit
            if row.sort_order is not None:
                person.sort_order = row.sort_order
            person.save()
            change.person = person
            self.audit(person, AuditAction.UPDATE if before else AuditAction.CREATE, before)
            if before:
                self.outcome.people_updated += 1
            else:
                self.outcome.people_created += 1

    def oversight(self) -> None:
        for change in self.plan.oversight_created:
            oversight = Oversight.objects.create(leader=change.leader.person, unit=change.unit.unit)
            self.audit(oversight, AuditAction.CREATE)
            self.outcome.oversight_created += 1

    def seats(self) -> None:
        groups: dict[str, LeadingGroup] = {}
        for change in self.plan.seats:
            group = change.group or groups.get(change.row.group)
            if group is None:
                group = groups[change.row.group] = LeadingGroup.objects.create(
                    name=change.row.group
                )
                self.audit(group, AuditAction.CREATE)
                self.outcome.groups_created += 1
            seat, row = change.seat, change.row
            if seat is not None and not change.changes:
                continue
            before = snapshot(seat) if seat is not None else None
            seat = seat or LeadingGroupMember(group=group, person=change.member.person)
            seat.role = row.role
            if row.sort_order is not None:
                seat.sort_order = row.sort_order
            seat.save()
            self.audit(seat, AuditAction.UPDATE if before else AuditAction.CREATE, before)
            if before:
                self.outcome.seats_updated += 1
            else:
                self.outcome.seats_created += 1

    def removals(self, keys: set[str]) -> None:
        chosen = [r for r in self.plan.removals if r.key in keys]
        order = {"seat": 0, "oversight": 1, "person": 2, "unit": 3}
        units = [r for r in chosen if r.key.startswith("unit:")]
        depth = {r.key: _unit_depth(self.plan.objects[r.key]) for r in units}
        chosen.sort(key=lambda r: (order[r.key.split(":")[0]], -depth.get(r.key, 0)))
        for removal in chosen:
            obj = self.plan.objects[removal.key]
            if isinstance(obj, Person) and obj.user_id is not None:
                account_active_set(person=obj, active=False, by=self.by)
                self.outcome.disabled.append(removal.label)
                continue
            # Oversight and seats of a deleted person or unit go with it (CASCADE): audited too.
            self.entries.append(audit_entry(actor=self.by, obj=obj, action=AuditAction.DELETE,
                                            note=NOTE, source=self.source))  # fmt: skip
            obj.delete()
            self.outcome.removed.append(f"{removal.kind}：{removal.label}")


def _unit_depth(unit: Unit) -> int:
    depth, current = 0, unit
    while current.parent_id is not None and depth < 100:
        depth, current = depth + 1, Unit.objects.only("parent_id").get(pk=current.parent_id)
    return depth


def removal_problems(plan, keys: set[str]) -> list[str]:
    """Why the removals `keys` cannot be applied together (a unit whose people or sub-units
    stay), empty when they can."""
    known = {r.key: r for r in plan.removals}
    problems = []
    for key in sorted(keys):
        removal = known.get(key)
        if removal is None:
            problems.append("所选的删除项与文件或系统现状不符，请重新预览后再确认。")
        elif removal.blocked:
            problems.append(f"{removal.kind}“{removal.label}”不能删除：{removal.blocked}")
    problems += _attached(plan, keys)
    deleted_people = {known[k].key for k in keys if k in known and k.startswith("person:")}
    deleted_units = {plan.objects[k].pk for k in keys if k in known and k.startswith("unit:")}
    for key in keys:
        if not key.startswith("unit:") or key not in known:
            continue
        unit = plan.objects[key]
        staying = [p.name for p in Person.objects.filter(unit=unit)
                   if f"person:{p.pk}" not in deleted_people or p.user_id is not None]  # fmt: skip
        children = [u.name for u in Unit.objects.filter(parent=unit) if u.pk not in deleted_units]
        if staying:
            problems.append(
                f"单位“{unit.name}”不能删除：还有人员{'、'.join(staying)}（未勾选删除或有登录账号）"
            )
        if children:
            problems.append(f"单位“{unit.name}”不能删除：还有下级单位{'、'.join(children)}")
    return problems


def _attached(plan, keys: set[str]) -> list[str]:
    """A person or unit to be deleted whose oversight or seats are not ticked too."""
    problems = []
    for key in sorted(keys):
        obj = plan.objects.get(key)
        if isinstance(obj, Person) and obj.user_id is None:
            seats = LeadingGroupMember.objects.filter(person=obj).select_related("group")
            left = [s.group.name for s in seats if f"seat:{s.pk}" not in keys]
            if left:
                problems.append(
                    f"人员“{obj.name}”不能删除：还是{'、'.join(left)}的成员（请一并勾选）"
                )
        if isinstance(obj, Person | Unit):
            field = "leader" if isinstance(obj, Person) else "unit"
            rows = Oversight.objects.filter(**{field: obj}).select_related("leader", "unit")
            left = [
                f"{o.leader.name} 分管 {o.unit.name}"
                for o in rows
                if f"oversight:{o.pk}" not in keys
            ]
            if left and not (isinstance(obj, Person) and obj.user_id):
                problems.append(f"{'人员' if field == 'leader' else '单位'}“{obj.name}”不能删除："
                                f"还有分管关系{'、'.join(left)}（请一并勾选）")  # fmt: skip
    return problems


@transaction.atomic
def org_import(
    *, plan, by, remove: set[str] = frozenset(), source: str = AuditSource.IMPORT
) -> OrgOutcome:
    """Apply `plan` (orgs.xlsx.plan.OrgPlan, without problems) to its district: create and update
    what it lists, then delete the removals in `remove` (their keys) — or nothing at all.

    Raises ValidationError when the plan has problems or a chosen removal cannot be applied."""
    if plan.problems:
        raise ValidationError([str(p) for p in plan.problems])
    problems = removal_problems(plan, set(remove))
    if problems:
        raise ValidationError(problems)
    run = _Apply(plan, by, source)
    run.units()
    run.people()
    run.oversight()
    run.seats()
    run.removals(set(remove))
    AuditEntry.objects.bulk_create(run.entries, batch_size=BATCH)
    return run.outcome
