"""Small builders for the time bank's tests."""

import datetime
from decimal import Decimal

from shigan.timebank.services import account_open, service_confirm, service_enter

DAY = datetime.date(2023, 5, 10)


def volunteer(world, name="张志愿", *, unit=None, phone="13812341234"):
    return account_open(
        by=world.coordinator, unit=unit or world.unit_a, name=name, phone=phone, opened_on=DAY
    )


def credited(world, account, hours, *, day=DAY):
    """A service of `hours` entered by the coordinator and confirmed by reporter A."""
    record = service_enter(
        by=world.coordinator,
        account=account,
        date=day,
        hours=Decimal(hours),
        beneficiary="孤寡老人李婆婆",
        content="上门打扫卫生",
    )
    return service_confirm(by=world.reporter_a, record=record)
