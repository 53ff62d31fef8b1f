"""Writes of the report's narrative: append-only versions, each with an audit entry."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record, snapshot
from shigan.core.clock import month_start
from shigan.core.editing import EditConflict, conflict_message
from shigan.core.models import AuditAction, AuditEntry
from shigan.indicators.models import Indicator

from .compose import known_placeholder
from .compose.template import unknown_placeholders
from .models import REPEATED_SLOTS, IndicatorPhrasing, NarrativeSlot, NarrativeText
from .queries import narrative_current

WHAT = "报告"  # conflict_message then names the parts: 报告文字“开头段…”


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
    version: int | None = None,
) -> list[NarrativeText]:
    """Save what changed among `entries` for `period` (any day of the month) as new versions.

    `version`: the campaign's narrative version (queries.narrative_version) the entries were
    written against — the page's hidden field, the API's `version`. When someone saved the
    campaign's words since, EditConflict names who changed what and when and nothing is
    saved: what the user left untouched is never taken for a change over another's text
    (None: not checked).

    Guarantees: an entry equal to the version current for the period writes nothing; a blank
    entry for a single slot is saved (it leaves the slot, default included, out of the report);
    every
    new version points at the one it replaces and has an audit entry with the before/after
    text; earlier versions are never changed. Unknown placeholders raise ValidationError and
    nothing is saved.
    """
    period = month_start(period)
    # The campaign's row locked: two saves of its words queue, the second sees the first's.
    list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values("pk"))
    narrative_version_check(campaign, version)
    names = indicator_names(campaign)
    for entry in entries:
        _check(entry, names)
    current = narrative_current(campaign, period)
    return [
        _write(campaign, period, entry, current.get((entry.slot, entry.order)), by, note)
        for entry in entries
        if _changes(entry, current.get((entry.slot, entry.order)), period)
    ]


def narrative_version_check(campaign: Campaign, seen: int | None) -> None:
    """EditConflict when narrative versions of `campaign` newer than `seen` exist (who changed
    which slot and when; core.editing.conflict_message). None: not checked."""
    if seen is None:
        return
    newer = NarrativeText.objects.filter(campaign=campaign, id__gt=seen).values("id")
    entries = list(
        AuditEntry.objects.filter(record_type=NarrativeText._meta.label_lower, record_id__in=newer)
        .select_related("actor__person")
        .order_by("id")
    )
    if entries:
        raise EditConflict(conflict_message(WHAT, campaign, entries))


def narrative_slots_since(campaign: Campaign, seen: int) -> set[tuple[str, int]]:
    """The (slot, order) of the narrative versions of `campaign` saved after version `seen`."""
    newer = NarrativeText.objects.filter(campaign=campaign, id__gt=seen)
    return set(newer.values_list("slot", "order"))


def _changes(entry: NarrativeEntry, previous: NarrativeText | None, period) -> bool:
    """Whether saving `entry` changes what applies: not when it repeats the current version, nor
    for an unused blank plan-item row. A next-step draft part (PLAN_DRAFT) applies to its own
    month only: an earlier month's version does not apply, and a blank one leaves it out."""
    title, body = entry.title.strip(), entry.body.strip()
    draft = entry.slot == NarrativeSlot.PLAN_DRAFT
    if previous is not None and not (draft and previous.period != period):
        return (previous.title, previous.body) != (title, body)
    return bool(title or body) or draft or entry.slot not in REPEATED_SLOTS
