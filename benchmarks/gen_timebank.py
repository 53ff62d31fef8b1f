"""One district's 办实事 promises, practice activities with their events, and a small time bank.

- 6 办实事 items: tracked items of origin 办实事事项 in the campaign's category of that name
  (as tasks.services.items.tracked_item_create files them), led by bureaus and streets (never
  the measured unit, whose first task is a fixed subject); two completed with their 回访;
- 3 practice activities and about 100 events over the year, organised by streets and villages;
- the time bank: the district's two books (issuance, redemption), 5 residents' accounts per
  village or community and a cadre's per street, about 6 service records per volunteer entered
  by the village's liaison officer — 85 % confirmed by the coordinator, the rest pending or
  returned — and a redemption for one volunteer in four. Every confirmed record and redemption
  is posted as timebank.services writes it: one Transaction with two Entries summing to zero
  (the volunteer credited and the issuance book debited; the redemption the other way), so
  every transaction balances and no volunteer's balance is ever below zero.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from shigan.grassroots.models import PracticeActivity, PracticeEvent, PromiseFollowUp, Satisfaction
from shigan.tasks.models import Task, TaskCategory, TaskOrigin, TaskState
from shigan.tasks.services.items import CATEGORY_FOR_ORIGIN
from shigan.timebank.models import (
    Account,
    AccountKind,
    Entry,
    Redemption,
    ServiceRecord,
    ServiceState,
    Transaction,
    TransactionKind,
    VolunteerKind,
)

from . import shapes as s
from .gen_grassroots import TODAY, YEAR, Ledger

PROMISES = [
    ("老旧小区加装电梯", 5),
    ("农村饮水安全巩固提升", 8),
    ("背街小巷路灯亮化", 9),
    ("社区养老服务站建设", s.FIRST_STREET),
    ("农贸市场提质改造", s.FIRST_STREET + 1),
    ("中小学周边交通安全整治", 12),
]
ACTIVITIES = ["红色屋场", "美好环境与幸福生活共同缔造", "志愿服务进万家"]
SERVICES = ["陪伴独居老人", "清扫公共区域", "协助核酸采样点秩序维护", "辅导留守儿童作业"]
ITEMS = ["兑换洗衣液一瓶", "兑换理发服务一次", "兑换大米一袋"]
VOLUNTEERS_PER_VILLAGE = 5


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def promises(led: Ledger) -> None:
    org, ids, rng = led.org, led.ids, led.rng
    category = TaskCategory(
        pk=ids.take(TaskCategory),
        campaign_id=led.campaign.pk,
        name=CATEGORY_FOR_ORIGIN[TaskOrigin.PROMISE],
        sort_order=900 + list(TaskOrigin).index(TaskOrigin.PROMISE),
    )
    org.add(category)
    for number, (title, index) in enumerate(PROMISES, start=1):
        done = number <= 2
        task = Task(
            pk=ids.take(Task),
            campaign_id=led.campaign.pk,
            category_id=category.pk,
            number=number,
            title=title,
            target=f"{YEAR}年底前完成{title}，群众满意。",
            lead_unit_id=led.unit(index).pk,
            leader_id=org.leaders[org.overseer.get(index, 0)].pk,
            start_date=datetime.date(YEAR, 3, 1),
            due_date=datetime.date(YEAR, 9 if done else 12, 30),
            origin=TaskOrigin.PROMISE,
            state=TaskState.COMPLETED if done else TaskState.ACTIVE,
            closed_on=datetime.date(YEAR, 9, 25) if done else None,
        )
        org.add(task)
        if done:
            org.add(
                PromiseFollowUp(
                    task_id=task.pk,
                    on=datetime.date(YEAR, 9, 20),
                    result="入户回访群众10户，均表示满意。",
                    satisfaction=rng.choice([Satisfaction.SATISFIED, Satisfaction.BASIC]),
                    by_id=org.coordinator.pk,
                )
            )


def practice(led: Ledger) -> list[PracticeActivity]:
    org, ids, rng = led.org, led.ids, led.rng
    activities = []
    for i, name in enumerate(ACTIVITIES):
        activities.append(
            PracticeActivity(
                pk=ids.take(PracticeActivity), campaign_id=led.campaign.pk, name=name, sort_order=i
            )
        )
        org.add(activities[-1])
    for k in range(100):
        index = s.FIRST_STREET + k % (s.FIRST_ENTERPRISE - s.FIRST_STREET)
        unit = led.unit(index)
        participants = rng.randint(15, 80)
        org.add(
            PracticeEvent(
                pk=ids.take(PracticeEvent),
                activity_id=activities[k % len(activities)].pk,
                date=rng.choice(led.workdays),
                place=f"{unit.short_name}党群服务中心",
                organiser_id=unit.pk,
                participants=participants,
                beneficiaries=participants * rng.randint(2, 6),
                summary="组织党员群众开展志愿服务和议事协商。",
                created_by_id=led.user_of(unit.pk).pk,
            )
        )
    return activities


class Bank:
    """The district's time bank rows, each posting balanced."""

    def __init__(self, led: Ledger, activities: list[PracticeActivity]):
        self.led, self.activities = led, activities
        self.district = led.unit(s.ROOT).pk
        self.coordinator = led.org.coordinator
        self.issuance = self.book(AccountKind.ISSUANCE)
        self.redemption = self.book(AccountKind.REDEMPTION)

    def add(self, obj):
        self.led.org.add(obj)
        return obj

    def book(self, kind: str) -> Account:
        return self.add(
            Account(
                pk=self.led.ids.take(Account),
                district_id=self.district,
                kind=kind,
                name=AccountKind(kind).label,
                opened_on=datetime.date(2000, 1, 1),
            )
        )

    def volunteer(self, unit, name: str, person=None) -> Account:
        return self.add(
            Account(
                pk=self.led.ids.take(Account),
                district_id=self.district,
                kind=AccountKind.VOLUNTEER,
                volunteer_kind=VolunteerKind.CADRE if person else VolunteerKind.RESIDENT,
                person_id=person.pk if person else None,
                name=name,
                phone="" if person else f"139{self.led.rng.randrange(10**8):08d}",
                unit_id=unit.pk,
                opened_on=datetime.date(YEAR, 1, 10),
                created_by_id=self.coordinator.pk,
            )
        )

    def post(self, kind: str, day, memo: str, lines: list[tuple[Account, Decimal]]):
        """One transaction and its entries (timebank.services._post: they sum to zero)."""
        assert sum(amount for _, amount in lines) == 0
        ids = self.led.ids
        posting = self.add(
            Transaction(
                pk=ids.take(Transaction),
                district_id=self.district,
                kind=kind,
                date=day,
                memo=memo[:300],
                created_by_id=self.coordinator.pk,
            )
        )
        for account, amount in lines:
            self.add(
                Entry(
                    pk=ids.take(Entry),
                    transaction_id=posting.pk,
                    account_id=account.pk,
                    amount=amount,
                )  # fmt: skip
            )
        return posting

    def services(self, account: Account, unit) -> Decimal:
        """About six records; returns the hours confirmed (the balance before any redemption)."""
        rng, credited = self.led.rng, Decimal("0")
        for _ in range(rng.randint(2, 10)):
            day = rng.choice(self.led.workdays[:-5])
            hours = Decimal(rng.randint(1, 8)) / 2
            content = rng.choice(SERVICES)
            roll = rng.random()
            state = ServiceState.CONFIRMED if roll < 0.85 else ServiceState.PENDING
            state = ServiceState.RETURNED if roll > 0.95 else state
            record = ServiceRecord(
                pk=self.led.ids.take(ServiceRecord),
                account_id=account.pk,
                date=day,
                hours=hours,
                activity_id=rng.choice(self.activities).pk if rng.random() < 0.5 else None,
                beneficiary=f"{unit.short_name}群众",
                content=content,
                state=state,
                entered_by_id=self.led.user_of(unit.pk).pk,
                entered_at=_aware(day, 17),
            )
            if state != ServiceState.PENDING:
                record.confirmed_by_id = self.coordinator.pk
                record.confirmed_at = _aware(day + datetime.timedelta(days=2))
            if state == ServiceState.RETURNED:
                record.return_reason = "服务时长与签到记录不符，请核实"
            if state == ServiceState.CONFIRMED:
                posting = self.post(
                    TransactionKind.SERVICE, day, f"服务：{content}",
                    [(account, hours), (self.issuance, -hours)],
                )  # fmt: skip
                record.transaction_id = posting.pk
                credited += hours
            self.add(record)
        return credited

    def redeem(self, account: Account, credited: Decimal) -> None:
        """Spend up to half of what was credited, after the last service (never below zero)."""
        hours = (credited / 2).quantize(Decimal("1")) if credited >= 2 else Decimal("0")
        if not hours:
            return
        day = TODAY - datetime.timedelta(days=2)
        item = self.led.rng.choice(ITEMS)
        posting = self.post(
            TransactionKind.REDEMPTION, day, f"兑换：{item}",
            [(account, -hours), (self.redemption, hours)],
        )  # fmt: skip
        self.add(
            Redemption(
                pk=self.led.ids.take(Redemption),
                account_id=account.pk,
                date=day,
                hours=hours,
                item=item,
                created_by_id=self.coordinator.pk,
                transaction_id=posting.pk,
            )  # fmt: skip
        )


def timebank(led: Ledger, activities: list[PracticeActivity]) -> None:
    bank = Bank(led, activities)
    volunteers = []
    for index in range(s.FIRST_VILLAGE, s.FIRST_ENTERPRISE):
        unit = led.unit(index)
        for n in range(VOLUNTEERS_PER_VILLAGE):
            name = f"{unit.short_name[-4:]}志愿者{n + 1}"
            volunteers.append((bank.volunteer(unit, name), unit))
    for index in range(s.FIRST_STREET, s.FIRST_VILLAGE):
        unit = led.unit(index)
        person = led.liaison[unit.pk]
        volunteers.append((bank.volunteer(unit, person.name, person), unit))
    for k, (account, unit) in enumerate(volunteers):
        credited = bank.services(account, unit)
        if k % 4 == 0:
            bank.redeem(account, credited)


def district_extras(led: Ledger) -> None:
    """The district's promises, practice activities and events, and time bank."""
    promises(led)
    timebank(led, practice(led))
