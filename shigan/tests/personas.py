"""Every persona an access rule is asked about: the shared world's five, plus two accounts with no
role — one without a Person, one whose Person (in unit A) has no role. Both read nothing.

The access modules' tests assert a whole table at once, persona → answer, so a failure shows
which persona's answer changed:

    assert answers(users, can_manage_tasks) == only("coordinator")
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from shigan.orgs.models import Person

PERSONAS = [
    "coordinator",
    "leader",
    "reporter_a",
    "reporter_b",
    "inspector",
    "no_role",
    "roleless_person",
]
ROLES = PERSONAS[:5]


def all_personas(world) -> dict[str, object]:
    """persona → a fresh user object (no cached scope from an earlier call)."""
    User = get_user_model()
    if not User.objects.filter(username="no_role").exists():
        User.objects.create_user(username="no_role", password="x")
        roleless = User.objects.create_user(username="roleless_person", password="x")
        Person.objects.create(name="无角色", unit=world.unit_a, user=roleless, role="")
    names = {p: p for p in PERSONAS}
    names |= {p: u.username for p, u in world.users().items()}
    return {p: User.objects.get(username=names[p]) for p in PERSONAS}


def answers(users: dict[str, object], ask: Callable) -> dict[str, object]:
    """persona → ask(user), for every persona (plus the anonymous user)."""
    return {"anonymous": ask(AnonymousUser())} | {p: ask(u) for p, u in users.items()}


def only(*personas: str, yes=True, no=False) -> dict[str, object]:
    """The table where the given personas answer `yes` and every other one (and the anonymous
    user) `no`."""
    return {"anonymous": no} | {p: yes if p in personas else no for p in PERSONAS}
