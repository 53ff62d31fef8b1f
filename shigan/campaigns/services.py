"""Setting a campaign up on its pages: the campaign itself, its plan sections (实施方案) and its
phases. Each service checks its whole input first and raises one ValidationError keyed by field
before writing anything, and writes the audit trail.

A part of the campaign that is deleted (a plan section, a phase, a task category) leaves two
entries: its own DELETE entry, and one on the campaign (campaign_part_removed) naming what was
removed, so the campaign's page keeps showing it in its history after the record is gone.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from shigan.core.audit import audit_entry, audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import LeadingGroup, Unit

from .models import Campaign, Phase, PlanSection, PlanSectionKind


def raise_errors(errors: dict[str, str | None]) -> None:
    """One ValidationError with every message found, keyed by field; nothing when all are None."""
    found = {field: message for field, message in errors.items() if message}
    if found:
        raise ValidationError(found)


def _text(value: str, what: str) -> str | None:
    return None if value.strip() else f"请填写{what}。"


def date_order_error(start: datetime.date | None, end: datetime.date | None) -> str | None:
    if start and end and end < start:
        return f"结束日期{end}早于开始日期{start}。"
    return None


def _campaign_errors(fields: dict, campaign: Campaign | None) -> dict[str, str | None]:
    year, start, end = fields["year"], fields["start_date"], fields["end_date"]
    year_error = None
    if start and end and not start.year <= year <= end.year:
        year_error = f"年度{year}不在活动起止日期（{start}至{end}）的年份之内。"
    errors = {
        "name": _text(fields["name"], "活动名称"),
        "year": year_error,
        "end_date": date_order_error(start, end),
    }
    if campaign is not None and start and end and not errors["end_date"]:
        outside = [p for p in campaign.phases.all() if p.start_date < start or p.end_date > end]
        if outside:
            names = "、".join(f"“{p.name}”（{p.start_date}至{p.end_date}）" for p in outside)
            errors["start_date"] = f"活动阶段{names}将超出新的起止日期，请先修改这些阶段。"
    same = Campaign.objects.filter(
        year=year,
        name=fields["name"].strip(),
        organiser__district_id=fields["organiser"].district_id,
    )
    if campaign is not None:
        same = same.exclude(pk=campaign.pk)
    if fields["name"].strip() and same.exists():
        errors["name"] = f"本区（县）已有{year}年的“{fields['name'].strip()}”。"
    return errors


def _campaign_fields(
    year: int,
    name: str,
    slogan: str,
    organiser: Unit,
    leading_group: LeadingGroup | None,
    start_date: datetime.date,
    end_date: datetime.date,
) -> dict:
    return dict(
        year=year,
        name=name,
        slogan=slogan,
        organiser=organiser,
        leading_group=leading_group,
        start_date=start_date,
        end_date=end_date,
    )


@transaction.atomic
def campaign_create(
    *,
    by,
    year: int,
    name: str,
    organiser: Unit,
    start_date: datetime.date,
    end_date: datetime.date,
    slogan: str = "",
    leading_group: LeadingGroup | None = None,
) -> Campaign:
    """Create a campaign. Refused, with nothing saved: no name, an end before the start, a year
    outside the years of its dates, a campaign of the same year and name in the district."""
    fields = _campaign_fields(year, name, slogan, organiser, leading_group, start_date, end_date)
    raise_errors(_campaign_errors(fields, None))
    campaign = Campaign(**fields)
    campaign.name, campaign.slogan = name.strip(), slogan.strip()
    campaign.save()
    audit_record(actor=by, obj=campaign, action=AuditAction.CREATE)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    by,
    year: int,
    name: str,
    organiser: Unit,
    start_date: datetime.date,
    end_date: datetime.date,
    slogan: str = "",
    leading_group: LeadingGroup | None = None,
) -> Campaign:
    """Change a campaign under campaign_create's rules; its phases must stay within its new
    dates. The before/after values are audited."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    fields = _campaign_fields(year, name, slogan, organiser, leading_group, start_date, end_date)
    raise_errors(_campaign_errors(fields, campaign))
    before = snapshot(campaign)
    for field, value in fields.items():
        setattr(campaign, field, value)
    campaign.name, campaign.slogan = name.strip(), slogan.strip()
    campaign.save()
    audit_record(actor=by, obj=campaign, action=AuditAction.UPDATE, before=before)
    return campaign


def campaign_part_removed(*, campaign: Campaign, by, part: Model, what: str, shown: str) -> None:
    """Audit the deletion of `part` (a plan section, phase or task category of `campaign`): its
    own DELETE entry, and an UPDATE entry on the campaign whose change is {what: [shown, None]}."""
    audit_record(actor=by, obj=part, action=AuditAction.DELETE, note=f"活动：{campaign}")
    entry = audit_entry(
        actor=by, obj=campaign, action=AuditAction.UPDATE, note=f"删除{what}“{shown}”"
    )
    entry.changes = {what: [shown, None]}
    entry.save()


