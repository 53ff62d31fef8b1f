"""An upper task's roll-up as of a day (directives.queries.rollups_for): a hand-down made after
that day counts for nothing, one waiting then counts as waiting even if answered or withdrawn
since, and a child linked by an acceptance after that day is not yet the district's answer."""

import datetime

import pytest

from shigan.directives.queries import rollups_for
from shigan.directives.services import handdown_accept_existing, handdown_create, handdown_withdraw
from shigan.directives.tests.factories import build_county, child_task
from shigan.testing import make_task

MADE = datetime.date(2023, 7, 3)  # a Monday
DAY_AFTER = MADE + datetime.timedelta(days=1)


@pytest.fixture
def county(db):
    return build_county()


def hand_down(county, index, day):
    (made,) = handdown_create(by=county.coordinator, upper_task=county.upper_task,
                              units=[county.districts[index].unit], today=day)  # fmt: skip
    return made


def rolled(county, day):
    return rollups_for([county.upper_task.pk], day)[county.upper_task.pk]


def test_a_hand_down_counts_from_its_day_not_before(county):
    hand_down(county, 0, MADE)
    assert rolled(county, MADE - datetime.timedelta(days=1)) is None
    assert rolled(county, MADE).waiting == 1
    assert rolled(county, DAY_AFTER).waiting == 1


def test_a_hand_down_answered_or_withdrawn_later_was_waiting_then(county):
    accepted, withdrawn = hand_down(county, 0, MADE), hand_down(county, 1, MADE)
    district = county.districts[0]
    own = make_task(campaign=district.campaign, category=district.category, unit=district.bureau,
                    title="区营商环境", due=datetime.date(2023, 12, 31))  # fmt: skip
    handdown_accept_existing(by=district.coordinator, handdown=accepted, task=own, today=DAY_AFTER)
    handdown_withdraw(by=county.coordinator, handdown=withdrawn, reason="有误", today=DAY_AFTER)
    on_the_day = rolled(county, MADE)
    assert (on_the_day.waiting, on_the_day.owed) == (2, 2)  # the child not yet linked then
    after = rolled(county, DAY_AFTER)
    assert (after.waiting, after.owed) == (0, 1)


def test_a_child_linked_without_a_hand_down_counts_as_before(county):
    child_task(county.districts[0], county.upper_task)
    assert rolled(county, MADE).owed == 1
