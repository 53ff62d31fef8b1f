"""Rows read so far, for a background import's progress (core/jobs.py).

The workbook readers call `tick(row)` for every data row they read (core.xlsx.reading's
Sheet.data_rows does it for every importer built on it); outside a background job nothing listens
and a tick costs one context-variable lookup."""

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

_listener: ContextVar[Callable[[int], None] | None] = ContextVar("shigan_progress", default=None)


def tick(row: int) -> None:
    """The reader has reached sheet row `row`."""
    listener = _listener.get()
    if listener is not None:
        listener(row)


@contextlib.contextmanager
def listening(listener: Callable[[int], None]) -> Iterator[None]:
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
