"""Whose records a person may read: the one scope primitive every app's access module builds on.

Levels: a 党委政府 unit is a level (orgs.Unit.district: the nearest 党委政府 unit at or above a
unit); a province holds cities, a city or county its districts, each with its own units. The
rule, held here once: what a user READS is a subtree, what he WRITES is his own level.

- coordinator (专班) and inspector (督查): his level's subtree — a district's coordinator his
  district, a county's the county and its districts, a province's everything below it
  (district_scope_ids, visible_unit_ids; in a query's filter district_scope_units, visible_units,
  the ids as numbers in the statement, not one parameter each); his writes stay at his own level: the records of a
  level below him are read-only to him (at_own_level, require_own_level), they are that
  level's own to keep.
- leader (领导): the units he oversees (分管), their sub-units included (overseen_unit_ids).
- reporter (单位填报员): the records of his own unit (not its sub-units: a village has its own
  reporter), which he also files.
- the campaign-wide records every role reads (the plan, meetings, notices, media reports, the
  reception rota, indicators): coordinators and inspectors those of the campaigns organised in
  their subtree, every other role those of his own level's campaigns (within_district).
- what a FORM offers to choose from and what an imported workbook's names are matched against
  is the own level (district_units, district_people, within_own_level): unit names and codes
  are unique within a level only, and a record is filed at the level of whoever files it.

An account without a Person (or with a Person without a role) reads nothing; a superuser is a
coordinator, and one without a Person (an operator's account) reads and writes every level. Each
app's `access.py` turns this into its `can_*` and `*_for_user` functions: outside a user's scope
a record does not exist for him (404); inside it but read-only, a write is refused (403). Views
call those functions and never look at a role themselves.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BigIntegerField, Exists, OuterRef, QuerySet
from django.db.models.expressions import Expression
from django.http import Http404

from shigan.core import prepared

from .models import LeadingGroupMember, Oversight, Person, Role, Unit


def person_of(user) -> Person | None:
    """The Person behind an account (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_shigan_person"):
        # Every page's frame asks: its statement is compiled once per process (core.prepared).
        found = prepared.rows(("person_of",), _person_of_account, user.pk)
        user._shigan_person = found[0] if found else None
    return user._shigan_person


def _person_of_account(user_pk: int) -> QuerySet:
    # `seats`: whether he sits in any leading group, read in the same query, so asking
    # which campaigns' leading group he sits in costs a query only for those who do.
    seats = LeadingGroupMember.objects.filter(person=OuterRef("pk"))
    # The unit's district too (joined, no query of its own): pages name the user's level.
    people = Person.objects.select_related("unit__district").annotate(seats=Exists(seats))
    people = people.filter(user_id=user_pk)
    return (people if people.ordered else people.order_by("pk"))[:1]  # as .first() reads


def role_of(user) -> str | None:
    if getattr(user, "is_superuser", False):
        return Role.COORDINATOR
    person = person_of(user)
    return person.role or None if person else None


def has_role(user) -> bool:
    """Any role at all: what every role reads (the plan, meetings, notices, media reports)."""
    return role_of(user) is not None


def is_coordinator(user) -> bool:
    return role_of(user) == Role.COORDINATOR


def is_leader(user) -> bool:
    return role_of(user) == Role.LEADER


def is_reporter(user) -> bool:
    return role_of(user) == Role.REPORTER


def is_inspector(user) -> bool:
    return role_of(user) == Role.INSPECTOR


def district_id_of(user) -> int | None:
    """The district (orgs.Unit.district: the nearest 党委政府 unit) the user works in; None for an
    account without a person (a superuser operator, who reads every district)."""
    person = person_of(user)
    return person.unit.district_id if person is not None else None


def district_units(user) -> QuerySet:
    """The units of the user's own level (his district's, not those of the districts below it),
    in the organisation's order: what a form offers to choose from and what a workbook's unit
    names are matched against (names are unique within a district, not across the database)."""
    units = Unit.objects.order_by("sort_order", "id")
    district_id = district_id_of(user)
    if district_id is None:
        return units if getattr(user, "is_superuser", False) else units.none()
    return units.filter(district_id=district_id)


def district_people(user) -> QuerySet:
    """The people of the user's own level (what a form offers as leader, chair, attendee)."""
    people = Person.objects.select_related("unit").order_by("sort_order", "id")
    district_id = district_id_of(user)
    if district_id is None:
        return people if getattr(user, "is_superuser", False) else people.none()
    return people.filter(unit__district_id=district_id)


def reads_everything(user) -> bool:
    """Coordinators and inspectors: every record of their level's subtree (visible_unit_ids)."""
    return role_of(user) in {Role.COORDINATOR, Role.INSPECTOR}


def subtree_ids(root_ids: Iterable[int]) -> set[int]:
    """The given units and all units below them: one recursive query (SQLite and PostgreSQL),
    reading only the subtree, not the whole unit table of a city or province."""
    roots = [int(pk) for pk in root_ids]
    if not roots:
        return set()
    table = connection.ops.quote_name(Unit._meta.db_table)
    marks = ", ".join(["%s"] * len(roots))
    sql = (
        f"WITH RECURSIVE sub(id) AS (SELECT id FROM {table} WHERE id IN ({marks}) "
        f"UNION SELECT u.id FROM {table} u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, roots)
        return {row[0] for row in cursor.fetchall()}


def overseen_unit_ids(user) -> set[int]:
    """Units a leader oversees, sub-units included; empty for other roles."""
    person = person_of(user)
    if person is None or role_of(user) != Role.LEADER:
        return set()
    if not hasattr(user, "_shigan_overseen"):
        roots = Oversight.objects.filter(leader=person).values_list("unit_id", flat=True)
        user._shigan_overseen = subtree_ids(roots)
    return user._shigan_overseen


def _level_units(user) -> dict[int, int] | None:
    """unit id → its level (district) for every unit of the user's level's subtree: one
    recursive query, remembered on the user object for the request; None for an operator's
    account (every unit), empty for an account that is neither."""
    district_id = district_id_of(user)
    if district_id is None:
        return None if getattr(user, "is_superuser", False) else {}
    if not hasattr(user, "_shigan_level_units"):
        table = connection.ops.quote_name(Unit._meta.db_table)
        sql = (
            f"WITH RECURSIVE sub(id, district_id) AS (SELECT id, district_id FROM {table} "
            f"WHERE id = %s UNION SELECT u.id, u.district_id FROM {table} u "
            f"JOIN sub ON u.parent_id = sub.id) SELECT id, district_id FROM sub"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [district_id])
            user._shigan_level_units = dict(cursor.fetchall())
    return user._shigan_level_units


def district_scope_ids(user) -> set[int] | None:
    """The units of the user's level and of every level below it (a district below a county is
    in the county's): what a coordinator or inspector reads. None for an operator's account
    without a person (every unit), empty for an account that is neither."""
    units = _level_units(user)
    return None if units is None else set(units)


class UnitIds(Expression):
    """Unit ids as a filter's list (`field__in=UnitIds(ids)`), written into the statement as
    numbers rather than as one parameter each: Django prepares every parameter in Python, and a
    province's scope is 18,000 ids in each query that filters by it (3.2 s of a profiled 17 s
    on the province's 下级对比). The database still sees a list of known length, so it plans as
    it did for the parameters (a subquery of the unit tree, which it cannot size, made SQLite
    drive a query by it: the late reports' statement went from 17 ms to 216 ms at province)."""

    def __init__(self, ids: Iterable[int]):
        super().__init__(output_field=BigIntegerField())
        self.ids = sorted({int(pk) for pk in ids})

    def as_sql(self, compiler, connection):
        return "(" + ", ".join(map(str, self.ids)) + ")", []


def district_scope_units(user) -> "UnitIds | set[int] | None":
    """district_scope_ids as what a filter takes (`field__in=`): the same units, as UnitIds
    (no parameter per unit). None for an operator's account (every unit), an empty set for an
    account that is neither (and for an empty scope). Membership tests in Python keep
    district_scope_ids."""
    unit_ids = district_scope_ids(user)
    return unit_ids if not unit_ids else UnitIds(unit_ids)


def own_level_unit_ids(user) -> set[int] | None:
    """The units of the user's own level only (his district's, not those of the districts
    below it): where a coordinator writes. None for an operator's account (every unit)."""
    units = _level_units(user)
    if units is None:
        return None
    district_id = district_id_of(user)
    return {pk for pk, level in units.items() if level == district_id}


def has_levels_below(user) -> bool:
    """Whether a coordinator's or inspector's scope holds levels below his own (a county's
    districts): only then is a record he reads possibly not his to write. No query for other
    roles, who never read a level below by their district."""
    if not reads_everything(user):
        return False
    units = _level_units(user)
    district_id = district_id_of(user)
    return bool(units) and any(level != district_id for level in units.values())


def at_own_level(user, unit_id: int | None) -> bool:
    """Whether a record the user reads, of the unit `unit_id`, is of his own level: always when
    his scope holds no level below his own (then no query), else when the unit is his level's
    (an operator's account: every unit). The write side of the rule for a record whose unit is
    at hand."""
    if not has_levels_below(user):
        return True
    units = own_level_unit_ids(user)
    return units is None or unit_id in units


LOWER_LEVEL_READ_ONLY = "这是下级的记录：上级可以查看，由其本级专班办理。"


def require_own_level(user, record, field: str, refusal: str = LOWER_LEVEL_READ_ONLY) -> None:
    """403 (`refusal`) unless `record`'s unit (`field`, a path from its model to a unit id, e.g.
    "campaign__organiser_id") is of the user's own level. No query unless his scope holds levels
    below his own (has_levels_below)."""
    if not has_levels_below(user):
        return
    own = Unit.objects.filter(district_id=district_id_of(user)).values("id")
    if not type(record).objects.filter(pk=record.pk, **{f"{field}__in": own}).exists():
        raise PermissionDenied(refusal)


def within_district(user, records: QuerySet, field: str) -> QuerySet:
    """`records` narrowed to those whose unit (`field`, a path to a unit id such as
    "campaign__organiser_id") the user reads as campaign-wide records: a coordinator's or
    inspector's whole scope (district_scope_ids: his level and the levels below it), anyone
    else's own level (a county's leader or reporter does not read its districts' meetings)."""
    if reads_everything(user):
        units = district_scope_units(user)
        return records if units is None else records.filter(**{f"{field}__in": units})
    return within_own_level(user, records, field)


def within_own_level(user, records: QuerySet, field: str) -> QuerySet:
    """`records` narrowed to those whose unit (`field`) is of the user's own level: what a form
    offers, what an import matches, what a coordinator writes (no query of its own: a
    subquery)."""
    district_id = district_id_of(user)
    if district_id is None:
        return records if getattr(user, "is_superuser", False) else records.none()
    own = Unit.objects.filter(district_id=district_id).values("id")
    return records.filter(**{f"{field}__in": own})


def visible_unit_ids(user) -> set[int] | None:
    """THE rule: the units whose records the user reads — a coordinator's or inspector's level
    and the levels below it, a leader's overseen units with their sub-units, a reporter's own
    unit; None means all units (an operator's account), empty for an account without a role."""
    role = role_of(user)
    if role in {Role.COORDINATOR, Role.INSPECTOR}:
        return district_scope_ids(user)
    if role == Role.LEADER:
        return overseen_unit_ids(user)
    if role == Role.REPORTER:
        return {person_of(user).unit_id}
    return set()


def visible_units(user) -> UnitIds | set[int] | None:
    """visible_unit_ids as what a filter takes (`field__in=`): a coordinator's or inspector's
    subtree as UnitIds (district_scope_units), the others' sets as they are."""
    if role_of(user) in {Role.COORDINATOR, Role.INSPECTOR}:
        return district_scope_units(user)
    return visible_unit_ids(user)


def own_unit_id(user) -> int | None:
    """The unit a reporter files for (None for every other role)."""
    return person_of(user).unit_id if role_of(user) == Role.REPORTER else None


def reportable_unit(user) -> Unit | None:
    """The unit whose monthly report the user files (a reporter's own unit)."""
    return person_of(user).unit if role_of(user) == Role.REPORTER else None


def within_units(user, records: QuerySet, field: str) -> QuerySet:
    """`records` narrowed to those whose unit (`field`, e.g. "responsible_unit_id") the user
    reads."""
    units = visible_units(user)
    return records if units is None else records.filter(**{f"{field}__in": units})


def get_visible(visible: QuerySet, pk, missing: str):
    """The record `pk` of `visible` (a queryset already narrowed to the user's scope), or 404
    with `missing` as the message; an id that is not a number is missing too."""
    try:
        return visible.get(pk=pk)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        raise Http404(missing) from None
