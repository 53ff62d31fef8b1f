"""Reads of the report's narrative: the versions current for a period, and their history."""

import datetime
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from shigan.campaigns.models import Campaign
from shigan.core.clock import month_start
from shigan.core.models import AuditEntry

from .models import REPEATED_SLOTS, NarrativeSlot, NarrativeText

NarrativeKey = tuple[str, int]


def narrative_current(
    campaign: Campaign, period: datetime.date
) -> dict[NarrativeKey, NarrativeText]:
    """Per (slot, order), the version that applies to `period`: the latest written for that
    month or an earlier one (one query). Blank versions are included: they mean "left out"."""
    versions = NarrativeText.objects.filter(campaign=campaign, period__lte=month_start(period))
    current: dict[NarrativeKey, NarrativeText] = {}
    for version in versions.order_by("slot", "order", "-period", "-id"):
        current.setdefault((version.slot, version.order), version)
    return current


def narrative_version(campaign: Campaign) -> int:
    """The edit version of a campaign's report words: the id of its newest narrative version
    (0 when none; one query). A save carrying an older one is refused
    (services.narrative_save's `version`)."""
    newest = NarrativeText.objects.filter(campaign=campaign).aggregate(v=Max("id"))["v"]
    return newest or 0


def plan_items_current(current: dict[NarrativeKey, NarrativeText]) -> list[NarrativeText]:
    items = [v for (slot, _), v in current.items() if slot == NarrativeSlot.PLAN_ITEM]
    return sorted((v for v in items if not v.is_blank), key=lambda v: v.order)


def task_texts_current(current: dict[NarrativeKey, NarrativeText]) -> dict[int, NarrativeText]:
    return {order: v for (slot, order), v in current.items() if slot == NarrativeSlot.TASK}


@dataclass
class HistoryRow:
    """One saved version with what it changed (the audit entry written with it)."""

    version: NarrativeText
    entry: AuditEntry | None

    @property
    def label(self) -> str:
        slot = NarrativeSlot(self.version.slot)
        if slot in REPEATED_SLOTS:
            return f"{slot.label} {self.version.order}"
        return slot.label


def narrative_history(campaign: Campaign, *, limit: int = 200) -> list[HistoryRow]:
    """The campaign's narrative versions, newest first, each with its audit entry (two
    queries)."""
    versions: QuerySet = (
        NarrativeText.objects.filter(campaign=campaign)
        .select_related("written_by__person")
        .order_by("-written_at", "-id")[:limit]
    )
    listed = list(versions)
    entries = AuditEntry.objects.filter(
        record_type=NarrativeText._meta.label_lower, record_id__in=[v.pk for v in listed]
    )
    by_record = {e.record_id: e for e in entries}
    return [HistoryRow(v, by_record.get(v.pk)) for v in listed]
