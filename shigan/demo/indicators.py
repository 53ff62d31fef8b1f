"""Load the demo's indicators (with targets, last year's figures and monthly actuals from
January), key enterprises and their figures, key projects and investment attraction.

Actuals go through indicators.services.actual_submit as the responsible unit's reporter would
file them (with its rules and audit), dated back to the day the month's report was filed; targets
and last year's figures through target_set and same_period_set. Records without a service of
their own are created and audited here. Nothing dated after `today` is loaded, so the data is as
it stood on that day.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.indicators.models import (
    Actual,
    Agreement,
    EnterpriseFigure,
    Indicator,
    InvestmentTrip,
    KeyEnterprise,
    KeyProject,
)
from shigan.indicators.services import actual_submit, same_period_set, target_set
from shigan.orgs.models import Person, Unit
from shigan.tasks.models import Task

from .base import AUDIT_NOTE, report_time
from .data import indicators as data
from .data.org import ACCOUNTS


@dataclass(frozen=True)
class IndicatorsDemoSummary:
    indicators: int
    actuals: int
    enterprises: int
    projects: int
    trips: int
    agreements: int


def _create(model: type[models.Model], by, **fields) -> models.Model:
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    audit_record(actor=by, obj=obj, action=AuditAction.CREATE, note=AUDIT_NOTE)
    return obj


def _reporters(people: dict[str, Person]) -> dict[str, object]:
    """Demo account name -> its user (None when the account was not created)."""
    return {username: people[key].user for username, key in ACCOUNTS.items() if key in people}


def submit_actuals(indicator: Indicator, item: data.IndicatorData, by, today) -> int:
    filed = 0
    for month, value in sorted(item.values.items()):
        when = report_time(month)
        if when.date() > today:
            continue
        actual = actual_submit(
            indicator=indicator,
            year=data.YEAR,
            month=month,
            value=Decimal(value),
            is_estimate=month in item.estimates,
            note=data.NOTES.get((item.name, month), ""),
            by=by,
            unit=indicator.responsible_unit,
        )
        # submitted_at is auto_now_add; the demo backdates it to the month it was filed.
        Actual.objects.filter(pk=actual.pk).update(submitted_at=when)
        filed += 1
    return filed


def load_indicator_register(
    *, units: dict[str, Unit], people: dict[str, Person], by, today: datetime.date
) -> tuple[int, int]:
    """The seed's indicators with target, last year's figures and monthly actuals; returns
    (indicators, actuals) created."""
    reporters = _reporters(people)
    actuals = 0
    for order, item in enumerate(data.INDICATORS, start=1):
        indicator = _create(
            Indicator,
            by,
            name=item.name,
            measure_unit=item.measure_unit,
            category=item.category,
            accumulation=item.accumulation,
            responsible_unit=units[item.unit],
            source=item.source,
            sort_order=order,
        )
        target = None if item.target is None else Decimal(item.target)
        target_set(indicator=indicator, year=data.YEAR, annual_target=target, by=by)
        for month, value in item.last_year.items():
            same_period_set(
                indicator=indicator, year=data.YEAR, month=month, value=Decimal(value), by=by
            )
        actuals += submit_actuals(indicator, item, reporters.get(item.reporter) or by, today)
    return len(data.INDICATORS), actuals


def load_enterprises(
    *, units: dict[str, Unit], by, today: datetime.date
) -> dict[str, KeyEnterprise]:
    enterprises = {}
    for order, item in enumerate(data.ENTERPRISES, start=1):
        enterprise = _create(
            KeyEnterprise,
            by,
            name=item.name,
            industry=item.industry,
            unit=units[item.unit],
            notes=item.notes,
            sort_order=order,
        )
        for month, share in enumerate(data.ENTERPRISE_PACE, start=1):
            if report_time(month).date() > today:
                continue
            _create(
                EnterpriseFigure,
                by,
                enterprise=enterprise,
                year=data.YEAR,
                month=month,
                output_value=round(Decimal(item.output_july) * Decimal(str(share))),
                tax=round(Decimal(item.tax_july) * Decimal(str(share))),
            )
        enterprises[item.name] = enterprise
    return enterprises


def _by(day: datetime.date | None, today: datetime.date) -> datetime.date | None:
    return day if day is not None and day <= today else None


def load_projects(
    *,
    campaign: Campaign,
    units: dict[str, Unit],
    enterprises: dict[str, KeyEnterprise],
    by,
    today: datetime.date,
) -> int:
    tasks = {task.title: task for task in Task.objects.filter(campaign=campaign)}
    for order, item in enumerate(data.PROJECTS, start=1):
        _create(
            KeyProject,
            by,
            year=data.YEAR,
            name=item.name,
            enterprise=enterprises.get(item.enterprise) if item.enterprise else None,
            responsible_unit=units[item.unit],
            contracted_investment=Decimal(item.contracted),
            planned_investment_this_year=Decimal(item.planned),
            completed_investment_this_year=Decimal(item.completed),
            funds_in_place=Decimal(item.funds),
            planned_start=item.planned_start,
            actual_start=_by(item.actual_start, today),
            planned_completion=item.planned_completion,
            actual_completion=_by(item.actual_completion, today),
            task=tasks.get(item.task) if item.task else None,
            sort_order=order,
        )
    return len(data.PROJECTS)


def load_investment(
    *, campaign: Campaign, people: dict[str, Person], by, today: datetime.date
) -> tuple[int, int]:
    """Trips and agreements up to `today`; returns how many of each were created."""
    trips = [
        _create(
            InvestmentTrip,
            by,
            campaign=campaign,
            date=item.date,
            destination=item.destination,
            leader=people.get(item.leader),
            contacts=item.contacts,
        )
        for item in data.TRIPS
        if item.date <= today
    ]
    signed = [item for item in data.AGREEMENTS if item.signed_on <= today]
    for item in signed:
        landed = _by(item.landed_on, today) is not None
        _create(
            Agreement,
            by,
            campaign=campaign,
            investor=item.investor,
            project_name=item.project,
            contract_amount=Decimal(item.amount),
            signed_on=item.signed_on,
            landed=landed,
            funds_in_place=Decimal(item.funds if landed else 0),
            trip=trips[item.trip] if item.trip < len(trips) else None,
        )
    return len(trips), len(signed)


@transaction.atomic
def load_indicators_demo(
    *,
    campaign: Campaign,
    units: dict[str, Unit],
    people: dict[str, Person],
    by=None,
    today: datetime.date,
) -> IndicatorsDemoSummary:
    """The demo's indicators, enterprises, key projects and investment attraction as of `today`.
    `by` (the task force's coordinator) sets targets and records; each indicator's figures are
    filed by its unit's reporter account, or by `by` when that account does not exist."""
    indicators, actuals = load_indicator_register(units=units, people=people, by=by, today=today)
    enterprises = load_enterprises(units=units, by=by, today=today)
    projects = load_projects(
        campaign=campaign, units=units, enterprises=enterprises, by=by, today=today
    )
    trips, agreements = load_investment(campaign=campaign, people=people, by=by, today=today)
    return IndicatorsDemoSummary(
        indicators=indicators,
        actuals=actuals,
        enterprises=len(enterprises),
        projects=projects,
        trips=trips,
        agreements=agreements,
    )
