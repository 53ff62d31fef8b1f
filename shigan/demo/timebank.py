"""The demo district's time bank (时间存折), March to July 2023: five cadres of the offices and
seven residents of 清凉村 with their service hours — most confirmed by a second person, the
last week's waiting in the 待确认 queue, two returned with their reason — and one redemption.

清凉村 gets a reporter account (cunbao, its 村委会文书): a village's records are entered and
confirmed by its own reporter and the task force, never by the same person. Everything goes
through the services; the times they stamp with the real clock are set to the demo's days.
Deterministic: no random draw."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_record
from shigan.core.models import AuditAction, AuditEntry, AuditSource
from shigan.grassroots.models import PracticeActivity
from shigan.orgs.models import Person, Role, Unit
from shigan.timebank.models import Account, Redemption, ServiceRecord, Transaction
from shigan.timebank.services import (
    account_open,
    redemption_record,
    service_confirm,
    service_enter,
    service_return,
)

from .base import AUDIT_NOTE
from .data import org

VILLAGE_REPORTER = "cunbao"
DEMO = AuditSource.DEMO

# cadre's person key → the account of his unit's reporter, who enters his records
CADRES = {
    "transport_head": "tianbao",
    "water_head": "tianbao2",
    "investment_head": "tianbao3",
    "economy_head": "tianbao4",
    "agriculture_head": "tianbao5",
}
# (name, phone, unit key)
RESIDENTS = [
    ("陈桂兰", "13971001021", "qingliang"),
    ("刘德福", "13971001035", "qingliang"),
    ("周秀英", "13971001048", "qingliang"),
    ("吴家宝", "13971001052", "qingliang"),
    ("黄丽娟", "13971001067", "qingliang"),
    ("曾志刚", "13971001074", "qingliang"),
    ("谭小燕", "13971001089", "qingliang"),
]
SERVICES = [  # (what was done, for whom)
    ("陪同就医、代购药品", "独居老人王婆婆"),
    ("打扫公共区域卫生", "清凉村三组"),
    ("辅导作业", "留守儿童小明"),
    ("义务理发", "村内高龄老人"),
    ("防溺水巡河劝导", "村民"),
    ("协助防汛物资搬运", "清凉村村委会"),
    ("文明劝导、垃圾分类宣传", "社区居民"),
    ("代写材料、政策咨询", "困难群众"),
]
OPENED_ON = datetime.date(2023, 3, 1)


@dataclass(frozen=True)
class TimebankDemo:
    accounts: list[Account]
    confirmed: int
    pending: int
    returned: int
    people: dict = field(default_factory=dict)  # the demo people it added, by account name


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 20)))


def village_reporter(units: dict[str, Unit], users: dict) -> object:
    """清凉村's reporter account (created unless the demo's org data already has it)."""
    if VILLAGE_REPORTER in users:
        return users[VILLAGE_REPORTER]
    user = get_user_model().objects.create_user(
        username=VILLAGE_REPORTER, password=org.DEMO_PASSWORD, first_name="黄小梅"
    )
    person = Person.objects.create(
        name="黄小梅", unit=units["qingliang"], post="清凉村村委会文书", role=Role.REPORTER,
        phone="13971009001", user=user,
    )  # fmt: skip
    audit_record(actor=None, obj=person, action=AuditAction.CREATE, note=AUDIT_NOTE, source=DEMO)
    return user


def _open_accounts(units, people, coordinator, opened_on) -> list[tuple[Account, str]]:
    """Accounts with the key of the reporter who enters their records."""
    opened = []
    for key, reporter in CADRES.items():
        account = account_open(by=coordinator, person=people[key], unit=people[key].unit,
                               opened_on=opened_on, source=DEMO)  # fmt: skip
        opened.append((account, reporter))
    for name, phone, unit_key in RESIDENTS:
        account = account_open(by=coordinator, unit=units[unit_key], name=name, phone=phone,
                               opened_on=opened_on, source=DEMO)  # fmt: skip
        opened.append((account, VILLAGE_REPORTER))
    return opened


def _backdate_audit(accounts: list[Account]) -> None:
    """The time bank's audit entries at the demo's days, not the loader's."""
    entries = AuditEntry.objects.filter(record_type__startswith="timebank.")
    entries.filter(record_type="timebank.account").update(at=_at(OPENED_ON, 9))
    Account.objects.filter(district_id=accounts[0].district_id).update(created_at=_at(OPENED_ON, 9))
    records = ServiceRecord.objects.filter(account__in=accounts)
    for record in records.only("pk", "entered_at", "confirmed_at"):
        own = entries.filter(record_type="timebank.servicerecord", record_id=record.pk)
        own.filter(action=AuditAction.CREATE).update(at=record.entered_at)
        own.exclude(action=AuditAction.CREATE).update(at=record.confirmed_at or record.entered_at)
    for redemption in Redemption.objects.filter(account__in=accounts):
        own = entries.filter(record_type="timebank.redemption", record_id=redemption.pk)
        own.update(at=_at(redemption.date, 10))
        Redemption.objects.filter(pk=redemption.pk).update(created_at=_at(redemption.date, 10))
        Transaction.objects.filter(pk=redemption.transaction_id).update(
            created_at=_at(redemption.date, 10)
        )


