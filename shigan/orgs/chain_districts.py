"""The district of a chain link's author (shigan.core.chain asks; core cannot read orgs)."""

from .models import Person


def districts_of_users(users: list) -> dict[int, int | None]:
    """{user id: his person's district} for user objects or ids: a person already read for the
    request (orgs.scope.person_of) costs nothing, the rest one query."""
    found: dict[int, int | None] = {}
    ids = []
    for user in users:
        if isinstance(user, int):
            ids.append(user)
        elif hasattr(user, "_shigan_person"):
            person = user._shigan_person
            found[user.pk] = person.unit.district_id if person is not None else None
        else:
            ids.append(user.pk)
    if ids:
        found.update(
            Person.objects.filter(user_id__in=ids).values_list("user_id", "unit__district_id")
        )
    return found
