"""indicators.access persona by persona: indicators and key projects by their responsible unit,
key enterprises by their contact unit or their projects; coordinators set indicators up and
report any indicator's figures, a reporter those of his unit's indicators; investment attraction
is read by every role.

Indicators: ind_a (unit A), ind_b (unit B). Key projects: one of unit A, one of unit B.
Enterprises: ent_a (contact unit A), ent_b (contact unit B, its project is unit A's), ent_c
(contact unit B), ent_none (no contact unit, no project; in the district)."""

import pytest
from django.http import Http404

from shigan.indicators.access import (
    can_manage_indicators,
    can_read_investment,
    can_report_actuals,
    can_report_indicator,
    get_indicator_for_user,
    indicator_mine_label,
    indicator_units_overseen,
    indicators_for_report,
    indicators_visible_to,
    key_enterprises_visible_to,
    key_projects_visible_to,
    reads_district_indicators,
    reports_any_indicator,
)
from shigan.indicators.models import Indicator, KeyEnterprise, KeyProject
from shigan.tests.personas import all_personas, answers, only

from .conftest import make_indicator

ROLES = ("coordinator", "leader", "reporter_a", "reporter_b", "inspector")
BY_UNIT = {
    "coordinator": {"a", "b"},
    "inspector": {"a", "b"},
    "leader": {"a"},
    "reporter_a": {"a"},
    "reporter_b": {"b"},
}


def all_personas_fresh(users):
    """The same accounts without the scope cached on the user objects."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return {k: User.objects.get(pk=u.pk) if u.pk else u for k, u in users.items()}


@pytest.fixture
def users(world):
    return all_personas(world)


@pytest.fixture
def records(world):
    ind_a = make_indicator("ind_a", world.unit_a)
    ind_b = make_indicator("ind_b", world.unit_b)
    ent_a = KeyEnterprise.objects.create(name="ent_a", unit=world.unit_a)
    ent_b = KeyEnterprise.objects.create(name="ent_b", unit=world.unit_b)
    KeyEnterprise.objects.create(name="ent_c", unit=world.unit_b)
    KeyEnterprise.objects.create(name="ent_none", district=world.district)
    KeyProject.objects.create(year=2023, name="a", enterprise=ent_b, responsible_unit=world.unit_a)
    KeyProject.objects.create(year=2023, name="b", enterprise=ent_a, responsible_unit=world.unit_b)
    return {"a": ind_a, "b": ind_b}


def test_indicators_visible_to(users, records):
    def names(user):
        return {
            n[-1]
            for n in indicators_visible_to(user, Indicator.objects.all()).values_list(
                "name", flat=True
            )
        }

    # The headline figures: every person of the district reads all of its indicators, not only
    # those of his own or overseen units.
    assert answers(users, names) == only(*ROLES, yes={"a", "b"}, no=set())


def test_indicator_units_overseen(users, world):
    assert answers(users, indicator_units_overseen) == {
        **only(no=set()),
        "leader": {world.unit_a.pk},
        "reporter_a": {world.unit_a.pk},
        "reporter_b": {world.unit_b.pk},
    }


def test_indicator_mine_label(users):
    """The tag of the viewer's own indicators on the district's list: 分管 for a leader."""
    labels = answers(users, indicator_mine_label)
    assert labels["leader"] == "分管"
    assert labels["reporter_a"] == labels["reporter_b"] == "本单位"


def test_reads_district_indicators(users):
    assert answers(users, reads_district_indicators) == only("leader", "reporter_a", "reporter_b")


def test_reports_any_indicator(users, records):
    """The template/import buttons: a coordinator, a reporter whose unit has an indicator."""
    assert answers(users, reports_any_indicator) == only("coordinator", "reporter_a", "reporter_b")
    records["b"].delete()
    fresh = all_personas_fresh(users)
    assert reports_any_indicator(fresh["reporter_b"]) is False
    assert reports_any_indicator(fresh["reporter_a"]) is True


def test_key_projects_visible_to(users, records):
    def names(user):
        return set(
            key_projects_visible_to(user, KeyProject.objects.all()).values_list("name", flat=True)
        )

    assert answers(users, names) == {**only(no=set()), **BY_UNIT}


def test_key_enterprises_visible_to(users, records):
    def names(user):
        projects = key_projects_visible_to(user, KeyProject.objects.all())
        return set(key_enterprises_visible_to(user, projects).values_list("name", flat=True))

    every = {"ent_a", "ent_b", "ent_c", "ent_none"}
    assert answers(users, names) == {
        **only(no=set()),
        "coordinator": every,
        "inspector": every,
        "leader": {"ent_a", "ent_b"},
        "reporter_a": {"ent_a", "ent_b"},
        "reporter_b": {"ent_a", "ent_b", "ent_c"},
    }


def test_can_manage_indicators(users):
    assert answers(users, can_manage_indicators) == only("coordinator")


def test_can_report_actuals(users):
    assert answers(users, can_report_actuals) == only("coordinator", "reporter_a", "reporter_b")


def test_can_report_indicator(users, records):
    def reportable(user):
        return {key for key, indicator in records.items() if can_report_indicator(user, indicator)}

    assert answers(users, reportable) == {
        **only(no=set()),
        "coordinator": {"a", "b"},
        "reporter_a": {"a"},
        "reporter_b": {"b"},
    }


def test_indicators_for_report(users, records):
    """The same indicators as can_report_indicator, as a queryset."""

    def names(user):
        return {n[-1] for n in indicators_for_report(user).values_list("name", flat=True)}

    assert answers(users, names) == {
        **only(no=set()),
        "coordinator": {"a", "b"},
        "reporter_a": {"a"},
        "reporter_b": {"b"},
    }


def test_can_read_investment(users):
    assert answers(users, can_read_investment) == only(*ROLES)


def test_get_indicator_for_user(users, records):
    def read(user):
        try:
            get_indicator_for_user(user, records["a"].pk)
        except Http404:
            return 404
        return 200

    assert answers(users, read) == only(*ROLES, yes=200, no=404)
    assert get_indicator_for_user(users["reporter_b"], records["b"].pk) == records["b"]
    for pk in [987654, "abc", None]:
        with pytest.raises(Http404):
            get_indicator_for_user(users["coordinator"], pk)
