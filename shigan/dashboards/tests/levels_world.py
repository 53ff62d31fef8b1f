"""A city above a county above two districts (东区, 西区) for the roll-up page (下级对比), each
level with a task force (coordinator, inspector), a bureau (a reporter, a leader overseeing it),
its own campaign and tasks of known statuses on 2023-07-31, decisions, findings, indicators, and
the county's hand-downs to its districts.

Per level, what `add_records` makes (statuses on TODAY):
- tasks: the `TASKS` statuses, each a plain list task of the level's bureau;
- decisions: `DECISIONS` (done, open) of a meeting of the level, each also a task (done →
  完成, open → 正常);
- findings: `FINDINGS` open findings (整改 due at the year's end: each also a task, 正常);
- indicators: `INDICATORS` (green, red, missing) of the bureau;
- a June progress report for every task of the level's bureau when `FILED` (else the bureau is
  逾期未报 for June on TODAY: the deadline is early July).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from shigan.campaigns.models import Campaign
from shigan.directives.models import HandDown
from shigan.indicators.models import Actual, Indicator, IndicatorYear, MeasureUnit
from shigan.meetings.models import Decision, Meeting
from shigan.orgs.models import Oversight, Role, Unit, UnitKind
from shigan.supervision.models import Inspection
from shigan.supervision.services.inspections import finding_record
from shigan.tasks.models import ProgressReport, Task, TaskCategory, TaskOrigin, TaskState
from shigan.testing import make_task, make_user

D = datetime.date
TODAY = "2023-07-31"
CITY, COUNTY, EAST, WEST = "示范市", "甲县", "东区", "西区"

# Plain tasks per level by their status on TODAY.
TASKS = {
    CITY: ["on_track"],
    COUNTY: ["overdue", "done"],
    EAST: ["overdue", "overdue", "behind", "nearing"],
    WEST: ["not_started", "on_track", "done"],
}
DECISIONS = {CITY: (0, 0), COUNTY: (1, 1), EAST: (2, 3), WEST: (4, 1)}
FINDINGS = {CITY: 0, COUNTY: 1, EAST: 2, WEST: 1}
INDICATORS = {CITY: (1, 0, 0), COUNTY: (0, 1, 1), EAST: (1, 1, 0), WEST: (0, 0, 2)}
FILED = {CITY: True, COUNTY: False, EAST: False, WEST: True}


@dataclass
class Level:
    name: str
    root: Unit
    force: Unit
    bureau: Unit
    users: dict
    campaign: Campaign
    category: TaskCategory
    tasks: list = field(default_factory=list)


def _task(level: Level, status: str, index: int) -> Task:
    kwargs = {
        "overdue": {"due": D(2023, 7, 1)},
        "nearing": {"due": D(2023, 8, 3)},
        "not_started": {"start": D(2023, 9, 1)},
        "behind": {"milestones": [("节点", D(2023, 7, 15), None)]},
    }.get(status, {})
    task = make_task(
        campaign=level.campaign, category=level.category, unit=level.bureau,
        title=f"{level.name}任务{index}", number=index, **kwargs,
    )  # fmt: skip
    if status == "done":
        Task.objects.filter(pk=task.pk).update(state=TaskState.COMPLETED, closed_on=D(2023, 7, 1))
    return task


def build_level(name: str, parent: Unit | None, key: str, sort_order: int = 0) -> Level:
    root = Unit.objects.create(
        name=f"{name}党委政府", kind=UnitKind.PARTY_GOVERNMENT, parent=parent, sort_order=sort_order
    )
    force = Unit.objects.create(name=f"{name}作风专班", kind=UnitKind.TASK_FORCE, parent=root)
    bureau = Unit.objects.create(name=f"{name}交通局", kind=UnitKind.BUREAU, parent=root)
    users = {
        "coordinator": make_user(f"{key}_zb", unit=force, role=Role.COORDINATOR, name=f"{name}专班")[0],
        "inspector": make_user(f"{key}_dc", unit=force, role=Role.INSPECTOR, name=f"{name}督查")[0],
        "reporter": make_user(f"{key}_tb", unit=bureau, role=Role.REPORTER, name=f"{name}填报")[0],
    }  # fmt: skip
    leader, person = make_user(f"{key}_ld", unit=root, role=Role.LEADER, name=f"{name}领导")
    users["leader"] = leader
    Oversight.objects.create(leader=person, unit=bureau)
    campaign = Campaign.objects.create(
        year=2023, name=f"{name}实干年", organiser=root, start_date=D(2023, 1, 1),
        end_date=D(2023, 12, 31),
    )  # fmt: skip
    category = TaskCategory.objects.create(campaign=campaign, name=f"{name}重点工作")
    return Level(name, root, force, bureau, users, campaign, category)


def _decisions(level: Level, done: int, open_: int) -> None:
    if not done + open_:
        return
    chair = level.users["leader"].person
    meeting = Meeting.objects.create(
        campaign=level.campaign, kind="other", title=f"{level.name}调度会", date=D(2023, 3, 1),
        chair=chair,
    )  # fmt: skip
    for i, status in enumerate(["done"] * done + ["on_track"] * open_, start=1):
        task = _task(level, status, 100 + i)
        Task.objects.filter(pk=task.pk).update(origin=TaskOrigin.DECISION, start_date=D(2023, 3, 1))
        Decision.objects.create(meeting=meeting, number=i, task=task)


def _findings(level: Level, n: int) -> None:
    if not n:
        return
    inspection = Inspection.objects.create(
        campaign=level.campaign, topic=f"{level.name}专项督查", kind="special", date=D(2023, 4, 1)
    )
    inspection.units.add(level.bureau)
    for i in range(n):
        finding_record(
            inspection=inspection, unit=level.bureau, problem=f"{level.name}问题{i}",
            severity="general", requirement="整改要求", deadline=D(2023, 12, 31),
            by=level.users["inspector"],
        )  # fmt: skip


def _indicators(level: Level, green: int, red: int, missing: int) -> None:
    # June figures read on TODAY: 序时进度 50%; green 60% of the target, red 10%.
    figures = [Decimal(60)] * green + [Decimal(10)] * red + [None] * missing
    for i, june in enumerate(figures):
        made = Indicator.objects.create(
            name=f"{level.name}指标{i}", measure_unit=MeasureUnit.WAN_YUAN,
            responsible_unit=level.bureau,
        )  # fmt: skip
        IndicatorYear.objects.create(indicator=made, year=2023, annual_target=Decimal(100))
        if june is not None:
            Actual.objects.create(indicator=made, year=2023, month=6, value=june, unit=level.bureau)


def _file_june(level: Level) -> None:
    for task in Task.objects.filter(lead_unit=level.bureau):
        ProgressReport.objects.create(
            task=task, unit=level.bureau, period=D(2023, 6, 1), text="6月进展",
            submitted_by=level.users["reporter"],
        )  # fmt: skip


# An added district's records (build_world's `extra_districts`).
EXTRA = (["overdue", "on_track"], (1, 1), 1, (1, 1, 1), False)


def add_records(level: Level, spec=None) -> None:
    name = level.name
    tasks, decisions, findings, indicators, filed = spec or (
        TASKS[name],
        DECISIONS[name],
        FINDINGS[name],
        INDICATORS[name],
        FILED[name],
    )
    level.tasks = [_task(level, s, i) for i, s in enumerate(tasks, start=1)]
    _decisions(level, *decisions)
    _findings(level, findings)
    _indicators(level, *indicators)
    if filed:
        _file_june(level)


def hand_down(upper: Level, lower: Level, n: int) -> None:
    """`n` hand-downs of the upper level's tasks to `lower`, waiting to be accepted."""
    for task in upper.tasks[:n]:
        HandDown.objects.create(
            upper_task=task, unit=lower.root, handed_by=upper.users["coordinator"],
            handed_on=D(2023, 7, 10),
        )  # fmt: skip


def build_world(extra_districts: int = 0) -> dict[str, Level]:
    city = build_level(CITY, None, "shi")
    county = build_level(COUNTY, city.root, "xian")
    levels = {CITY: city, COUNTY: county}
    levels[EAST] = build_level(EAST, county.root, "dong", 1)
    levels[WEST] = build_level(WEST, county.root, "xi", 2)
    for level in levels.values():
        add_records(level)
    hand_down(county, levels[EAST], 2)
    hand_down(county, levels[WEST], 1)
    for i in range(extra_districts):
        more = build_level(f"新{i}区", county.root, f"x{i}", 3 + i)
        add_records(more, EXTRA)
        levels[more.name] = more
    return levels
