"""One district's grassroots ledger: concern categories, reception days, visits by cadres with
the concerns raised on them, and the concerns of every other source (the 12345 hotline, online,
letters, enterprises), each walked through its steps (grassroots.steps) up to 2023-10-31.

A real county receives a few thousand concerns a year, most by the hotline: by default 3,000 a
district from 2 January to today (`Shape.concerns`), about 15 % raised on some 600 visits and
6 % on the leaders' reception days. Each is due its category's time limit in working days on
the national calendar (the generated districts have no local overrides, so their calendar is
the national one: what `calendar_for` computes). Once due, most are closed on time, some late,
a few reopened after an unsatisfied 回访 (most closed again), a few still open and overdue;
those not yet due are partly closed and partly in progress at every step. Every step is a
ConcernAction in the only order the steps allow: 受理 and 转办 the day received, then 办理,
答复, 回访 (不满意 sends it back to 办理) and 办结 spread up to the closing day.

The promises, practice events and the time bank are in gen_timebank.py.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core.workdays import NATIONAL
from shigan.demo.grassroots_concerns import CATEGORIES
from shigan.grassroots.models import (
    Concern,
    ConcernAction,
    ConcernCategory,
    ConcernKind,
    ConcernSource,
    ConcernStep,
    PlaceKind,
    ReceptionDay,
    Satisfaction,
    Visit,
    VisitKind,
)
from shigan.orgs.models import Person, Role

from . import shapes as s
from .bulk import Ids
from .gen_org import DistrictOrg

YEAR = 2023
FIRST_DAY = datetime.date(YEAR, 1, 3)
TODAY = datetime.date(2023, 10, 31)
VISITS_PER_DISTRICT = 600
# Of the concerns not raised on a visit or a reception day: where they came from.
OTHER_SOURCES = [
    (ConcernSource.HOTLINE, 78),
    (ConcernSource.ONLINE, 10),
    (ConcernSource.LETTER, 5),
    (ConcernSource.ENTERPRISE, 7),
]
# category name -> (weight, what people ask)
ASKS = {
    "道路交通": (20, ["村组道路坑洼，雨天积水难行", "学校门口缺少减速带和斑马线", "公交站台破损"]),
    "供水排水": (18, ["自来水水压不足，高峰时段楼上无水", "排水沟堵塞，农田受淹", "窨井盖缺失"]),
    "环境卫生": (22, ["垃圾收集点清运不及时，异味扰民", "河道漂浮物未清理", "夜间施工噪声扰民"]),
    "就业社保": (12, ["咨询灵活就业人员参保补贴办理", "养老保险待遇认证困难", "欠薪求助"]),
    "惠企服务": (8, ["企业用工招聘难，请求对接招聘会", "申请技改补贴进度慢", "办电报装时间长"]),
    "邻里纠纷": (8, ["宅基地边界争议", "楼上漏水影响楼下", "共用通道被占"]),
    "水电急修（马上就办）": (12, ["路灯损坏，夜间出行不便", "小区突然停水", "电线老化打火"]),
}
DISPUTE_CATEGORY = "邻里纠纷"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
TITLES = ["大爷", "阿姨", "师傅", "女士", "先生", "大姐", "老伯", "经理"]
# Units that handle concerns (office, bureaus, streets, villages) and units that visit.
HANDLING = range(s.OFFICE, s.FIRST_ENTERPRISE)
VISITING = range(s.OFFICE, s.FIRST_VILLAGE)


@dataclass
class Intake:
    """Where and when one concern was received."""

    received_on: datetime.date
    source: str
    visit: Visit | None = None
    reception_day: ReceptionDay | None = None


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def _workdays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, day = [], first
    while day <= last:
        if NATIONAL.is_workday(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


class Ledger:
    """Builds one district's grassroots rows into `org.rows` (inserted with the rest)."""

    def __init__(self, org: DistrictOrg, ids: Ids, shape: s.Shape):
        self.org, self.ids, self.shape = org, ids, shape
        self.rng = random.Random(f"grassroots-{org.key}")
        self.campaign: Campaign = org.rows[Campaign][0]
        self.workdays = _workdays(FIRST_DAY, TODAY)
        persons = org.rows[Person]
        self.liaison = {p.unit_id: p for p in persons if p.role == Role.REPORTER}
        self.categories: dict[str, ConcernCategory] = {}

    def unit(self, index: int):
        return self.org.units[index]

    def user_of(self, unit_pk: int):
        return self.org.reporter_for_unit(unit_pk)

    def categories_build(self) -> None:
        district = self.unit(s.ROOT)
        for i, (name, days) in enumerate(CATEGORIES.items()):
            category = ConcernCategory(
                pk=self.ids.take(ConcernCategory),
                district_id=district.pk,
                name=name,
                time_limit_workdays=days,
                sort_order=i,
            )
            self.categories[name] = category
            self.org.add(category)

    def reception_days(self) -> list[ReceptionDay]:
        """Each leader receives once a month (January to October); one day in twenty not held."""
        days = []
        for month in range(1, TODAY.month + 1):
            for i, leader in enumerate(self.org.leaders):
                day = NATIONAL.nth_workday_of_month(YEAR, month, 3 + 2 * i)
                held = self.rng.random() > 0.05
                days.append(
                    ReceptionDay(
                        pk=self.ids.take(ReceptionDay),
                        campaign_id=self.campaign.pk,
                        date=day,
                        leader_id=leader.pk,
                        place=f"{self.org.name}群众来访接待中心",
                        held=held,
                        visitors=self.rng.randint(3, 12) if held else 0,
                        note="" if held else "因公出差，已调整至下周",
                    )
                )
                self.org.add(days[-1])
        return days

    def visits(self) -> list[Visit]:
        """Cadres of the office, bureaus and streets visiting villages, households, enterprises."""
        found = []
        through = Visit.cadres.through
        kinds = [VisitKind.VISIT] * 6 + [VisitKind.DOWN_VISIT] * 2 + [VisitKind.ON_SITE]
        for k in range(VISITS_PER_DISTRICT):
            index = VISITING[k % len(VISITING)]
            unit = self.unit(index)
            village = self.unit(s.FIRST_VILLAGE + self.rng.randrange(32))
            place_kind = self.rng.choice(
                [PlaceKind.VILLAGE, PlaceKind.HOUSEHOLD, PlaceKind.HOUSEHOLD, PlaceKind.ENTERPRISE]
            )
            visit = Visit(
                pk=self.ids.take(Visit),
                campaign_id=self.campaign.pk,
                kind=self.rng.choice(kinds),
                date=self.rng.choice(self.workdays),
                unit_id=unit.pk,
                place_kind=place_kind,
                place=f"{village.short_name}{PlaceKind(place_kind).label}",
                place_unit_id=village.pk,
                people_met="村两委成员、群众代表",
                what_done="走访了解群众急难愁盼问题，宣讲惠民政策，现场协调解决具体困难。",
                created_by_id=self.user_of(unit.pk).pk,
            )
            self.org.add(visit)
            cadres = [self.liaison[unit.pk].pk]
            if k % 3 == 0:
                cadres.append(self.org.leaders[self.org.overseer.get(index, 0)].pk)
            for person in cadres:
                self.org.add(through(visit_id=visit.pk, person_id=person))
            found.append(visit)
        return found

    def intakes(self, visits, reception_days) -> list[Intake]:
        """Every concern's source and day, in the order received (the numbers follow it)."""
        found = []
        for visit in visits:
            found += [Intake(visit.date, ConcernSource.VISIT, visit=visit)] * self.rng.choice(
                [0, 0, 1, 1, 1, 2]
            )
        for day in reception_days:
            if day.held:
                found += [Intake(day.date, ConcernSource.RECEPTION, reception_day=day)] * (
                    day.visitors // 4 + 1
                )
        sources, weights = zip(*OTHER_SOURCES, strict=True)
        span = (TODAY - datetime.date(YEAR, 1, 1)).days
        for _ in range(max(self.shape.concerns - len(found), 0)):
            day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=self.rng.randint(0, span))
            found.append(Intake(day, self.rng.choices(sources, weights)[0]))
        found.sort(key=lambda intake: intake.received_on)
        return found

    def concerns(self, intakes: list[Intake]) -> None:
        names = list(ASKS)
        weights = [ASKS[n][0] for n in names]
        for number, intake in enumerate(intakes, start=1):
            category = self.categories[self.rng.choices(names, weights)[0]]
            self.concern(number, intake, category)

    def concern(self, number: int, intake: Intake, category: ConcernCategory) -> None:
        rng, received = self.rng, intake.received_on
        due = NATIONAL.add_workdays(received, category.time_limit_workdays)
        dispute = category.name == DISPUTE_CATEGORY
        handler = self.unit(rng.choice(HANDLING))
        name = f"{rng.choice(SURNAMES)}{rng.choice(TITLES)}"
        concern = Concern(
            pk=self.ids.take(Concern),
            campaign_id=self.campaign.pk,
            number=f"{YEAR}-{number:04d}",
            kind=ConcernKind.DISPUTE if dispute else ConcernKind.REQUEST,
            source=intake.source,
            category_id=category.pk,
            visit_id=intake.visit.pk if intake.visit else None,
            reception_day_id=intake.reception_day.pk if intake.reception_day else None,
            requester_name=name,
            requester_phone=f"13{rng.randrange(10**9):09d}" if rng.random() < 0.9 else "",
            requester_id_number=f"42{rng.randrange(10**15):015d}X" if rng.random() < 0.3 else "",
            content=f"{handler.short_name}辖区群众反映：{rng.choice(ASKS[category.name][1])}。",
            parties=f"{name}与邻居{rng.choice(SURNAMES)}某" if dispute else "",
            received_on=received,
            due_on=due,
        )
        self.org.add(concern)
        self.walk(concern, handler, fate(rng, received, due))

    def walk(self, concern: Concern, handler, plan: tuple) -> None:
        """The concern's actions: 受理 the day received, 转办 too unless still unassigned, then the
        planned steps spread up to their last day; the concern's step, satisfaction, reopened count
        and closing day follow them (services.concerns._apply)."""
        todo, last = plan
        coordinator = self.org.coordinator
        acts = [(ConcernStep.ACCEPTED, "", coordinator, concern.received_on)]
        if todo or self.rng.random() < 0.7:  # a few new ones not yet assigned
            acts.append((ConcernStep.ASSIGNED, "", coordinator, concern.received_on))
            concern.assigned_unit_id = handler.pk
        span = (last - concern.received_on).days
        for i, step in enumerate(todo or [], start=1):
            step, satisfaction = step if isinstance(step, tuple) else (step, "")
            day = concern.received_on + datetime.timedelta(days=span * i // len(todo))
            by = self.user_of(handler.pk) if step in _UNIT_STEPS else coordinator
            acts.append((step, satisfaction, by, day))
        for n, (step, satisfaction, by, day) in enumerate(acts):
            self.org.add(
                ConcernAction(
                    pk=self.ids.take(ConcernAction),
                    concern_id=concern.pk,
                    step=step,
                    by_id=by.pk,
                    at=_aware(day, 9) + datetime.timedelta(minutes=10 * n),
                    on=day,
                    note=_NOTES[step].format(unit=handler.short_name),
                    to_unit_id=handler.pk if step == ConcernStep.ASSIGNED else None,
                    satisfaction=satisfaction,
                )
            )
            _apply(concern, step, satisfaction, day)


def fate(rng: random.Random, received: datetime.date, due: datetime.date) -> tuple:
    """(steps to take, the day of the last one) for a concern received and due on those days,
    as of TODAY. Steps are ConcernStep values, a 回访 as (step, satisfaction)."""
    happy = (ConcernStep.FOLLOWED_UP, Satisfaction.SATISFIED)
    if rng.random() < 0.2:
        happy = (ConcernStep.FOLLOWED_UP, Satisfaction.BASIC)
    unhappy = (ConcernStep.FOLLOWED_UP, Satisfaction.UNSATISFIED)
    work = [ConcernStep.HANDLING, ConcernStep.ANSWERED]
    closed = [*work, happy, ConcernStep.CLOSED]
    reopened = [*work, unhappy, ConcernStep.ANSWERED, happy, ConcernStep.CLOSED]

    def upto(last: datetime.date) -> datetime.date:
        return received + datetime.timedelta(days=rng.randint(0, max((last - received).days, 0)))

    roll = rng.random()
    if due >= TODAY:  # not yet due: about half closed, the rest in progress at some step
        if roll < 0.5:
            return closed, upto(TODAY)
        return closed[: rng.randint(-1, 3)] if roll < 0.95 else [], upto(TODAY)
    late_day = min(due + datetime.timedelta(days=rng.randint(1, 20)), TODAY)
    if roll < 0.86:
        return closed, upto(due)
    if roll < 0.93:
        return closed, late_day
    if roll < 0.96:  # reopened after an unsatisfied 回访; three in four closed again
        if rng.random() < 0.75:
            return reopened, late_day if rng.random() < 0.5 else upto(due)
        return reopened[: rng.randint(3, 4)], upto(TODAY)
    return closed[: rng.randint(0, 2)], upto(TODAY)  # open and overdue


def _apply(concern: Concern, step: str, satisfaction: str, day: datetime.date) -> None:
    concern.step = step
    if step == ConcernStep.FOLLOWED_UP:
        concern.satisfaction = satisfaction
        if satisfaction == Satisfaction.UNSATISFIED:
            concern.step = ConcernStep.HANDLING
            concern.reopened += 1
    elif step == ConcernStep.CLOSED:
        concern.closed_on = day
        concern.outcome = "已办结，群众表示认可。"


_UNIT_STEPS = {ConcernStep.HANDLING, ConcernStep.ANSWERED}
_NOTES = {
    ConcernStep.ACCEPTED: "受理登记",
    ConcernStep.ASSIGNED: "转办至{unit}",
    ConcernStep.HANDLING: "{unit}已安排专人现场核实办理",
    ConcernStep.ANSWERED: "已电话答复诉求人办理情况",
    ConcernStep.FOLLOWED_UP: "电话回访诉求人",
    ConcernStep.CLOSED: "办结",
}


def district_grassroots(org: DistrictOrg, ids: Ids, shape: s.Shape) -> Ledger:
    """Build the district's categories, reception days, visits and concerns with their steps."""
    ledger = Ledger(org, ids, shape)
    ledger.categories_build()
    days = ledger.reception_days()
    visits = ledger.visits()
    ledger.concerns(ledger.intakes(visits, days))
    return ledger
