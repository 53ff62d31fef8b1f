"""Writes of the report's narrative: append-only versions, each with an audit entry."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record, snapshot
from shigan.core.clock import month_start
from shigan.core.models import AuditAction
from shigan.indicators.models import Indicator

from .compose import known_placeholder
from .compose.template import unknown_placeholders
from .models import REPEATED_SLOTS, IndicatorPhrasing, NarrativeSlot, NarrativeText
from .queries import narrative_current


@dataclass(frozen=True)
class NarrativeEntry:
    """What a coordinator wrote for one slot (order: plan item number or task id)."""

    slot: str
    title: str = ""
    body: str = ""
    order: int = 0


def indicator_names(campaign: Campaign) -> set[str]:
    district = Indicator.objects.filter(district_id=campaign.organiser.district_id)
    names = set(district.values_list("name", flat=True))
    labels = IndicatorPhrasing.objects.filter(campaign=campaign).exclude(label="")
    return names | set(labels.values_list("label", flat=True))


def narrative_problems(entry: NarrativeEntry, names: set[str]) -> list[str]:
    """Placeholders the builder would not understand, as messages."""
    unknown = unknown_placeholders(entry.body, lambda key: known_placeholder(key, names))
    return [f"无法识别的占位符【{key}】" for key in unknown]


def _check(entry: NarrativeEntry, names: set[str]) -> None:
    if entry.slot not in NarrativeSlot.values:
        raise ValidationError(f"未知的位置：{entry.slot}")
    if entry.slot not in REPEATED_SLOTS and entry.order:
        raise ValidationError(f"{NarrativeSlot(entry.slot).label}不分序号。")
    problems = narrative_problems(entry, names)
    if problems:
        raise ValidationError(problems)


def _write(campaign, period, entry, current, by, note) -> NarrativeText:
    version = NarrativeText.objects.create(
        campaign=campaign,
        period=period,
        slot=entry.slot,
        order=entry.order,
        title=entry.title.strip(),
        body=entry.body.strip(),
        note=note,
        replaces=current,
        written_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by,
        obj=version,
        action=AuditAction.UPDATE if current else AuditAction.CREATE,
        before=snapshot(current) if current else None,
        note=note,
    )
    return version


@transaction.atomic
def narrative_save(
    *,
    campaign: Campaign,
    period: datetime.date,
    entries: list[NarrativeEntry],
    by,
    note: str = "",
) -> list[NarrativeText]:
    """Save what changed among `entries` for `period` (any day of the month) as new versions.

    Guarantees: an entry equal to the version current for the period writes nothing; a blank
    entry for a single slot is saved (it leaves the slot, default included, out of the report);
    every
    new version points at the one it replaces and has an audit entry with the before/after
    text; earlier versions are never changed. Unknown placeholders raise ValidationError and
    nothing is saved.
    """
    period = month_start(period)
    names = indicator_names(campaign)
    for entry in entries:
        _check(entry, names)
    current = narrative_current(campaign, period)
    return [
        _write(campaign, period, entry, current.get((entry.slot, entry.order)), by, note)
        for entry in entries
        if _changes(entry, current.get((entry.slot, entry.order)), period)
    ]


def _changes(entry: NarrativeEntry, previous: NarrativeText | None, period) -> bool:
    """Whether saving `entry` changes what applies: not when it repeats the current version, nor
    for an unused blank plan-item row. A next-step draft part (PLAN_DRAFT) applies to its own
    month only: an earlier month's version does not apply, and a blank one leaves it out."""
    title, body = entry.title.strip(), entry.body.strip()
    draft = entry.slot == NarrativeSlot.PLAN_DRAFT
    if previous is not None and not (draft and previous.period != period):
        return (previous.title, previous.body) != (title, body)
    return bool(title or body) or draft or entry.slot not in REPEATED_SLOTS
