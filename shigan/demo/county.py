"""Load the county above the demo district (data.county): 云岭县 with its own units, a
coordinator and an inspector, its 实干年 campaign, a second district 高新区 beside the demo's with
its own tasks and indicators, the county's directive 县委办发〔2023〕8号 with the tasks it hands
down (one answered by the demo district with its own 招商引资 task, one still waiting for it, the
others answered by 高新区), and the county's indicators its districts' figures add up into.

Loaded after the demo district, as of the same day: the district's accounts read and write what
they did before (the county is above them; a coordinator reads his own level and the levels below
it). Units, people and list tasks are created and audited as the district's are
(shigan.demo.records); campaigns, categories, the directive, the hand-downs and their answers,
indicators and their figures go through their apps' services, by the accounts that would do it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from shigan.campaigns.models import Campaign
from shigan.campaigns.services import campaign_create
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction, AuditSource
from shigan.directives.models import Directive
from shigan.directives.services import (
    directive_create,
    handdown_accept_existing,
    handdown_accept_new,
    handdown_create_with_task,
)
from shigan.indicators.models import Aggregation, Indicator
from shigan.indicators.services import indicator_save, same_period_set, target_set
from shigan.orgs.models import Person, Unit
from shigan.tasks.models import Task, TaskCategory
from shigan.tasks.services.categories import category_create

from .base import AUDIT_NOTE
from .data import campaign as campaign_data
from .data import county as data
from .data.indicators import YEAR, IndicatorData
from .indicators import submit_actuals
from .records import create_accounts, create_audited, create_milestones, create_reports, create_task


@dataclass(frozen=True)
class CountyDemo:
    """What load_county_demo() created: the county's and 高新区's people by key (their accounts
    among them) and the county's campaign."""

    people: dict[str, Person]
    campaign: Campaign
    units: int


def create_county_units(district: Unit) -> dict[str, Unit]:
    """The county's and 高新区's units; the demo district is moved below the county (audited)."""
    units: dict[str, Unit] = {}
    for order, (key, (name, short, kind, parent)) in enumerate(data.UNITS.items()):
        units[key] = create_audited(
            Unit, name=name, short_name=short, kind=kind,
            parent=units.get(parent) if parent else None, sort_order=order,
        )  # fmt: skip
    before = snapshot(district)
    district.parent = units[data.COUNTY]
    district.save(update_fields=["parent", "updated_at"])
    audit_record(
        actor=None, obj=district, action=AuditAction.UPDATE, before=before, note=AUDIT_NOTE,
        source=AuditSource.DEMO,
    )  # fmt: skip
    return units


def create_county_people(units: dict[str, Unit]) -> dict[str, Person]:
    return {
        key: create_audited(
            Person, name=name, unit=units[unit], post=post, role=role, sort_order=order
        )
        for order, (key, (name, unit, post, role)) in enumerate(data.PEOPLE.items())
    }


def load_sibling_tasks(campaign: Campaign, units, people, users, today: datetime.date, by) -> None:
    """高新区's own list tasks, numbered in order, with milestones and reports up to `today`."""
    categories: dict[str, TaskCategory] = {}
    for number, item in enumerate(data.SIBLING_TASKS, start=1):
        if item.category not in categories:
            categories[item.category] = category_create(
                campaign=campaign, by=by, name=item.category
            )
        task = create_task(
            item, number=number, category=categories[item.category], units=units, people=people
        )
        milestones = create_milestones(task, item, today)
        create_reports(task, item, milestones, users[item.reporter], today)


def _campaign(organiser: Unit, name: str, by, slogan: str = "") -> Campaign:
    return campaign_create(
        by=by, year=campaign_data.YEAR, name=name, organiser=organiser, slogan=slogan,
        start_date=campaign_data.START, end_date=campaign_data.END,
    )  # fmt: skip


def _indicator(item: IndicatorData, unit: Unit, by, order: int) -> Indicator:
    """An indicator with its target and last year's figures (no actuals)."""
    indicator = indicator_save(
        indicator=None, by=by, name=item.name, measure_unit=item.measure_unit,
        category=item.category, accumulation=item.accumulation, responsible_unit=unit,
        source=item.source, sort_order=order, aggregation=Aggregation.SUM,
    )  # fmt: skip
    target = None if item.target is None else Decimal(item.target)
    target_set(indicator=indicator, year=YEAR, annual_target=target, by=by)
    for month, value in item.last_year.items():
        same_period_set(indicator=indicator, year=YEAR, month=month, value=Decimal(value), by=by)
    return indicator


def _link_up(indicator: Indicator, upper: Indicator, by) -> None:
    """Count a district's indicator into the county's (汇入上级指标, summed), by its own
    coordinator: the indicator is his level's to change."""
    indicator_save(
        indicator=indicator, by=by, name=indicator.name, measure_unit=indicator.measure_unit,
        responsible_unit=indicator.responsible_unit, upper=upper, aggregation=Aggregation.SUM,
    )  # fmt: skip


