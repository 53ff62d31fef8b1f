"""The cockpit (工作总览): one page of cards over every app, as a user may see it on a date.

Every figure is computed once, in its app's query module, for the cockpit, the app's own pages
and the summary report alike — task_tally, indicator_summary, decision_tally, meetings_held,
series_cadence_in, study_tally, supervision_cards (finding_tally, inspection_tally,
notice_tally), publicity_cards (media_report_counts), investment_tallies — and only adapted here
to one card shape. The cockpit passes the scope: what the user may read (the apps' access
modules), narrowed by the unit filter for the cards that belong to units (tasks, indicators,
decisions, findings). The other cards are district-wide or follow the user's scope only, and
say so. An upper level's own cockpit is its roll-up (dashboards.lens): its task, decision and
finding cards count its subtree's campaigns of the year as 下级对比's 合计 does, the cards of
its campaign's own records say 本级. A fixed number of queries whatever the amount of data.

The cards are made in this package's modules by kind (figures: tasks and indicators;
meetings; apps: supervision, 马上就办, publicity, investment; actions: escalations and
hand-downs; late: 逾期未报 on an upper level's roll-up), shaped as cards.CockpitCard; here
they are put in order with the status band.
"""

import datetime
from dataclasses import dataclass, field

from shigan.campaigns.models import Campaign
from shigan.indicators.calc import IndicatorStatus
from shigan.orgs.level_words import level_wide
from shigan.orgs.models import Role, Unit
from shigan.orgs.scope import (
    district_id_of,
    person_of,
    reads_everything,
    role_of,
    visible_unit_ids,
)
from shigan.tasks.status import TaskStatus

from ..lens import Lens
from .actions import escalations_card, handdowns_card
from .apps import investment_card, publicity_cards_for, service_cards_for, supervision_cards_for
from .cards import SHORT_LIST, BandCount, CockpitCard
from .figures import indicators_card, tasks_card
from .late import late_reports_card
from .meetings import meeting_cards

# Cards in reading order: what is behind first, district-wide tallies last.
CARD_ORDER = [
    "tasks",
    "late_reports",
    "indicators",
    "decisions",
    "findings",
    "service",
    "meetings",
    "inspections",
    "spot_checks",
    "notices",
    "media_reports",
    "investment",
    "study",
]


@dataclass
class Cockpit:
    campaign: Campaign
    as_of: datetime.date
    unit: Unit | None
    scope: str
    cards: list[CockpitCard]
    band: list[BandCount] = field(default_factory=list)

    @property
    def headline(self) -> CockpitCard | None:
        """The headline figures (the indicators card), shown above the other cards."""
        return next((c for c in self.cards if c.key == "indicators"), None)

    @property
    def grid(self) -> list[CockpitCard]:
        return [c for c in self.cards if c.key != "indicators"]


def cockpit_units(user) -> list[Unit]:
    """Units the unit filter offers: every unit to coordinators and inspectors, his overseen
    units to a leader, his own unit to a reporter (one query)."""
    unit_ids = visible_unit_ids(user)
    units = Unit.objects.select_related("district")
    return list(units if unit_ids is None else units.filter(id__in=unit_ids))


def unit_groups(user, units: list[Unit]) -> list[tuple[str, list[Unit]]] | None:
    """The unit filter's choices grouped by level where they span several (a county's own
    units, then each district's, named by its level: 示范区, 高新区), the user's own level
    first; None when they are of one level (a district's list stays flat). No query."""
    levels: dict[int | None, list[Unit]] = {}
    for unit in units:
        levels.setdefault(unit.district_id, []).append(unit)
    if len(levels) < 2:
        return None
    own = district_id_of(user)
    ordered = sorted(levels.items(), key=lambda item: item[0] != own)
    return [((group[0].district or group[0]).label, group) for _, group in ordered]


def scope_text(user, units: list[Unit], unit: Unit | None) -> str:
    if unit is not None:
        return unit.name
    role = role_of(user)
    if reads_everything(user):
        return level_wide(user)
    if role == Role.LEADER:
        names = "、".join(u.label for u in units[:SHORT_LIST]) or "无"
        return f"分管单位（{names}{'等' if len(units) > SHORT_LIST else ''}）"
    person = person_of(user)
    return f"本单位（{person.unit.name}）" if person else "—"


def card_rank(card: CockpitCard) -> int:
    if card.key == "handdowns":  # the upper level's work waiting for an answer: first
        return -2
    if card.key == "escalations":  # what a leader must act on: first, unless there is none
        return -1 if not card.empty else len(CARD_ORDER) + 1
    return CARD_ORDER.index(card.key) if card.key in CARD_ORDER else len(CARD_ORDER)


def cockpit_build(
    lens: Lens, *, scope: str, indicator_url: str = "", investment_url: str = ""
) -> Cockpit:
    """Every card of the cockpit for `lens` (a fixed number of queries)."""
    cards = [
        tasks_card(lens),
        *late_reports_card(lens),
        indicators_card(lens, indicator_url),
        *meeting_cards(lens),
        *supervision_cards_for(lens),
        *service_cards_for(lens),
        *publicity_cards_for(lens),
        *investment_card(lens, investment_url),
        *escalations_card(lens),
        *handdowns_card(lens),
    ]
    cards.sort(key=card_rank)
    return Cockpit(lens.campaign, lens.as_of, lens.unit, scope, cards, status_band(cards))


BAND_TASK_STATUSES = [TaskStatus.OVERDUE, TaskStatus.BEHIND, TaskStatus.NEARING]


def status_band(cards: list[CockpitCard]) -> list[BandCount]:
    """The counts a leader must see first, worst first: tasks 逾期 / 滞后 / 临期 (zeros too, so
    the band reads the same every day), items escalated to him (督办), and headline indicators
    明显滞后 / 略低于序时; each links to where they are listed."""
    by_key = {c.key: c for c in cards}
    band = []
    tasks = by_key.get("tasks")
    if tasks is not None:
        for s in BAND_TASK_STATUSES:
            url = tasks.status_urls.get(s, "")
            band.append(BandCount(s.value, s.label, tasks.counts.get(s, 0), s.value, url))
    escalations = by_key.get("escalations")
    if escalations is not None:
        n = escalations.value or 0
        band.append(BandCount("escalations", "督办", n, "overdue" if n else "", "#ck-escalations"))
    indicators = by_key.get("indicators")
    if indicators is not None and indicators.counts:
        for s in (IndicatorStatus.RED, IndicatorStatus.YELLOW):
            band.append(
                BandCount(
                    f"ind-{s.value}",
                    f"指标{s.label}",
                    indicators.counts[s],
                    s.value,
                    "#ck-headline",
                )
            )
    return band
