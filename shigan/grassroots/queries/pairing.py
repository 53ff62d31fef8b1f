"""Reads for pairings: the last visit under each, and the rule of the flag: a pairing still in
force is flagged (超过90天未走访) when the latest of its start date and its last visit is more
than STALE_DAYS days before today — a visit exactly 90 days ago still counts."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, QuerySet

from ..models import Pairing

STALE_DAYS = 90


def is_stale(pairing: Pairing, last_visit: datetime.date | None, today: datetime.date) -> bool:
    if pairing.ended_on is not None and pairing.ended_on <= today:
        return False
    since = max(filter(None, [pairing.started_on, last_visit]))
    return (today - since).days > STALE_DAYS


@dataclass
class PairingRow:
    pairing: Pairing
    visits: int
    last_visit: datetime.date | None
    stale: bool


def _row(pairing: Pairing, today: datetime.date) -> PairingRow:
    last = pairing.last_visit
    return PairingRow(pairing, pairing.n_visits, last, is_stale(pairing, last, today))


def pairing_rows(pairings: QuerySet, today: datetime.date) -> list[PairingRow]:
    """Pairings with their visit count and last visit (one query whatever their number)."""
    pairings = pairings.select_related("cadre", "cadre__unit", "place_unit").annotate(
        n_visits=Count("visits"), last_visit=Max("visits__date")
    )
    return [_row(p, today) for p in pairings.order_by("cadre__sort_order", "cadre_id", "id")]


def pairing_detail(
    pairings: QuerySet, pk: int, today: datetime.date, *, readable: QuerySet
) -> PairingRow:
    """One pairing's row (`pairings`: the user's visible ones) with the visits under it that
    he opens prefetched (`readable`: access.visits_readable_by's visits) — the count, the last
    visit and the 90-day flag stay the pairing's, of every visit under it."""
    visits = readable.prefetch_related("cadres").order_by("-date", "-id")
    pairing = (
        pairings.select_related("cadre", "cadre__unit", "place_unit")
        .annotate(n_visits=Count("visits"), last_visit=Max("visits__date"))
        .prefetch_related(Prefetch("visits", queryset=visits))
        .get(pk=pk)
    )
    return _row(pairing, today)
