"""assert_same_queries: passes when the count does not grow, fails with the SQL when it does."""

import pytest
from django.contrib.auth import get_user_model

from shigan.core.testing import assert_same_queries


def add_user(name: str):
    return get_user_model().objects.create(username=name)


def one_query_per_user():
    for user in get_user_model().objects.order_by("pk"):
        user.groups.count()


def one_query():
    return list(get_user_model().objects.all())


def test_the_same_count_passes_and_returns_the_grown_run(db):
    add_user("a")
    assert len(assert_same_queries(one_query, lambda: add_user("b"), at_most=1, exactly=1)) == 2


def test_a_count_growing_with_the_data_fails_listing_the_sql_of_both_runs(db):
    add_user("a")
    with pytest.raises(AssertionError) as failed:
        assert_same_queries(one_query_per_user, lambda: add_user("b"))
    message = str(failed.value)
    assert message.startswith("3 queries on the grown data set, not 2:")
    assert "the 2 on the small data set:" in message
    assert message.count('FROM "auth_user"') == 2 and message.count("auth_user_groups") >= 3


@pytest.mark.parametrize("budget", [{"at_most": 0}, {"exactly": 2}])
def test_a_count_off_the_stated_budget_fails(db, budget):
    with pytest.raises(AssertionError, match="1 queries on the small data set"):
        assert_same_queries(one_query, lambda: None, **budget)


def test_warm_up_runs_once_uncounted(db):
    runs = []
    assert_same_queries(lambda: runs.append(1), lambda: None, warm_up=True)
    assert len(runs) == 3
