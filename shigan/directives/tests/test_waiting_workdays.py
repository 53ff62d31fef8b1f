"""The 5-day acceptance wait (tasks.rollup.ACCEPT_DAYS) in working days on the national
calendar (法定节假日与调休): its boundaries across a weekend and across 2023's 国庆 holiday
(9月29日—10月6日 off, Saturday 10月7日 and Sunday 10月8日 调休 working days)."""

import datetime

import pytest
from django.urls import reverse

from shigan.directives.models import HandDown
from shigan.directives.queries import rollups_for, waiting_workdays
from shigan.directives.tests.factories import build_county
from shigan.tasks.rollup import ACCEPT_DAYS
from shigan.tasks.status import TaskStatus

D = datetime.date
FRIDAY = D(2023, 7, 21)
BEFORE_NATIONAL_DAY = D(2023, 9, 28)  # Thursday


def test_accept_days_are_five_working_days():
    assert ACCEPT_DAYS == 5


@pytest.mark.parametrize(
    ("handed_on", "today", "waited"),
    [
        (FRIDAY, D(2023, 7, 22), 0),  # Saturday
        (FRIDAY, D(2023, 7, 24), 1),  # Monday
        (FRIDAY, D(2023, 7, 28), 5),  # Friday a week on: 7 calendar days
        (FRIDAY, D(2023, 7, 30), 5),  # Sunday: 9 calendar days, still 5 working days
        (FRIDAY, D(2023, 7, 31), 6),
        (BEFORE_NATIONAL_DAY, D(2023, 10, 6), 0),  # the holiday counts nothing
        (BEFORE_NATIONAL_DAY, D(2023, 10, 7), 1),  # 调休 Saturday counts
        (BEFORE_NATIONAL_DAY, D(2023, 10, 11), 5),  # 13 calendar days
        (BEFORE_NATIONAL_DAY, D(2023, 10, 12), 6),
    ],
)
def test_waiting_is_counted_in_working_days(handed_on, today, waited):
    assert waiting_workdays(handed_on, today) == waited


@pytest.fixture
def county(db):
    return build_county(1)


def status_on(county, handed_on, today):
    HandDown.objects.all().delete()
    HandDown.objects.create(
        upper_task=county.upper_task, unit=county.districts[0].unit,
        handed_by=county.coordinator, handed_on=handed_on,
    )  # fmt: skip
    return rollups_for([county.upper_task.pk], today)[county.upper_task.pk].status


def test_weekend_does_not_make_a_hand_down_late(county):
    assert status_on(county, FRIDAY, D(2023, 7, 30)) == TaskStatus.NOT_STARTED  # 9 calendar days
    assert status_on(county, FRIDAY, D(2023, 7, 31)) == TaskStatus.BEHIND  # 6th working day


def test_national_day_does_not_make_a_hand_down_late(county):
    assert status_on(county, BEFORE_NATIONAL_DAY, D(2023, 10, 11)) == TaskStatus.NOT_STARTED
    assert status_on(county, BEFORE_NATIONAL_DAY, D(2023, 10, 12)) == TaskStatus.BEHIND


def test_pages_say_working_days(county, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    HandDown.objects.create(
        upper_task=county.upper_task, unit=county.districts[0].unit,
        handed_by=county.coordinator, handed_on=FRIDAY,
    )  # fmt: skip
    url = reverse("directives:upper_task", args=[county.upper_task.pk])
    page = client_for(county.coordinator).get(url).content.decode()
    assert "已等待6个工作日" in page and "1个超过5个工作日未接收" in page
    inbox = client_for(county.districts[0].coordinator).get(reverse("directives:inbox"))
    assert "已等待6个工作日（超过5个工作日未接收" in inbox.content.decode()
