"""The cache of the day's figures (settings.CACHES["figures"]): few, large entries read by many
pages — the campaigns' counts of the day and the values kept with them (dashboards
.campaign_counts: 下级对比, an upper level's cockpit) and each campaign's task statuses (tasks
.list_cache.campaign_statuses) — kept apart from the default cache, whose many small entries (the
task list's rendered rows, the battle map's) fill it: a full FileBasedCache culls a third of its
entries at random, and a culled day's ledger makes the next request count every campaign again
(1.2 s CPU at province scale). Its own folder under the data folder in production, its own local
memory in tests.

Where settings.CACHES has no "figures" alias (a test overriding CACHES with a default only), the
default cache is used.
"""

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.filebased import FileBasedCache

FIGURES = "figures"


def figures_alias() -> str:
    return FIGURES if FIGURES in settings.CACHES else DEFAULT_CACHE_ALIAS


class _FiguresCache:
    """caches[figures_alias()], looked up on each use (as django.core.cache.cache is): a test's
    override of CACHES is seen."""

    def __getattr__(self, name):
        return getattr(caches[figures_alias()], name)


figures_cache = _FiguresCache()


class ProcessMemo:
    """Values kept in this process's memory, in front of a shared cache, under keys that are
    never stale (each names everything its value depends on: a campaign's last change, the day,
    the code's version …): read back without unpickling, and without reading the cache's file.
    At most `size` entries (emptied when full); emptied with the caches (clear_caches). The
    values are shared by every request and thread of the process: never change one."""

    _all: list["ProcessMemo"] = []

    def __init__(self, size: int):
        self.size = size
        self._values: dict = {}
        ProcessMemo._all.append(self)

    def get(self, key, default=None):
        return self._values.get(key, default)

    def set(self, key, value) -> None:
        if len(self._values) >= self.size and key not in self._values:
            self._values.clear()
        self._values[key] = value

    def clear(self) -> None:
        self._values.clear()


def clear_caches() -> None:
    """Empty every configured cache (the default and the figures') and every process memo: what
    a test or a benchmark that means "nothing kept" must do — `cache.clear()` alone leaves the
    day's figures."""
    for alias in settings.CACHES:
        caches[alias].clear()
    for memo in ProcessMemo._all:
        memo.clear()


def sweep_expired() -> int:
    """Delete the figures' entries past their time (those of past days, of an older code's
    keys), how many: a FileBasedCache deletes an expired entry only when it is read again, which
    a past day's key never is, and culls a random third of its entries, today's included, once
    they number MAX_ENTRIES. Nothing to do for another backend (local memory: tests)."""
    backend = caches[figures_alias()]
    if not isinstance(backend, FileBasedCache):
        return 0
    removed = 0
    for path in backend._list_cache_files():
        try:
            with open(path, "rb") as f:
                removed += backend._is_expired(f)  # deletes the file when expired
        except FileNotFoundError:
            pass  # deleted meanwhile by another process
    return removed
