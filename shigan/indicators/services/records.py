"""Records set up on the indicator pages: indicator definitions with their annual targets and
last year's figures, key enterprises, key projects, investment trips and agreements (and an
agreement's landing). Each write is audited and all-or-nothing; a name already used in the
district is a ValidationError on `name`, never an IntegrityError."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import district_of_unit

from ..models import (
    Actual,
    Aggregation,
    Agreement,
    Indicator,
    IndicatorYear,
    InvestmentTrip,
    KeyEnterprise,
    KeyProject,
)
from ..queries import ZERO
from ..rollup import LINK_FIELDS, PERCENT, link_errors
from .actuals import same_period_set, target_set

DUPLICATE_INDICATOR = "本区已有同名指标"
DUPLICATE_ENTERPRISE = "本区已有同名企业"


def _save(record: models.Model, fields: dict[str, Any], *, by, duplicate: str = "", note=""):
    """Create `record` (unsaved) or update it with `fields`, audited; model.clean() applies.
    An update that changes nothing writes nothing. Returns the record."""
    creating = record.pk is None
    before = None if creating else snapshot(record)
    for name, value in fields.items():
        setattr(record, name, value)
    record.clean()
    if not creating and snapshot(record) == before:
        return record
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # Two people saving the same name at once: the constraint decides, the form says why.
        if duplicate:
            raise ValidationError({"name": duplicate}) from None
        raise
    action = AuditAction.CREATE if creating else AuditAction.UPDATE
    audit_record(actor=by, obj=record, action=action, before=before, note=note)
    return record


def _name_taken(model, record, name: str, district_id: int | None) -> bool:
    if district_id is None:
        return False
    same = model.objects.filter(district_id=district_id, name=name).exclude(pk=record.pk)
    return same.exists()


@transaction.atomic
def indicator_save(*, indicator: Indicator | None, by, **fields) -> Indicator:
    """Create an indicator (`indicator` None) or change its definition: name, measure_unit,
    category, accumulation, direction, responsible_unit, source, sort_order, and optionally its
    roll-up links (upper, aggregation, rate_numerator, rate_denominator: indicators.rollup's
    link_errors apply; a link not given keeps what it has). The district is the responsible
    unit's; a name already used there is refused (DUPLICATE_INDICATOR)."""
    record = indicator or Indicator()
    district_id = district_of_unit(fields["responsible_unit"].pk)
    if _name_taken(Indicator, record, fields["name"], district_id):
        raise ValidationError({"name": DUPLICATE_INDICATOR})
    _check_links(record, district_id, fields)
    return _save(record, fields, by=by, duplicate=DUPLICATE_INDICATOR)


def _check_links(record: Indicator, district_id: int | None, fields: dict) -> None:
    """Fill in the links not given (a new % indicator is not summed) and check them; a rate's
    numerator and denominator are kept only on a rate."""
    if "aggregation" not in fields and record.pk is None and fields["measure_unit"] == PERCENT:
        fields["aggregation"] = Aggregation.NONE
    values = {name: fields.get(name, getattr(record, name)) for name in LINK_FIELDS}
    values["measure_unit"] = fields["measure_unit"]
    if errors := link_errors(record, district_id, values):
        raise ValidationError(errors)
    if values["aggregation"] != Aggregation.RATE:
        fields.update(rate_numerator=None, rate_denominator=None)


def figures_judged(indicator: Indicator, year: int) -> int:
    """How many monthly figures of `year` the indicator has (entries, corrections included)."""
    return Actual.objects.filter(indicator=indicator, year=year).count()


@transaction.atomic
def indicator_year_set(
    *,
    indicator: Indicator,
    year: int,
    annual_target: Decimal | None,
    same_period: dict[int, Decimal | None],
    by,
    reason: str = "",
) -> IndicatorYear:
    """Set the annual target of `year` and last year's figures by month (a month given as None
    keeps what it has). Changing a target that figures of the year were already judged against
    needs a reason, kept in the history; a new or unchanged target does not."""
    reason = reason.strip()
    current = IndicatorYear.objects.filter(indicator=indicator, year=year).first()
    changes = current is not None and current.annual_target != annual_target
    if changes and not reason and figures_judged(indicator, year):
        raise ValidationError(
            {"reason": f"{year}年已有完成值按原目标计算完成进度，修改年度目标须填写原因"}
        )
    note = f"修改原因：{reason}" if reason else ""
    row = target_set(indicator=indicator, year=year, annual_target=annual_target, by=by, note=note)
    for month, value in sorted(same_period.items()):
        if value is not None:
            same_period_set(indicator=indicator, year=year, month=month, value=value, by=by)
    return row


