"""supervision.access persona by persona: inspections and findings by unit, spot checks for
coordinators, inspectors and leaders, notices for every role; coordinators and inspectors record
supervision, coordinators alone notices.

Inspections: of unit A, of unit B, of both; one finding in unit A and one in unit B."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.campaigns.models import Campaign
from shigan.orgs.models import Unit, UnitKind
from shigan.supervision.access import (
    can_read_notices,
    can_read_spot_checks,
    can_record_notice,
    can_record_supervision,
    findings_visible_to,
    get_finding_for_user,
    get_inspection_for_user,
    get_notice_for_user,
    get_spot_check_for_user,
    inspections_visible_to,
    notices_visible_to,
    spot_checks_visible_to,
)
from shigan.supervision.models import Finding, Inspection, Notice, SpotCheck
from shigan.supervision.services import notice_record, spot_check_draw
from shigan.tests.personas import all_personas, answers, only

from .helpers import complete, make_finding, make_inspection

ROLES = ("coordinator", "leader", "reporter_a", "reporter_b", "inspector")


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def users(world):
    return all_personas(world)


@pytest.fixture
def records(world):
    of_a = make_inspection(world, units=[world.unit_a], topic="甲")
    of_b = make_inspection(world, units=[world.unit_b], topic="乙")
    of_both = make_inspection(world, units=[world.unit_a, world.unit_b], topic="甲乙")
    finding_a = make_finding(world, of_a, unit=world.unit_a, problem="甲的问题")
    finding_b = make_finding(world, of_both, unit=world.unit_b, problem="乙的问题")
    complete(world.task_a)
    spot_check = spot_check_draw(campaign=world.campaign, share=100, by=world.inspector, seed="s")
    notice = notice_record(
        campaign=world.campaign,
        doc_number="示作风办〔2023〕3号",
        date=datetime.date(2023, 6, 5),
        title="通报",
        kind="briefing",
        by=world.coordinator,
    )
    return {
        "of_a": of_a,
        "of_b": of_b,
        "finding_a": finding_a,
        "finding_b": finding_b,
        "spot_check": spot_check,
        "notice": notice,
    }


def _outcome(call):
    try:
        call()
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


def test_can_record_supervision(users):
    assert answers(users, can_record_supervision) == only("coordinator", "inspector")


def test_can_record_notice(users):
    assert answers(users, can_record_notice) == only("coordinator")


def test_can_read_notices(users):
    assert answers(users, can_read_notices) == only(*ROLES)


def test_can_read_spot_checks(users):
    """Reporters do not: a spot check picks the items to be checked on site."""
    assert answers(users, can_read_spot_checks) == only("coordinator", "inspector", "leader")


def test_findings_visible_to(users, records):
    def problems(user):
        return set(
            findings_visible_to(user, Finding.objects.all()).values_list("problem", flat=True)
        )

    both = {"甲的问题", "乙的问题"}
    assert answers(users, problems) == {
        **only(no=set()),
        "coordinator": both,
        "inspector": both,
        "leader": {"甲的问题"},
        "reporter_a": {"甲的问题"},
        "reporter_b": {"乙的问题"},
    }


def test_inspections_visible_to(users, records):
    def topics(user):
        return set(
            inspections_visible_to(user, Inspection.objects.all()).values_list("topic", flat=True)
        )

    every = {"甲", "乙", "甲乙"}
    assert answers(users, topics) == {
        **only(no=set()),
        "coordinator": every,
        "inspector": every,
        "leader": {"甲", "甲乙"},
        "reporter_a": {"甲", "甲乙"},
        "reporter_b": {"乙", "甲乙"},
    }


def test_an_inspection_with_a_finding_in_a_unit_concerns_that_unit(world, users, records):
    """Inspections "of, or with findings in" the user's units: a finding recorded in unit A of
    an inspection of unit B only makes it unit A's too."""
    Finding.objects.create(
        inspection=records["of_b"],
        unit=world.unit_a,
        problem="甲在乙的督查中",
        requirement="整改",
        deadline=datetime.date(2023, 8, 31),
        task=world.task_a,
    )
    visible = inspections_visible_to(users["reporter_a"], Inspection.objects.all())
    assert records["of_b"] in visible


def test_notices_visible_to(users, records):
    counted = answers(users, lambda u: notices_visible_to(u, Notice.objects.all()).count())
    assert counted == only(*ROLES, yes=1, no=0)


def test_get_inspection_for_user(users, records):
    pk = records["of_a"].pk
    read = answers(users, lambda u: _outcome(lambda: get_inspection_for_user(u, pk)))
    assert read == only("coordinator", "leader", "reporter_a", "inspector", yes=200, no=404)
    write = answers(users, lambda u: _outcome(lambda: get_inspection_for_user(u, pk, write=True)))
    assert write == {
        **only(no=404),
        "coordinator": 200,
        "inspector": 200,
        "leader": 403,
        "reporter_a": 403,
    }


def test_get_finding_for_user(users, records):
    pk = records["finding_a"].pk
    read = answers(users, lambda u: _outcome(lambda: get_finding_for_user(u, pk)))
    assert read == only("coordinator", "leader", "reporter_a", "inspector", yes=200, no=404)
    write = answers(users, lambda u: _outcome(lambda: get_finding_for_user(u, pk, write=True)))
    assert write == {
        **only(no=404),
        "coordinator": 200,
        "inspector": 200,
        "leader": 403,
        "reporter_a": 403,
    }
    assert (
        get_finding_for_user(users["reporter_b"], records["finding_b"].pk) == records["finding_b"]
    )


def test_spot_checks_visible_to(world, users, records):
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    elsewhere = Campaign.objects.create(
        year=2023,
        name="乙县活动",
        organiser=other,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    SpotCheck.objects.create(campaign=elsewhere, share=10, seed="x", created_by=world.coordinator)
    counted = answers(users, lambda u: spot_checks_visible_to(u, SpotCheck.objects.all()).count())
    assert counted == only("coordinator", "inspector", "leader", yes=1, no=0)


def test_get_spot_check_for_user(users, records):
    pk = records["spot_check"].pk
    read = answers(users, lambda u: _outcome(lambda: get_spot_check_for_user(u, pk)))
    assert read == only("coordinator", "leader", "inspector", yes=200, no=404)


def test_get_notice_for_user(users, records):
    pk = records["notice"].pk
    read = answers(users, lambda u: _outcome(lambda: get_notice_for_user(u, pk)))
    assert read == only(*ROLES, yes=200, no=404)
    write = answers(users, lambda u: _outcome(lambda: get_notice_for_user(u, pk, write=True)))
    assert write == {**only(*ROLES, yes=403, no=404), "coordinator": 200}


@pytest.mark.parametrize(
    "get",
    [get_inspection_for_user, get_finding_for_user, get_spot_check_for_user, get_notice_for_user],
    ids=lambda f: f.__name__,
)
def test_missing_and_malformed_ids_are_404(users, records, get):
    for pk in [987654, "abc", None]:
        with pytest.raises(Http404):
            get(users["coordinator"], pk)
