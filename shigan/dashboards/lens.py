"""What the cockpit's cards are computed for (Lens), and where their figures link.

An upper level's own cockpit (a county's, a city's: a coordinator or inspector whose scope
holds levels below, on his own level's campaign) is its roll-up: the task, decision and finding
cards count every campaign of the year in the subtree he reads, as 下级对比 (dashboards.levels)
counts its 合计 row — the tasks from tasks.tracked, the one definition both read. Its other
cards count the campaign's own records and say so (本级). On a lower level's campaign the cards
are that campaign's, tagged with the lower level's name. A level without levels below (a
district) sees its campaign as before, its cards tagged as the whole level (全区).
"""

import datetime
import functools
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.orgs.level_words import level_wide
from shigan.orgs.models import Unit
from shigan.orgs.scope import district_id_of, district_scope_ids, has_levels_below
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task
from shigan.tasks.queries import campaign_tasks_on
from shigan.tasks.tracked import tracked_tasks

from .campaign_counts import campaign_counts, campaigns_of
from .queries import MapFilters

OWN_LEVEL = "本级"


def extend(url: str, **params) -> str:
    """`url` with the non-empty `params` as its query string; "" when there is no page."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if url and query else url


@dataclass(frozen=True)
class Lens:
    """What every card is computed for: the user, the campaign, the date, the unit filter.
    `date_param` is the ?as_of= the card links carry ("" for today). `rollup`: an upper level's
    own campaign, whose unit cards count the subtree's campaigns of the year (下级对比's 合计);
    `campaign_level`: the name of the lower level whose campaign an upper level looks at."""

    user: object
    campaign: Campaign
    as_of: datetime.date
    unit: Unit | None = None
    date_param: str = ""
    rollup: bool = False
    campaign_level: str = ""

    @property
    def unit_id(self) -> int | None:
        return self.unit.pk if self.unit else None

    @property
    def wide(self) -> str:
        """The tag of a card counting the user's whole level: 全区, 全县, 全市…"""
        return level_wide(self.user)

    @property
    def own_level_tag(self) -> str:
        """The tag of a card counting the campaign's records only, where the page's 范围 says
        more: 本级 on an upper level's own campaign, the lower level's name on its campaign;
        "" for a level without levels below (its campaign is the whole level)."""
        return OWN_LEVEL if self.rollup else self.campaign_level

    @property
    def campaign_wide(self) -> str:
        """The tag of a card counting the campaign's records (meetings, notices, media reports,
        investment…): the whole level where the level has none below, else own_level_tag."""
        return self.own_level_tag or self.wide

    @property
    def unit_tag(self) -> str:
        """The tag of the task, decision and finding cards: the whole level (全县) on a roll-up
        without a unit filter, the lower level's name on its campaign, else none."""
        if self.rollup:
            return "" if self.unit else self.wide
        return self.campaign_level

    def extend_date(self, url: str) -> str:
        return extend(url, campaign=self.campaign.pk, as_of=self.date_param)

    def link(self, name: str, **params) -> str:
        """The page `name` of this campaign with `params` (empty ones left out)."""
        return extend(reverse(name), campaign=self.campaign.pk, **params)

    def tasks(self) -> QuerySet:
        """The tasks the user may read, those the filtered unit leads when there is a unit
        filter (as the battle map narrows them)."""
        return MapFilters(unit=self.unit_id).apply(tasks_visible_to(self.user, Task.objects.all()))

    def tracked(self) -> QuerySet:
        """The tasks the task and decision cards count, as known on the date: on a roll-up those
        of every campaign of the year (tasks.tracked, as 下级对比 counts them), else the
        campaign's."""
        if self.rollup:
            return tracked_tasks(self.tasks(), self.as_of, year=self.campaign.year)
        return campaign_tasks_on(self.campaign, self.as_of, self.tasks())

    @functools.cached_property
    def kept_counts(self) -> dict[int, dict] | None:
        """On a roll-up for today without a unit filter, what the task and decision cards
        count, from each campaign's counts of the day (dashboards.campaign_counts, as 下级对比
        reads them; two queries when nothing was written since): campaign id → {"tasks":
        status → n, "decisions": status → n} over the tasks of the viewer's scope (every level
        of his subtree: tasks_visible_to's for a coordinator or inspector, whose scope a roll-up
        is). None otherwise: the cards count tracked() themselves."""
        if not self.rollup or self.unit is not None or self.as_of != clock.today():
            return None
        units = district_scope_ids(self.user)
        found = campaign_counts(campaigns_of(self.campaign.year), self.as_of)
        kept: dict[int, dict] = {}
        for pk, groups in found.items():
            tasks, decisions = Counter(), Counter()
            for (level_id, decided), counts in groups.items():
                if units is not None and level_id not in units:
                    continue
                tasks.update(counts)
                if decided:
                    decisions.update(counts)
            if sum(tasks.values()):
                kept[pk] = {"tasks": tasks, "decisions": decisions}
        return kept

    def levels_url(self) -> str:
        """下级对比 on the lens's date: each level's share of a figure spanning several
        campaigns, each linking down to its own list."""
        return extend(reverse("dashboards:levels"), as_of=self.date_param)

    def tasks_url(self, campaigns: set[int], status: str = "") -> str:
        """Where the tasks counted in `campaigns` are listed: the battle map of that campaign
        (the lens's when none), narrowed by the unit filter and `status`; 下级对比 when they
        span several campaigns."""
        if len(campaigns) > 1:
            return self.levels_url()
        campaign = next(iter(campaigns), self.campaign.pk)
        return extend(
            reverse("dashboards:battle_map"), campaign=campaign, unit=self.unit_id,
            as_of=self.date_param, status=status,
        )  # fmt: skip

    def decisions_url(self, campaigns: set[int]) -> str:
        """The decision table of the one campaign the decisions are in, else 下级对比."""
        if len(campaigns) > 1:
            return self.levels_url()
        campaign = next(iter(campaigns), self.campaign.pk)
        return extend(reverse("meetings:decision_table"), campaign=campaign)

    def findings_url(self, campaigns: set[int], status: str = "") -> str:
        """The finding list of the one campaign the findings are in; across campaigns, the
        findings of the user's level's subtree (?level=)."""
        params = {"unit": self.unit_id, "status": status}
        if len(campaigns) > 1:
            return extend(reverse("supervision:finding_list"), level=district_id_of(self.user),
                          **params)  # fmt: skip
        campaign = next(iter(campaigns), self.campaign.pk)
        return extend(reverse("supervision:finding_list"), campaign=campaign, **params)


def lens_for(user, campaign: Campaign, as_of: datetime.date, unit=None, date_param="") -> Lens:
    """The lens of `user`'s cockpit on `campaign`: a roll-up when his scope holds levels below
    his own and the campaign is his level's; the lower level named when it is theirs. No query
    (the campaign comes with its organiser's district, the user's levels are remembered)."""
    lens = Lens(user, campaign, as_of, unit, date_param)
    if not has_levels_below(user):
        return lens
    level = campaign.organiser.district or campaign.organiser
    if level.pk == district_id_of(user):
        return Lens(user, campaign, as_of, unit, date_param, rollup=True)
    return Lens(user, campaign, as_of, unit, date_param, campaign_level=level.label)
