"""The task list's figures kept in the process too (tasks.list_cache.local, local_statuses:
core.figures_cache.ProcessMemo, issue 18): a warm list reads neither cache, and after every kind
of write — a task created, edited or moved to another unit, deleted, a progress report filed, a
milestone done, a closure or an extension requested and approved, a category or unit renamed,
the next day — what the list serves from this process's memory equals the list computed with
nothing kept at all."""

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from shigan.core.figures_cache import clear_caches
from shigan.tasks import list_cache

from .test_task_list_cache_writes import (  # noqa: F401 (lists: a fixture)
    KINDS,
    START,
    NoCache,
    apply,
    lists,
    served_and_fresh,
)


class Refusing:
    """A shared cache that must not be read (nor written): the list is served from memory."""

    def __init__(self):
        self.reads = []

    def get(self, key, default=None):
        self.reads.append(key)
        return default

    def set(self, *args, **kwargs):
        pass


def _empty_shared_caches() -> None:
    """Django's caches emptied, this process's memory left: what it keeps alone serves now."""
    from django.conf import settings

    for alias in settings.CACHES:
        caches[alias].clear()


def test_a_warm_list_reads_no_shared_cache(world, lists, monkeypatch):  # noqa: F811 (the fixture)
    clients, views_of = lists
    monkeypatch.setenv("SHIGAN_TODAY", START)
    clear_caches()
    before, _ = served_and_fresh(clients, views_of, monkeypatch, world.campaign)
    shared = Refusing()
    monkeypatch.setattr(list_cache, "cache", shared)
    monkeypatch.setattr(list_cache, "figures_cache", shared)
    again, _ = served_and_fresh(clients, views_of, monkeypatch, world.campaign)
    assert again == before
    assert shared.reads == []


def test_nothing_is_read_from_memory_once_the_caches_are_cleared(world, lists, monkeypatch):  # noqa: F811 (the fixture)
    """clear_caches() empties the process's memory too (what tests and benchmarks rely on)."""
    clients, views_of = lists
    monkeypatch.setenv("SHIGAN_TODAY", START)
    clear_caches()
    served_and_fresh(clients, views_of, monkeypatch, world.campaign)
    assert list_cache.local._values
    assert list_cache.local_statuses._values
    clear_caches()
    assert not list_cache.local._values and not list_cache.local_statuses._values


# Writes made before the list is warmed, so that the kind measured has something to act on.
PREPARE = {"approve": [("close", 0), ("extend", 1)]}
# A closure or an extension requested shows nothing until approved ("approve").
SHOWS_NOTHING = {"close", "extend"}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_write_shows_on_the_list_kept_in_memory(world, lists, monkeypatch, kind):  # noqa: F811 (the fixture)
    clients, views_of = lists
    monkeypatch.setenv("SHIGAN_TODAY", START)
    for write in PREPARE.get(kind, []):
        apply(world, write, monkeypatch)
    clear_caches()
    before, fresh = served_and_fresh(clients, views_of, monkeypatch, world.campaign)
    assert before == fresh
    _empty_shared_caches()
    made = 0
    for n in range(3):
        try:
            apply(world, (kind, n), monkeypatch)
            made += 1
        except (ValidationError, ProtectedError):
            pass
    assert made
    served, fresh = served_and_fresh(clients, views_of, monkeypatch, world.campaign)
    assert served == fresh
    assert (served == before) == (kind in SHOWS_NOTHING)  # the write shows
    # …and what no write touched was served from memory alone: the shared caches hold only
    # what was computed again.
    with monkeypatch.context() as m:
        shared = Refusing()
        m.setattr(list_cache, "cache", shared)
        m.setattr(list_cache, "figures_cache", shared)
        again, _ = served_and_fresh(clients, views_of, m, world.campaign)
    assert again == served and shared.reads == []


def test_no_cache_at_all_keeps_nothing_in_memory(world, lists, monkeypatch):  # noqa: F811 (the fixture)
    """The reference the property compares with (served_and_fresh) keeps nothing anywhere."""
    clients, views_of = lists
    monkeypatch.setenv("SHIGAN_TODAY", START)
    clear_caches()
    with monkeypatch.context() as m:
        for name in ("cache", "figures_cache", "local", "local_statuses"):
            m.setattr(list_cache, name, NoCache())
        served_and_fresh(clients, views_of, m, world.campaign)
    assert not list_cache.local._values and not list_cache.local_statuses._values