def _backdate(record: ServiceRecord, day: datetime.date) -> None:
    ServiceRecord.objects.filter(pk=record.pk).update(
        entered_at=_at(day, 17), confirmed_at=_at(day + datetime.timedelta(days=2), 9)
        if record.confirmed_by_id else None,
    )  # fmt: skip
    if record.transaction_id:
        Transaction.objects.filter(pk=record.transaction_id).update(created_at=_at(day, 9))


def _record(i: int, account, enterer, confirmer, activity, today) -> str | None:
    """The i-th latest record of an account, some 24 days apart: confirmed (or returned) by
    the second person unless it is of the last week; returns its state's name. None, and no
    record, for a day still ahead of the clock (a demo loaded with an earlier day pinned)."""
    day = today - datetime.timedelta(days=3 + 24 * i + account.pk % 7)
    if day > clock.today():
        return None
    content, beneficiary = SERVICES[(i + account.pk) % len(SERVICES)]
    record = service_enter(
        by=enterer, account=account, date=day, hours=Decimal(1 + (i + account.pk) % 6) / 2,
        activity=activity if i % 3 == 0 else None, beneficiary=beneficiary, content=content,
        source=DEMO,
    )  # fmt: skip
    state = "pending"
    if day <= today - datetime.timedelta(days=7):
        if (i, account.pk % 5) == (2, 0):
            record = service_return(by=confirmer, record=record, reason="当天未到岗，时长不实")
            state = "returned"
        else:
            record = service_confirm(by=confirmer, record=record, source=DEMO)
            state = "confirmed"
    _backdate(record, day)
    return state


def load_timebank_demo(
    *,
    campaign: Campaign,
    units: dict[str, Unit],
    people: dict[str, Person],
    users: dict,
    today: datetime.date,
) -> TimebankDemo:
    """A dozen volunteers' accounts with confirmed, pending and returned records and one
    redemption, as of `today` (the demo's day, 2023-07-31)."""
    coordinator = users["zhuanban"]
    cunbao = village_reporter(units, users)
    activity = PracticeActivity.objects.filter(campaign=campaign).order_by("sort_order").first()
    counts = {"confirmed": 0, "pending": 0, "returned": 0, None: 0}
    opened = _open_accounts(units, people, coordinator, OPENED_ON)
    enterers = {**users, VILLAGE_REPORTER: cunbao}
    for n, (account, reporter) in enumerate(opened):
        enterer, confirmer = enterers[reporter], coordinator
        for i in range(4 + n % 3):
            # In 清凉村 the task force enters some records and the village reporter confirms.
            swap = reporter == VILLAGE_REPORTER and (i + n) % 2
            counts[_record(i, account, coordinator if swap else enterer,
                           cunbao if swap else confirmer, activity, today)] += 1  # fmt: skip
    redeemer = next(a for a, reporter in opened if reporter == VILLAGE_REPORTER)
    redemption_record(
        by=cunbao, account=redeemer, date=datetime.date(2023, 6, 20), hours=Decimal("3"),
        item="大米一袋（10斤）", source=DEMO,
    )  # fmt: skip
    _backdate_audit([a for a, _ in opened])
    return TimebankDemo([a for a, _ in opened], counts["confirmed"], counts["pending"],
                        counts["returned"], {VILLAGE_REPORTER: cunbao.person})  # fmt: skip