def load_county_indicators(
    units: dict[str, Unit], users: dict, district: Unit, demo_by, today: datetime.date
) -> None:
    """The county's indicators; 高新区's with their monthly figures; both districts' of the
    same names counted into the county's."""
    county_by, sibling_by = users[data.COUNTY_COORDINATOR], users[data.SIBLING_COORDINATOR]
    sibling = {}
    for order, item in enumerate(data.SIBLING_INDICATORS, start=1):
        indicator = _indicator(item, units[item.unit], sibling_by, order)
        submit_actuals(indicator, item, users[item.reporter], today)
        sibling[item.name] = indicator
    for order, (name, target) in enumerate(data.COUNTY_INDICATORS, start=1):
        item = IndicatorData(
            name, data.SIBLING_INDICATORS[0].measure_unit, data.ECONOMY["category"],
            data.COUNTY_INDICATOR_UNIT, "", data.COUNTY_INDICATOR_SOURCE, target, {}, {},
        )  # fmt: skip
        upper = _indicator(item, units[data.COUNTY_INDICATOR_UNIT], county_by, order)
        _link_up(Indicator.objects.get(district=district, name=name), upper, demo_by)
        _link_up(sibling[name], upper, sibling_by)


def hand_down(
    directive: Directive, county_campaign: Campaign, units: dict[str, Unit], by, today
) -> list[tuple[dict, list]]:
    """The county's upper tasks for the directive's points, each handed down (those handed down
    by `today`); returns per upper task its answers and hand-downs (in the districts' order)."""
    category = category_create(campaign=county_campaign, by=by, name=data.COUNTY_CATEGORY)
    points = list(directive.points.order_by("sort_order"))
    made = []
    for index, title, lead, start, due, handed_on, answers in data.UPPER_TASKS:
        if handed_on > today:
            continue
        handdowns = handdown_create_with_task(
            by=by, point=points[index], units=[units[key] for key in answers],
            note=data.HANDDOWN_NOTE, campaign=county_campaign, category=category, title=title,
            lead_unit=units[lead], start_date=start, due_date=due, today=handed_on,
        )  # fmt: skip
        made.append((answers, handdowns))
    return made


@dataclass(frozen=True)
class Level:
    """A district answering the county's hand-downs: its coordinator, campaign and units."""

    by: object
    campaign: Campaign
    category: TaskCategory | None = None


def answer(handdown, how, level: Level, units: dict[str, Unit], people) -> None:
    """A district's answer to a hand-down: one of its own tasks linked, or a new one."""
    kind, title, day = how
    if kind == "existing":
        task = Task.objects.get(campaign=level.campaign, title=title)
        handdown_accept_existing(by=level.by, handdown=handdown, task=task, today=day)
        return
    handdown_accept_new(
        by=level.by, handdown=handdown, campaign=level.campaign, category=level.category,
        title=title, target=data.SIBLING_INVESTMENT_TARGET,
        lead_unit=units[data.SIBLING_INVESTMENT_UNIT], leader=people["gaoxin_director"],
        start_date=day, due_date=handdown.upper_task.due_date, today=day,
    )  # fmt: skip


def load_directive(
    units, people, users, levels: dict[str, Level], campaign: Campaign, today: datetime.date
) -> None:
    """县委办发〔2023〕8号 with its points, the upper tasks it hands down, and the answers, as
    they stood on `today` (a later hand-down or answer is left out)."""
    if data.DIRECTIVE_ISSUED > today:
        return
    by = users[data.COUNTY_COORDINATOR]
    directive = directive_create(
        by=by, issuer=units["county_office"], number=data.DIRECTIVE_NUMBER,
        title=data.DIRECTIVE_TITLE, issued_on=data.DIRECTIVE_ISSUED, points=data.POINTS,
    )  # fmt: skip
    keys = {unit.pk: key for key, unit in units.items() if key in levels}
    for answers, handdowns in hand_down(directive, campaign, units, by, today):
        for handdown in handdowns:
            key = keys[handdown.unit_id]
            if answers[key] is not None and answers[key][2] <= today:
                answer(handdown, answers[key], levels[key], units, people)


def load_county_demo(
    *, district: Unit, district_campaign: Campaign, district_coordinator, today: datetime.date
) -> CountyDemo:
    """The county above `district` (the demo's, already loaded) as of `today`."""
    units = create_county_units(district)
    people = create_county_people(units)
    users = create_accounts(people, data.ACCOUNTS)
    campaign = _campaign(
        units[data.COUNTY], data.CAMPAIGN_NAME, users[data.COUNTY_COORDINATOR],
        data.CAMPAIGN_SLOGAN,
    )  # fmt: skip
    sibling_by = users[data.SIBLING_COORDINATOR]
    sibling_campaign = _campaign(units[data.SIBLING], data.SIBLING_CAMPAIGN_NAME, sibling_by)
    load_sibling_tasks(sibling_campaign, units, people, users, today, sibling_by)
    handed = category_create(campaign=sibling_campaign, by=sibling_by, name=data.COUNTY_CATEGORY)
    levels = {
        "district": Level(district_coordinator, district_campaign),
        data.SIBLING: Level(sibling_by, sibling_campaign, handed),
    }
    load_directive({**units, "district": district}, people, users, levels, campaign, today)
    load_county_indicators(units, users, district, district_coordinator, today)
    return CountyDemo(people=people, campaign=campaign, units=len(units))
