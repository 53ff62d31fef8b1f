"""The day's figures computed ahead (`shigan warm`, run by cron after midnight): what 下级对比 and
an upper level's cockpit read from the figures' cache (core.figures_cache) for today — the
campaigns' counts of the day (dashboards.campaign_counts: every campaign of the year and of the
reported month's year, one ledger for every viewer) and, for each level and role whose 下级对比
reads kept figures (a coordinator or inspector with levels below), its indicators' statuses
(levels.warm_own_level) — so that the day's first coordinator does not pay for counting every
campaign (1.2 s CPU at province scale, benchmarks/README.md "Levels"). Computed as the page
computes them, through the same functions and keys: run again, it finds them kept (two queries,
then a few per viewer) and recomputes only what was written since. Nothing is written but the
cache; entries past their time (past days') are swept from the figures' folder.

Not warmed: a level drilled into (?level=), a past date, the task list's statuses (kept ten
minutes: tasks.list_cache) — each computed by its first request, as before.
"""

import datetime
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q

from shigan.core import clock
from shigan.core.figures_cache import figures_cache, sweep_expired
from shigan.orgs.models import Person, Role, Unit
from shigan.orgs.scope import has_levels_below

from .campaign_counts import ledger_key
from .levels import kept_figures_on, warm_own_level

ROLE_LABELS = {Role.COORDINATOR: "专班", Role.INSPECTOR: "督查"}


@dataclass(frozen=True)
class Viewer:
    user: object
    level_id: int
    role: str


@dataclass
class Warmed:
    """What one run computed and kept, and how long each part took (seconds)."""

    day: datetime.date
    campaigns: int = 0
    counts_were_kept: bool = False  # a ledger of the day was there before (brought up to date)
    counts_kept: bool = False  # and is there after
    counts_seconds: float = 0.0
    viewers: list[str] = field(default_factory=list)  # "示范市党委政府·专班", …
    viewers_were_kept: int = 0
    viewers_not_kept: list[str] = field(default_factory=list)
    viewers_seconds: float = 0.0
    swept: int = 0
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return self.counts_kept and not self.viewers_not_kept


def upper_viewers() -> list[Viewer]:
    """One active account per (level, role) whose 下级对比 reads the kept figures: coordinators
    and inspectors (a superuser with a person reads as a coordinator, orgs.scope.role_of) whose
    scope holds levels below their own. The kept indicators are keyed on the level and the role,
    so one account stands for all of its kind (the lowest id: the same from run to run)."""
    people = Person.objects.filter(user__is_active=True, unit__district_id__isnull=False)
    people = people.filter(
        Q(role__in=[Role.COORDINATOR, Role.INSPECTOR]) | Q(user__is_superuser=True)
    )
    rows = people.order_by("user_id").values_list(
        "user_id", "unit__district_id", "role", "user__is_superuser"
    )
    chosen: dict[tuple, int] = {}
    for user_id, level_id, role, superuser in rows:
        chosen.setdefault((level_id, Role.COORDINATOR if superuser else role), user_id)
    users = get_user_model().objects.in_bulk(list(chosen.values()))
    viewers = [Viewer(users[pk], level, role) for (level, role), pk in chosen.items()]
    return [viewer for viewer in viewers if has_levels_below(viewer.user)]


def warm_day(today: datetime.date | None = None) -> Warmed:
    """Compute and keep the day's figures (see above)."""
    today = today or clock.today()
    warmed = Warmed(today)
    started = time.perf_counter()
    key = ledger_key(today)
    warmed.counts_were_kept = figures_cache.get(key) is not None
    warmed.campaigns = len(kept_figures_on(today))
    warmed.counts_kept = figures_cache.get(key) is not None
    warmed.counts_seconds = time.perf_counter() - started
    step = time.perf_counter()
    viewers = upper_viewers()
    names = Unit.objects.in_bulk({viewer.level_id for viewer in viewers})
    for viewer in sorted(viewers, key=lambda v: (names[v.level_id].sort_order, v.level_id, v.role)):
        done = warm_own_level(viewer.user, today)
        if done is None:
            continue
        kept_key, before = done
        label = f"{names[viewer.level_id].label}·{ROLE_LABELS[viewer.role]}"
        warmed.viewers.append(label)
        warmed.viewers_were_kept += before
        if figures_cache.get(kept_key) is None:
            warmed.viewers_not_kept.append(label)
    warmed.viewers_seconds = time.perf_counter() - step
    warmed.swept = sweep_expired()
    warmed.seconds = time.perf_counter() - started
    return warmed
