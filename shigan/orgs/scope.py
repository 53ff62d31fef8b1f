"""Whose records a person may read: the one scope primitive every app's access module builds on.

Roles (orgs.models.Role):
- coordinator (专班): reads and changes everything of his district; sets the district up.
- leader (领导): reads the records of the units he oversees (分管, their sub-units included).
- reporter (单位填报员): reads and files the records of his own unit.
- inspector (督查): reads everything of his district.

A user's district is his unit's (orgs.Unit.district: the nearest 党委政府 unit); one database may
hold several, and nobody reads another district's records: "everything" is the district's
subtree, and the campaign-wide records every role reads (the plan, meetings, notices, media
reports) are those of campaigns organised within it (`within_district`). An account without a
Person (or with a Person without a role) reads nothing; a superuser is a coordinator, and one
without a Person (an operator's account) reads every district. Each app's `access.py` turns this into its `can_*` and `*_for_user` functions: outside
a user's scope a record does not exist for him (404); inside it but read-only, a write is refused
(403). Views call those functions and never look at a role themselves.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from .models import LeadingGroupMember, Oversight, Person, Role, Unit


def person_of(user) -> Person | None:
    """The Person behind an account (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_shigan_person"):
        # `seats`: whether he sits in any leading group, read in the same query, so asking
        # which campaigns' leading group he sits in costs a query only for those who do.
        seats = LeadingGroupMember.objects.filter(person=OuterRef("pk"))
        people = Person.objects.select_related("unit").annotate(seats=Exists(seats))
        user._shigan_person = people.filter(user=user).first()
    return user._shigan_person


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
    """The units of the user's district, in the organisation's order: what a form offers to
    choose from and what a workbook's unit names are matched against (names are unique within a
    district, not across the database)."""
    units = Unit.objects.order_by("sort_order", "id")
    district_id = district_id_of(user)
    if district_id is None:
        return units if getattr(user, "is_superuser", False) else units.none()
    return units.filter(district_id=district_id)


def district_people(user) -> QuerySet:
    """The people of the user's district (what a form offers as leader, chair, attendee)."""
    people = Person.objects.select_related("unit").order_by("sort_order", "id")
    district_id = district_id_of(user)
    if district_id is None:
        return people if getattr(user, "is_superuser", False) else people.none()
    return people.filter(unit__district_id=district_id)


def reads_everything(user) -> bool:
    """Coordinators and inspectors: every record of their district (visible_unit_ids)."""
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


def district_scope_ids(user) -> set[int] | None:
    """The units of the user's district and those below it (a district below a city is in the
    city's); None for an operator's account without a person (every unit), empty for an account
    that is neither."""
    district_id = district_id_of(user)
    if district_id is None:
        return None if getattr(user, "is_superuser", False) else set()
    if not hasattr(user, "_shigan_district_units"):
        user._shigan_district_units = subtree_ids([district_id])
    return user._shigan_district_units


def within_district(user, records: QuerySet, field: str) -> QuerySet:
    """`records` narrowed to those whose unit (`field`, a path to a unit id such as
    "campaign__organiser_id") is in the user's district (district_scope_ids)."""
    unit_ids = district_scope_ids(user)
    return records if unit_ids is None else records.filter(**{f"{field}__in": unit_ids})


def visible_unit_ids(user) -> set[int] | None:
    """Units whose records the user may read; None means all units (an operator's account)."""
    role = role_of(user)
    if role in {Role.COORDINATOR, Role.INSPECTOR}:
        return district_scope_ids(user)
    if role == Role.LEADER:
        return overseen_unit_ids(user)
    if role == Role.REPORTER:
        return {person_of(user).unit_id}
    return set()


def own_unit_id(user) -> int | None:
    """The unit a reporter files for (None for every other role)."""
    return person_of(user).unit_id if role_of(user) == Role.REPORTER else None


def reportable_unit(user) -> Unit | None:
    """The unit whose monthly report the user files (a reporter's own unit)."""
    return person_of(user).unit if role_of(user) == Role.REPORTER else None


def within_units(user, records: QuerySet, field: str) -> QuerySet:
    """`records` narrowed to those whose unit (`field`, e.g. "responsible_unit_id") the user
    reads."""
    unit_ids = visible_unit_ids(user)
    return records if unit_ids is None else records.filter(**{f"{field}__in": unit_ids})


def get_visible(visible: QuerySet, pk, missing: str):
    """The record `pk` of `visible` (a queryset already narrowed to the user's scope), or 404
    with `missing` as the message; an id that is not a number is missing too."""
    try:
        return visible.get(pk=pk)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        raise Http404(missing) from None
