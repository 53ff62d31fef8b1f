"""build_summary runs the same number of queries for 3 and for 30 of every record it states."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.reports.compose import build_summary

from .reportdata import AS_OF, grow


def queries(world) -> int:
    with CaptureQueriesContext(connection) as captured:
        document = build_summary(campaign=world.campaign, as_of=AS_OF)
    assert document.figures
    return len(captured)


def test_build_summary_queries_do_not_grow_with_tasks_reports_meetings_or_indicators(world):
    grow(world, 3)
    small = queries(world)
    grow(world, 30, offset=100)
    assert queries(world) == small
    assert small <= 30, small
