"""build_summary runs the same number of queries for 3 and for 30 of every record it states."""

from functools import partial

from shigan.core.testing import assert_same_queries
from shigan.reports.compose import build_summary

from .reportdata import AS_OF, grow


def test_build_summary_queries_do_not_grow_with_tasks_reports_meetings_or_indicators(world):
    grow(world, 3)

    def build():
        document = build_summary(campaign=world.campaign, as_of=AS_OF)
        assert document.figures

    # 4 of the 40: the next-step draft's milestones, items, open milestones, change requests.
    assert_same_queries(build, partial(grow, world, 30, offset=100), at_most=40)
