"""The upper levels (issue 17): a city's or the province's own unit with its task force and office,
a coordinator and an inspector, its campaign of upper tasks from a few directives, and its
indicators; then each district's (or city's) answer: hand-downs accepted with one of its own
tasks (Task.upper_task), a few still pending, and its indicators counting into the level's
(Indicator.upper, summed).

Each level is built in memory and inserted before the districts below it (their rows point at
its tasks and indicators). Accounts: `c01-coordinator`, `c01-inspector`, `province-coordinator`,
`province-inspector`.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps

from shigan.campaigns.models import Campaign
from shigan.directives.models import Directive, DirectivePoint, HandDown, HandDownState
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.tasks.models import Task, TaskCategory

from .bulk import Ids
from .gen_indicators import MEASURES, NAMES
from .gen_org import _member

YEAR = 2023
DIRECTIVES = 3  # per city; the province issues one
POINTS = 4  # per directive: one upper task each
PROVINCE_DIRECTIVES = 1
WORKS = ["优化营商环境", "重点项目攻坚", "城乡环境整治", "民生实事办理"]
# District task numbers that answer a level's upper tasks (one each): their lead units are never
# the measured unit (交通运输局, tasks 43, 102 …), so the measured task stays as it was.
ANSWERING_NUMBERS = range(1, DIRECTIVES * POINTS + 1)


@dataclass
class LevelOrg:
    """A city's or the province's own level: what the levels below it point at."""

    key: str  # "c01" or "province": the prefix of its accounts
    name: str
    unit: Unit
    coordinator: object = None
    office: Unit | None = None
    upper_tasks: list[Task] = field(default_factory=list)
    points: list[DirectivePoint] = field(default_factory=list)
    indicators: list = field(default_factory=list)  # by the districts' indicator index
    rows: dict[type, list] = field(default_factory=dict)

    def add(self, obj) -> None:
        self.rows.setdefault(type(obj), []).append(obj)


def _unit(level: LevelOrg, ids: Ids, name: str, kind: str, order: int) -> Unit:
    unit = Unit(
        pk=ids.take(Unit),
        name=f"{level.name}{name}",
        short_name=name,
        kind=kind,
        parent_id=level.unit.pk,
        district_id=level.unit.pk,
        sort_order=order,
    )
    level.add(unit)
    return unit


def _staff(level: LevelOrg, ids: Ids, password: str) -> None:
    force = _unit(level, ids, "作风专班", UnitKind.TASK_FORCE, 0)
    level.office = _unit(level, ids, "党政办公室", UnitKind.OFFICE, 1)
    level.coordinator = _member(
        level, ids, password, "coordinator", name=f"{level.key}专班", unit=force,
        post="专班负责人", role=Role.COORDINATOR, staff=True,
    )  # fmt: skip
    _member(
        level, ids, password, "inspector", name=f"{level.key}督查", unit=force, post="督查员",
        role=Role.INSPECTOR,
    )  # fmt: skip


def _campaign(level: LevelOrg, ids: Ids, directives: int) -> None:
    """The level's campaign: one category, a directive's points each made an upper task."""
    campaign = Campaign(
        pk=ids.take(Campaign),
        year=YEAR,
        name=f"{level.name}作风建设“实干年”",
        organiser_id=level.unit.pk,
        start_date=datetime.date(YEAR, 1, 1),
        end_date=datetime.date(YEAR, 12, 31),
    )
    level.add(campaign)
    category = TaskCategory(pk=ids.take(TaskCategory), campaign_id=campaign.pk, name="上级交办")
    level.add(category)
    for d in range(directives):
        directive = Directive(
            pk=ids.take(Directive),
            issuer_id=level.unit.pk,
            number=f"{level.name}办发〔{YEAR}〕{d + 1}号",
            title=f"关于开展{WORKS[d % len(WORKS)]}专项行动的通知",
            issued_on=datetime.date(YEAR, 2, 10 + d),
            created_by_id=level.coordinator.pk,
        )
        level.add(directive)
        for p in range(POINTS):
            _point_task(level, ids, campaign, category, directive, p)


def _point_task(level, ids, campaign, category, directive, p) -> None:
    number = len(level.upper_tasks) + 1
    point = DirectivePoint(
        pk=ids.take(DirectivePoint),
        directive_id=directive.pk,
        text=f"{p + 1}、{directive.title.removeprefix('关于开展')}第{p + 1}项要求。",
        sort_order=p + 1,
    )
    title = f"{level.name}{WORKS[(number - 1) % len(WORKS)]}（{number}）"
    task = Task(
        pk=ids.take(Task),
        campaign_id=campaign.pk,
        category_id=category.pk,
        number=number,
        title=title,
        target=f"{YEAR}年底前各区县完成{title}。",
        lead_unit_id=level.office.pk,
        start_date=datetime.date(YEAR, 3, 1),
        due_date=datetime.date(YEAR, 11, 30) + datetime.timedelta(days=number * 5),
    )
    level.add(point)
    level.add(task)
    level.points.append(point)
    level.upper_tasks.append(task)


def _indicators(level: LevelOrg, ids: Ids, count: int) -> None:
    """The level's indicators, one per index of its districts' (summed: Aggregation.SUM)."""
    indicator_m = apps.get_model("indicators", "Indicator")
    year_m = apps.get_model("indicators", "IndicatorYear")
    for i in range(count):
        indicator = indicator_m(
            pk=ids.take(indicator_m),
            name=f"{level.name}{NAMES[i % 10]}{i // 10 + 1}",
            measure_unit=MEASURES[i % 10],
            responsible_unit_id=level.office.pk,
            district_id=level.unit.pk,
            aggregation="sum",
            sort_order=i,
        )
        level.add(indicator)
        level.add(year_m(indicator_id=indicator.pk, year=YEAR, annual_target=600000 + i))
        level.indicators.append(indicator)


def build_level(
    *, key: str, name: str, parent: LevelOrg | None, order: int, ids: Ids, password: str,
    directives: int, indicators: int,
) -> LevelOrg:  # fmt: skip
    """Build (not yet insert) a level: its 党委政府 unit under `parent`'s, staff, campaign of
    upper tasks and `indicators` indicators; when `parent` is given, its answer to the parent's
    hand-downs and its indicators counting into the parent's."""
    unit = Unit(
        pk=ids.take(Unit),
        name=f"{name}党委、政府",
        kind=UnitKind.PARTY_GOVERNMENT,
        parent_id=parent.unit.pk if parent else None,
        sort_order=order,
    )
    unit.district_id = unit.pk
    level = LevelOrg(key=key, name=name, unit=unit)
    level.add(unit)
    _staff(level, ids, password)
    _campaign(level, ids, directives)
    if indicators:
        _indicators(level, ids, indicators)
    if parent is not None:
        answer_handdowns(
            parent, level, level.unit, level.coordinator, level.upper_tasks, ids, order
        )
        link_indicators(parent, level.indicators)
    return level


