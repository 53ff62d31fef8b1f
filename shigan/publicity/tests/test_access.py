"""publicity.access persona by persona: every role reads media reports, coordinators record
them; an account with no role reads none."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.publicity.access import (
    can_read_media_reports,
    can_record_media_report,
    get_media_report_for_user,
    media_reports_visible_to,
)
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.publicity.services import media_report_record
from shigan.tests.personas import all_personas, answers, only

ROLES = ("coordinator", "leader", "reporter_a", "reporter_b", "inspector")


@pytest.fixture
def users(world):
    return all_personas(world)


def test_can_record_media_report(users):
    assert answers(users, can_record_media_report) == only("coordinator")


def test_can_read_media_reports(users):
    assert answers(users, can_read_media_reports) == only(*ROLES)


def test_media_reports_visible_to(world, users):
    media_report_record(
        campaign=world.campaign,
        title="实干年见闻",
        outlet="区融媒体中心",
        level=MediaLevel.choices[0][0],
        date=datetime.date(2023, 6, 1),
        by=world.coordinator,
    )
    counted = answers(
        users, lambda u: media_reports_visible_to(u, MediaReport.objects.all()).count()
    )
    assert counted == only(*ROLES, yes=1, no=0)


def _outcome(call):
    try:
        call()
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


def test_get_media_report_for_user(world, users):
    """Every role reads a report; only coordinators correct it (write); no role: it does not
    exist; neither does an unknown or malformed id."""
    pk = media_report_record(
        campaign=world.campaign,
        title="实干年见闻",
        outlet="区融媒体中心",
        level=MediaLevel.CITY,
        date=datetime.date(2023, 6, 1),
        by=world.coordinator,
    ).pk
    read = answers(users, lambda u: _outcome(lambda: get_media_report_for_user(u, pk)))
    assert read == only(*ROLES, yes=200, no=404)
    write = answers(users, lambda u: _outcome(lambda: get_media_report_for_user(u, pk, write=True)))
    assert write == {**only(*ROLES, yes=403, no=404), "coordinator": 200}
    for missing in [987654, "abc", None]:
        with pytest.raises(Http404):
            get_media_report_for_user(users["coordinator"], missing)
