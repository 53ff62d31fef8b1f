"""publicity.access persona by persona: every role reads media reports, coordinators record
them; an account with no role reads none."""

import datetime

import pytest

from shigan.publicity.access import (
    can_read_media_reports,
    can_record_media_report,
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