# --- plan sections (实施方案) ------------------------------------------------------------------


@transaction.atomic
def plan_section_create(*, campaign: Campaign, by, kind: str, body: str) -> PlanSection:
    """Add a section of the plan. Refused: an unknown kind, a kind the plan already has, no
    text."""
    kind_error = None if kind in PlanSectionKind.values else "请选择章节。"
    if kind_error is None and campaign.plan_sections.filter(kind=kind).exists():
        kind_error = f"实施方案已有“{PlanSectionKind(kind).label}”一节，请修改该节。"
    raise_errors({"kind": kind_error, "body": _text(body, "内容")})
    section = PlanSection.objects.create(campaign=campaign, kind=kind, body=body.strip())
    audit_record(actor=by, obj=section, action=AuditAction.CREATE)
    return section


@transaction.atomic
def plan_section_update(*, section: PlanSection, by, body: str) -> PlanSection:
    """Change a section's text (its kind stays). Refused: no text."""
    section = PlanSection.objects.select_for_update().get(pk=section.pk)
    raise_errors({"body": _text(body, "内容")})
    before = snapshot(section)
    section.body = body.strip()
    section.save()
    audit_record(actor=by, obj=section, action=AuditAction.UPDATE, before=before)
    return section


@transaction.atomic
def plan_section_delete(*, section: PlanSection, by) -> None:
    """Delete a section of the plan (audited on the section and on the campaign)."""
    section = PlanSection.objects.select_related("campaign").get(pk=section.pk)
    shown = section.get_kind_display()
    campaign_part_removed(
        campaign=section.campaign, by=by, part=section, what="实施方案章节", shown=shown
    )
    section.delete()


# --- phases ----------------------------------------------------------------------------------


def _phase_errors(
    campaign: Campaign,
    name: str,
    start: datetime.date | None,
    end: datetime.date | None,
    phase: Phase | None,
) -> dict[str, str | None]:
    errors = {"name": _text(name, "阶段名称"), "end_date": date_order_error(start, end)}
    others = [p for p in campaign.phases.all() if phase is None or p.pk != phase.pk]
    if name.strip() and any(p.name == name.strip() for p in others):
        errors["name"] = f"本活动已有“{name.strip()}”阶段。"
    if start and end and not errors["end_date"]:
        if start < campaign.start_date or end > campaign.end_date:
            errors["start_date"] = (
                f"阶段起止日期（{start}至{end}）不在活动起止日期"
                f"（{campaign.start_date}至{campaign.end_date}）之内。"
            )
        else:
            overlap = [p for p in others if p.start_date <= end and start <= p.end_date]
            if overlap:
                p = overlap[0]
                errors["start_date"] = (
                    f"阶段起止日期（{start}至{end}）与“{p.name}”"
                    f"（{p.start_date}至{p.end_date}）重叠，各阶段的日期不能交叉。"
                )
    return errors


def _rank(campaign: Campaign, start: datetime.date, phase: Phase | None) -> int:
    """A phase's place among the campaign's phases: they do not overlap, so by start date."""
    earlier = campaign.phases.filter(start_date__lt=start)
    return (earlier.exclude(pk=phase.pk) if phase else earlier).count()


@transaction.atomic
def phase_create(
    *, campaign: Campaign, by, name: str, start_date: datetime.date, end_date: datetime.date
) -> Phase:
    """Add a phase. Refused: no name or a name the campaign's phases already have, an end before
    the start, dates outside the campaign's or overlapping another phase's."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    raise_errors(_phase_errors(campaign, name, start_date, end_date, None))
    phase = Phase.objects.create(
        campaign=campaign,
        name=name.strip(),
        start_date=start_date,
        end_date=end_date,
        sort_order=_rank(campaign, start_date, None),
    )
    audit_record(actor=by, obj=phase, action=AuditAction.CREATE)
    return phase


@transaction.atomic
def phase_update(
    *, phase: Phase, by, name: str, start_date: datetime.date, end_date: datetime.date
) -> Phase:
    """Change a phase under phase_create's rules; the before/after values are audited."""
    campaign = Campaign.objects.select_for_update().get(pk=phase.campaign_id)
    phase = Phase.objects.get(pk=phase.pk)
    raise_errors(_phase_errors(campaign, name, start_date, end_date, phase))
    before = snapshot(phase)
    phase.name, phase.start_date, phase.end_date = name.strip(), start_date, end_date
    phase.sort_order = _rank(campaign, start_date, phase)
    phase.save()
    audit_record(actor=by, obj=phase, action=AuditAction.UPDATE, before=before)
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, by) -> None:
    """Delete a phase (audited on the phase and on the campaign)."""
    phase = Phase.objects.select_related("campaign").get(pk=phase.pk)
    shown = f"{phase.name}（{phase.start_date}至{phase.end_date}）"
    campaign_part_removed(campaign=phase.campaign, by=by, part=phase, what="活动阶段", shown=shown)
    phase.delete()
