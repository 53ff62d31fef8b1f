"""Test helpers that need no app: the query-budget assertion. (The personas shared by all tests,
which need the orgs, campaigns and tasks, are in `shigan.testing`.)

A page or builder must run the same number of queries for a few records and for many:

    response = assert_same_queries(get_page(client, url), grow, at_most=12, warm_up=True)
"""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_same_queries(
    run: Callable[[], object],
    grow: Callable[[], object],
    *,
    at_most: int | None = None,
    exactly: int | None = None,
    warm_up: bool = False,
):
    """Run `run()` on the small data set, `grow()` the data, run it again: both runs make the same
    number of queries — on the small set at most `at_most`, or exactly `exactly`, when given.
    `warm_up` first runs it once uncounted, for caches that do not depend on the data (a page's
    session, content types, templates). A failure prints the SQL of the runs. Returns what the
    grown run returned."""
    if warm_up:
        run()
    with CaptureQueriesContext(connection) as small:
        run()
    if at_most is not None:
        assert len(small) <= at_most, _failure(small, f"on the small data set, over {at_most}")
    if exactly is not None:
        assert len(small) == exactly, _failure(small, f"on the small data set, not {exactly}")
    grow()
    with CaptureQueriesContext(connection) as grown:
        result = run()
    assert len(grown) == len(small), _failure(
        grown, f"on the grown data set, not {len(small)}", small
    )
    return result


def get_page(client, url: str) -> Callable[[], object]:
    """A `run` for assert_same_queries: GET `url` with the test client, which must answer 200;
    returns the response."""

    def get():
        response = client.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        return response

    return get


def _failure(captured, problem: str, small=None) -> str:
    text = f"{len(captured)} queries {problem}:\n{_sql(captured)}"
    if small is not None:
        text += f"\n\nthe {len(small)} on the small data set:\n{_sql(small)}"
    return text


def _sql(captured) -> str:
    return "\n".join(f"{n}. {q['sql']}" for n, q in enumerate(captured.captured_queries, 1))
