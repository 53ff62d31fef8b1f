"""Reads of the accounts page: the people with their accounts, a person's history, login names."""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet

from shigan.core.history import history_of
from shigan.core.models import AuditEntry

from .models import Person, Unit
from .passwords import name_in_pinyin

# Login names: lowercase ASCII letters, digits and . _ - (typed on any keyboard, read off a sheet).
LOGIN_NAME = re.compile(r"[a-z][a-z0-9._-]{2,29}")
LOGIN_NAME_RULE = "3—30个字符，以小写字母开头，只用小写字母、数字和 . _ -"


@dataclass(frozen=True)
class AccountCounts:
    people: int
    with_account: int
    disabled: int
    to_create: int  # people with a role and no account: what 一键创建 creates


def people_with_accounts() -> QuerySet:
    """Every person with unit and account, by unit then the unit's own order: two queries."""
    return Person.objects.select_related("unit", "user").order_by(
        "unit__sort_order", "unit_id", "sort_order", "id"
    )


def people_without_account() -> QuerySet:
    """People with a role in Shigan and no account yet, in the order of the list."""
    return people_with_accounts().filter(user__isnull=True).exclude(role="")


def account_counts(people: list[Person]) -> AccountCounts:
    return AccountCounts(
        people=len(people),
        with_account=sum(1 for p in people if p.user_id),
        disabled=sum(1 for p in people if p.user_id and not p.user.is_active),
        to_create=sum(1 for p in people if not p.user_id and p.role),
    )


def person_history(person: Person) -> list[AuditEntry]:
    """The person's audit entries, newest first (the accounts page's 历史记录)."""
    return history_of(person)


def login_name_taken(username: str) -> bool:
    """Whether a login name is in use, ignoring case (Zhangsan and zhangsan are one name)."""
    return get_user_model().objects.filter(username__iexact=username).exists()


def _login_base(name: str) -> str:
    base = name_in_pinyin(name)[:26] or "user"
    if not base[0].isalpha():
        base = f"u{base}"[:26]
    return base.ljust(3, "0")


def _free(base: str, used: set[str]) -> str:
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}{number}"
    return candidate


def login_name_suggest(name: str) -> str:
    """A free login name from a person's name: its pinyin ("王填报" → "wangtianbao"), else
    wangtianbao2, wangtianbao3 … past the names in use (one query)."""
    base = _login_base(name)
    used = get_user_model().objects.filter(username__istartswith=base)
    return _free(base, {u.lower() for u in used.values_list("username", flat=True)})


def login_name_suggestions(people: list[Person]) -> dict[int, str]:
    """person id → a free login name for each person without an account, none suggested twice
    (one query for the names in use)."""
    used = {u.lower() for u in get_user_model().objects.values_list("username", flat=True)}
    found: dict[int, str] = {}
    for person in people:
        if person.user_id is None:
            found[person.pk] = _free(_login_base(person.name), used)
            used.add(found[person.pk])
    return found


def units_for_choice() -> QuerySet:
    return Unit.objects.order_by("sort_order", "id")


def district_named(name: str) -> Unit | None:
    """The district (a unit that is its own district) called `name`, or None."""
    return Unit.objects.filter(name=name, district_id=F("id")).first()


def units_named(given: str) -> list[Unit]:
    """Units called `given` (name or short name) in any district; "区县/单位" (a district's
    name, a slash, a unit's) picks the unit of that district when a name repeats."""
    district, _, name = given.rpartition("/")
    found = Unit.objects.filter(Q(name=name.strip()) | Q(short_name=name.strip()))
    if district.strip():
        found = found.filter(district__name=district.strip())
    return list(found.select_related("district")[:10])
