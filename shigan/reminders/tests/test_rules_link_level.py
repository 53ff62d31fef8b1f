"""A district's 提醒规则与日程 are its own coordinators' to set (reminders.access.
can_edit_reminder_rules, own level): on a district's 报送情况 board the county's coordinator gets
no link to them (403), the district's own coordinator does."""

import datetime

import pytest
from django.urls import reverse

from shigan.directives.tests.factories import build_county
from shigan.reminders.access import can_edit_reminder_rules

TODAY = datetime.date(2023, 7, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def test_the_board_links_the_rules_only_to_who_may_set_them(db, client_for):
    county = build_county()
    district = county.districts[0]
    rules = f"{reverse('reminders:rule_settings')}?campaign={district.campaign.pk}"
    board = reverse("reminders:filing_board") + f"?campaign={district.campaign.pk}&period=2023-06"

    upper = client_for(county.coordinator)
    page = upper.get(board)
    assert page.status_code == 200
    assert rules not in page.content.decode()
    assert upper.get(rules).status_code == 403
    assert not can_edit_reminder_rules(county.coordinator, district.campaign)

    own = client_for(district.coordinator).get(board).content.decode()
    assert rules in own
    own_rules = f"{reverse('reminders:rule_settings')}?campaign={county.campaign.pk}"
    county_board = f"{reverse('reminders:filing_board')}?campaign={county.campaign.pk}"
    assert own_rules in upper.get(county_board + "&period=2023-06").content.decode()
    assert can_edit_reminder_rules(district.coordinator, district.campaign)
