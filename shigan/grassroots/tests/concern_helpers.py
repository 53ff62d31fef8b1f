"""Building concerns for the tests: a category and a concern received on a day."""

import datetime

from shigan.grassroots.models import ConcernCategory, ConcernKind, ConcernSource
from shigan.grassroots.services.concerns import ConcernInput, concern_create

PHONE = "13812341234"
ID_NUMBER = "420102199001011234"


def category(world, *, name="道路交通", days=5) -> ConcernCategory:
    return ConcernCategory.objects.get_or_create(
        district=world.district, name=name, defaults={"time_limit_workdays": days}
    )[0]


def concern(world, *, received=datetime.date(2023, 6, 1), unit="a", days=5, **fields):
    item = ConcernInput(
        kind=fields.pop("kind", ConcernKind.REQUEST),
        category=category(world, days=days, name=fields.pop("category_name", f"类别{days}")),
        requester_name=fields.pop("name", "张群众"),
        content=fields.pop("content", "路灯坏了"),
        requester_phone=PHONE,
        requester_id_number=ID_NUMBER,
        assigned_unit={"a": world.unit_a, "b": world.unit_b, None: None}[unit],
        **fields,
    )
    return concern_create(
        campaign=world.campaign, item=item, by=world.coordinator,
        source=ConcernSource.HOTLINE, received_on=received,
    )  # fmt: skip
