"""A county with its districts: the county's coordinator and campaign with an upper task, and
per district a coordinator, a bureau and the district's own campaign."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from shigan.campaigns.models import Campaign
from shigan.directives.models import (
    Directive,
    DirectiveFile,
    DirectivePoint,
    HandDown,
    HandDownState,
)
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.tasks.models import Task, TaskCategory
from shigan.testing import make_task, make_user

YEAR_START, YEAR_END = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)


@dataclass
class District:
    unit: Unit
    bureau: Unit
    coordinator: object
    campaign: Campaign
    category: TaskCategory


@dataclass
class County:
    unit: Unit
    office: Unit
    coordinator: object
    inspector: object
    campaign: Campaign
    category: TaskCategory
    upper_task: Task
    prefix: str = "county"
    districts: list[District] = field(default_factory=list)


def _campaign(organiser: Unit, name: str) -> tuple[Campaign, TaskCategory]:
    campaign = Campaign.objects.create(
        year=2023, name=name, organiser=organiser, start_date=YEAR_START, end_date=YEAR_END
    )
    return campaign, TaskCategory.objects.create(campaign=campaign, name="重点工作")


def add_district(county: County, index: int) -> District:
    unit = Unit.objects.create(
        name=f"第{index}区党委政府", kind=UnitKind.PARTY_GOVERNMENT, parent=county.unit,
        sort_order=index,
    )  # fmt: skip
    force = Unit.objects.create(name="作风专班", kind=UnitKind.TASK_FORCE, parent=unit)
    bureau = Unit.objects.create(name="交通局", kind=UnitKind.BUREAU, parent=unit)
    coordinator, _ = make_user(
        f"{county.prefix}_d{index}", unit=force, role=Role.COORDINATOR, name=f"区{index}专班"
    )
    campaign, category = _campaign(unit, f"第{index}区实干年")
    district = District(unit, bureau, coordinator, campaign, category)
    county.districts.append(district)
    return district


def build_county(districts: int = 2, *, name: str = "示范县", prefix: str = "county") -> County:
    unit = Unit.objects.create(name=f"{name}党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    office = Unit.objects.create(name="县委办", kind=UnitKind.OFFICE, parent=unit)
    force = Unit.objects.create(name="县作风办", kind=UnitKind.TASK_FORCE, parent=unit)
    coordinator, _ = make_user(f"{prefix}_coord", unit=force, role=Role.COORDINATOR, name="县专班")
    inspector, _ = make_user(f"{prefix}_insp", unit=force, role=Role.INSPECTOR, name="县督查")
    campaign, category = _campaign(unit, "全县实干年")
    upper = make_task(
        campaign=campaign, category=category, unit=office, title="优化营商环境专项行动",
        due=datetime.date(2023, 11, 30),
    )  # fmt: skip
    county = County(unit, office, coordinator, inspector, campaign, category, upper, prefix)
    for index in range(1, districts + 1):
        add_district(county, index)
    return county


def other_roles(county) -> dict:
    """The receiving district's reporter (of its bureau), leader and inspector, and the county's
    reporter and leader: accounts made once, read again on a second call."""
    first = county.districts[0]
    roles = {
        "district_reporter": (first.bureau, Role.REPORTER),
        "district_leader": (first.unit, Role.LEADER),
        "district_inspector": (first.unit, Role.INSPECTOR),
        "county_reporter": (county.office, Role.REPORTER),
        "county_leader": (county.unit, Role.LEADER),
    }
    people = {}
    for name, (unit, role) in roles.items():
        username = f"{county.prefix}_{name}"
        found = get_user_model().objects.filter(username=username).first()
        people[name] = found or make_user(username, unit=unit, role=role, name=name)[0]
    return people


def child_task(district: District, upper: Task, **kwargs) -> Task:
    """A district's task linked to `upper`, as accepting a hand-down makes it."""
    kwargs.setdefault("title", f"{district.unit.name}落实{upper.title}")
    task = make_task(
        campaign=district.campaign, category=district.category, unit=district.bureau, **kwargs
    )
    task.upper_task = upper
    task.save(update_fields=["upper_task"])
    return task


def matrix_records(world, *, pdf) -> dict:
    """For the permission matrix: a county above build_world's district that hands one of its
    tasks down to it (待接收), and a directive of the district with one point and one file."""
    county = Unit.objects.create(name="矩阵县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    Unit.objects.filter(pk=world.district.pk).update(parent=county)
    county_office = Unit.objects.create(name="矩阵县委办", kind=UnitKind.OFFICE, parent=county)
    county_user, _ = make_user(
        "matrix_county", unit=county_office, role=Role.COORDINATOR, name="矩阵县专班"
    )
    campaign, category = _campaign(county, "矩阵县实干年")
    upper = make_task(campaign=campaign, category=category, unit=county_office, title="县交办任务")
    handdown = HandDown.objects.create(
        upper_task=upper, unit=world.district, handed_by=county_user, handed_on=YEAR_START
    )
    directive = Directive.objects.create(
        issuer=world.district, number="示范区委办发〔2023〕1号", title="区文件",
        issued_on=YEAR_START, created_by=world.coordinator,
    )  # fmt: skip
    DirectivePoint.objects.create(directive=directive, text="一、要求", sort_order=1)
    attachment = DirectiveFile(directive=directive)
    attachment.store(pdf, by=world.coordinator)
    return {"directive": directive, "directive_file": attachment, "handdown": handdown}


def hand_down(county: County, district: District, upper: Task, *, on: datetime.date, **child):
    """`upper` handed down to `district` on `on`: accepted with a child task made of `child`'s
    keyword arguments (child_task's), or left waiting (待接收) when none is given."""
    state = HandDownState.ACCEPTED if child else HandDownState.PENDING
    handdown = HandDown.objects.create(
        upper_task=upper, unit=district.unit, handed_by=county.coordinator, handed_on=on,
        state=state, answered_on=on if child else None,
    )  # fmt: skip
    return child_task(district, upper, **child) if child else handdown
