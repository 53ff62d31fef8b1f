"""One district's organisation: 60 units, people with accounts, leading group and oversight."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from shigan.orgs.models import (
    GroupRole,
    LeadingGroup,
    LeadingGroupMember,
    Oversight,
    Person,
    Role,
    Unit,
    UnitKind,
)

from . import shapes as s
from .bulk import Ids


@dataclass
class DistrictOrg:
    """What the task generator needs of a district's organisation."""

    key: str
    name: str
    units: list[Unit]
    coordinator: object
    leaders: list[Person]
    reporters: dict[int, object]  # unit index -> user
    overseer: dict[int, int]  # unit index -> leader index
    group: LeadingGroup | None = None
    rows: dict[type, list] = field(default_factory=dict)

    def add(self, obj) -> None:
        self.rows.setdefault(type(obj), []).append(obj)

    def reporter_for_unit(self, unit_pk: int):
        """The reporter account of the unit with primary key `unit_pk`."""
        return self.reporters[unit_pk - self.units[0].pk]


def _unit_specs(name: str) -> list[tuple[str, str, int | None]]:
    """(name, kind, parent index) for the 60 units of a district, in tree order."""
    specs = [
        (f"{name}党委、政府", UnitKind.PARTY_GOVERNMENT, None),
        (f"{name}作风专班", UnitKind.TASK_FORCE, s.ROOT),
        (f"{name}党政办公室", UnitKind.OFFICE, s.ROOT),
    ]
    specs += [(f"{name}{b}", UnitKind.BUREAU, s.ROOT) for b in s.BUREAU_NAMES]
    specs += [(f"{name}第{i + 1}街道", UnitKind.OFFICE, s.ROOT) for i in range(s.STREET_COUNT)]
    for street in range(s.STREET_COUNT):
        for v in range(s.VILLAGES_PER_STREET):
            kind = UnitKind.VILLAGE if v % 2 == 0 else UnitKind.COMMUNITY
            label = "村" if kind == UnitKind.VILLAGE else "社区"
            specs.append((f"{name}{street + 1}街道第{v + 1}{label}", kind, s.FIRST_STREET + street))
    specs += [
        (f"{name}重点企业{i + 1}有限公司", UnitKind.ENTERPRISE, s.ROOT)
        for i in range(s.ENTERPRISE_COUNT)
    ]
    return specs


def _units(org: DistrictOrg, ids: Ids, parent: Unit | None, order: int) -> None:
    for i, (name, kind, parent_index) in enumerate(_unit_specs(org.name)):
        up = org.units[parent_index] if parent_index is not None else parent
        unit = Unit(
            pk=ids.take(Unit),
            name=name,
            short_name=name.removeprefix(org.name)[:30],
            kind=kind,
            parent_id=up.pk if up else None,
            sort_order=order * 100 + i,
        )
        # bulk inserts skip Unit.save(): the district (the first unit, 党委政府) is set here
        district = unit if kind == UnitKind.PARTY_GOVERNMENT or not org.units else org.units[0]
        unit.district_id = district.pk
        org.units.append(unit)
        org.add(unit)


def _account(org: DistrictOrg, ids: Ids, password: str, who: str, first_name: str, staff=False):
    user = get_user_model()(
        pk=ids.take(get_user_model()),
        username=s.username(org.key, who),
        password=password,
        first_name=first_name,
        is_staff=staff,
    )
    org.add(user)
    return user


def _person(org: DistrictOrg, ids: Ids, *, name, unit, post, role, user) -> Person:
    person = Person(
        pk=ids.take(Person),
        name=name,
        unit_id=unit.pk,
        post=post,
        role=role,
        user_id=user.pk if user else None,
        sort_order=len(org.rows.get(Person, [])),
    )
    org.add(person)
    return person


def _leaders(org: DistrictOrg, ids: Ids, password: str) -> None:
    root = org.units[s.ROOT]
    for i, (post, overseen) in enumerate(s.LEADERS):
        name = f"{org.key}领导{i}"
        user = _account(org, ids, password, f"leader{i}", name)
        org.leaders.append(
            _person(org, ids, name=name, unit=root, post=post, role=Role.LEADER, user=user)
        )
        for unit_index in overseen:
            org.add(Oversight(leader_id=org.leaders[-1].pk, unit_id=org.units[unit_index].pk))
            for sub in _subtree(unit_index):
                org.overseer[sub] = i


def _subtree(unit_index: int) -> list[int]:
    if not s.FIRST_STREET <= unit_index < s.FIRST_VILLAGE:
        return [unit_index]
    first = s.FIRST_VILLAGE + (unit_index - s.FIRST_STREET) * s.VILLAGES_PER_STREET
    return [unit_index, *range(first, first + s.VILLAGES_PER_STREET)]


def _member(org, ids, password, who: str, *, name, unit, post, role, staff=False):
    """A person with a log-in account; returns the account."""
    user = _account(org, ids, password, who, name, staff=staff)
    _person(org, ids, name=name, unit=unit, post=post, role=role, user=user)
    return user


def _staff(org: DistrictOrg, ids: Ids, password: str) -> None:
    """The task force's coordinator and inspector, and a liaison officer for every unit."""
    force = org.units[s.TASK_FORCE]
    org.coordinator = _member(
        org,
        ids,
        password,
        "coordinator",
        name=f"{org.key}专班",
        unit=force,
        post="专班负责人",
        role=Role.COORDINATOR,
        staff=True,
    )
    _member(
        org,
        ids,
        password,
        "inspector",
        name=f"{org.key}督查",
        unit=force,
        post="督查员",
        role=Role.INSPECTOR,
    )
    for index in range(s.TASK_FORCE, s.UNITS_PER_DISTRICT):
        org.reporters[index] = _member(
            org,
            ids,
            password,
            f"r{index:02d}",
            name=f"{org.key}联络员{index}",
            unit=org.units[index],
            post="联络员",
            role=Role.REPORTER,
        )


def _leading_group(org: DistrictOrg, ids: Ids) -> None:
    org.group = LeadingGroup(pk=ids.take(LeadingGroup), name=f"{org.name}实干年活动领导小组")
    org.add(org.group)
    roles = [GroupRole.LEADER, GroupRole.DEPUTY, GroupRole.DEPUTY]
    for i, person in enumerate(org.leaders):
        role = roles[i] if i < len(roles) else GroupRole.MEMBER
        org.add(
            LeadingGroupMember(group_id=org.group.pk, person_id=person.pk, role=role, sort_order=i)
        )


def district_org(
    *, city: int, district: int, parent: Unit | None, ids: Ids, password: str
) -> DistrictOrg:
    """Build (not yet insert) one district's units, people, accounts, group and oversight."""
    key = s.district_key(city, district)
    org = DistrictOrg(
        key=key,
        name=s.district_name(city, district),
        units=[],
        coordinator=None,
        leaders=[],
        reporters={},
        overseer={},
    )
    _units(org, ids, parent, order=(city - 1) * 100 + district)
    _leaders(org, ids, password)
    _staff(org, ids, password)
    _leading_group(org, ids)
    org.overseer.setdefault(s.ROOT, 0)
    return org