def answer_handdowns(level, org, unit, coordinator, tasks, ids, seed) -> None:
    """`level`'s upper tasks handed down to `unit` (added to `org`'s rows), each answered by
    `tasks[k]` (linked by Task.upper_task) and accepted, except one in seven still pending."""
    for k, (upper, point) in enumerate(zip(level.upper_tasks, level.points, strict=True)):
        if k >= len(tasks):
            break
        pending = (seed + k) % 7 == 6
        org.add(
            HandDown(
                pk=ids.take(HandDown),
                upper_task_id=upper.pk,
                point_id=point.pk,
                unit_id=unit.pk,
                note="请结合实际抓好落实，按月报送进展。",
                state=HandDownState.PENDING if pending else HandDownState.ACCEPTED,
                handed_by_id=level.coordinator.pk,
                handed_on=datetime.date(YEAR, 3, 1),
                answered_by_id=None if pending else coordinator.pk,
                answered_on=None if pending else datetime.date(YEAR, 3, 6),
            )
        )
        if not pending:
            tasks[k].upper_task_id = upper.pk


def answering_tasks(plans) -> list[Task]:
    """A district's tasks that answer its city's upper tasks, in the upper tasks' order."""
    by_number = {plan.task.number: plan.task for plan in plans}
    return [by_number[n] for n in ANSWERING_NUMBERS if n in by_number]


def link_indicators(level: LevelOrg, lower: list) -> None:
    """The lower level's i-th indicator counts into `level`'s i-th (summed)."""
    for upper, indicator in zip(level.indicators, lower, strict=False):
        indicator.upper_id = upper.pk