@transaction.atomic
def enterprise_save(
    *, enterprise: KeyEnterprise | None, district_id: int | None, by, **fields
) -> KeyEnterprise:
    """Create or change a key enterprise (name, industry, unit, notes, sort_order). Its district
    is its contact unit's, else `district_id` (the user's); a name already used there is
    refused (DUPLICATE_ENTERPRISE)."""
    record = enterprise or KeyEnterprise()
    unit = fields.get("unit")
    district = district_of_unit(unit.pk) if unit else (record.district_id or district_id)
    if _name_taken(KeyEnterprise, record, fields["name"], district):
        raise ValidationError({"name": DUPLICATE_ENTERPRISE})
    if unit is None:
        fields["district_id"] = district
    return _save(record, fields, by=by, duplicate=DUPLICATE_ENTERPRISE)


@transaction.atomic
def key_project_save(*, project: KeyProject | None, by, **fields) -> KeyProject:
    """Create or change a key project's plan: year, name, enterprise, responsible_unit,
    contracted and planned investment, planned start and completion, task (its nodes),
    sort_order. The figures (investment completed, funds in place, actual dates) come from its
    unit's monthly report (services.projects). KeyProject.clean's date rules apply."""
    return _save(project or KeyProject(completed_investment_this_year=ZERO), fields, by=by)


def _cn_day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _not_after_today(field: str, label: str, day: datetime.date | None) -> None:
    """A trip that has not left or an agreement not yet signed is not a record of what was
    done (and an agreement signed "tomorrow" could never be marked landed)."""
    today = clock.today()
    if day is not None and day > today:
        raise ValidationError({field: f"{label}不能晚于今天（{_cn_day(today)}）"})


@transaction.atomic
def trip_save(*, trip: InvestmentTrip | None, by, **fields) -> InvestmentTrip:
    """Create or change an investment trip (campaign, date, destination, leader, contacts).
    The departure date is not after today (clock.today)."""
    _not_after_today("date", "出发日期", fields.get("date"))
    return _save(trip or InvestmentTrip(), fields, by=by)


@transaction.atomic
def agreement_save(*, agreement: Agreement | None, by, **fields) -> Agreement:
    """Create or change an agreement (campaign, investor, project_name, contract_amount,
    signed_on, funds_in_place, trip); landing is agreement_land. The signing date is not after
    today (clock.today), nor, once landed, after the landing date."""
    signed_on = fields.get("signed_on")
    _not_after_today("signed_on", "签约日期", signed_on)
    landed_on = agreement.landed_on if agreement is not None else None
    if signed_on is not None and landed_on is not None and signed_on > landed_on:
        raise ValidationError({"signed_on": f"签约日期不能晚于落地日期（{_cn_day(landed_on)}）"})
    return _save(agreement or Agreement(), fields, by=by)


@transaction.atomic
def agreement_land(*, agreement: Agreement, on: datetime.date, by) -> Agreement:
    """Mark an agreement landed (实际落地) on `on`: not before it was signed, not in the
    future, not twice. Audited."""
    if agreement.landed:
        raise ValidationError({"landed_on": f"该协议已于{agreement.landed_on or '此前'}标记落地"})
    if on < agreement.signed_on:
        raise ValidationError(
            {"landed_on": f"落地日期{on:%Y-%m-%d}早于签约日期{agreement.signed_on:%Y-%m-%d}"}
        )
    if on > clock.today():
        raise ValidationError({"landed_on": f"落地日期{on:%Y-%m-%d}晚于今天"})
    return _save(agreement, {"landed": True, "landed_on": on}, by=by, note="标记落地")
