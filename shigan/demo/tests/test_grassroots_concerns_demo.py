"""The demo's visits and concerns: first half of 2023, most closed on time, some late, one
reopened after an unsatisfied 回访, a few still open on the demo's day."""

import datetime
from collections import Counter

import pytest

from shigan.core.models import AuditEntry
from shigan.demo import district
from shigan.demo.base import DEMO_TODAY
from shigan.demo.grassroots_concerns import load_concerns_demo
from shigan.grassroots.models import Concern, ConcernKind, ConcernSource, Visit, VisitPhoto
from shigan.grassroots.steps import ConcernStatus, concern_status
from shigan.orgs.workdays import calendar_for


@pytest.mark.django_db
def test_demo_concerns_tell_a_plausible_half_year(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("SHIGAN_TODAY", DEMO_TODAY.isoformat())
    units = district.create_units()
    people = district.create_people(units)
    users = district.create_accounts(people)
    campaign = district.create_campaign(units["district"], district.create_leading_group(people))
    demo = load_concerns_demo(campaign=campaign, units=units, people=people, users=users,
                              today=DEMO_TODAY)  # fmt: skip
    assert demo.visits == Visit.objects.count() == 30
    assert VisitPhoto.objects.count() == 15 and len(list(tmp_path.rglob("*.png"))) == 15
    concerns = list(Concern.objects.all())
    assert len(concerns) == demo.concerns >= 36
    assert all(datetime.date(2023, 1, 1) <= c.received_on <= datetime.date(2023, 6, 30)
               for c in concerns)  # fmt: skip
    calendar = calendar_for(units["district"].pk)
    statuses = Counter(
        concern_status(due_on=c.due_on, closed_on=c.closed_on, today=DEMO_TODAY, calendar=calendar)
        for c in concerns
    )
    assert statuses[ConcernStatus.CLOSED_ON_TIME] > len(concerns) / 2
    assert statuses[ConcernStatus.CLOSED_LATE] >= 3
    assert 1 <= statuses[ConcernStatus.OVERDUE] + statuses[ConcernStatus.OPEN] <= 6
    reopened = [c for c in concerns if c.reopened]
    assert len(reopened) == 1 and reopened[0].closed_on is not None
    assert {c.source for c in concerns} == {ConcernSource.VISIT, ConcernSource.HOTLINE}
    assert any(c.kind == ConcernKind.DISPUTE and c.outcome for c in concerns)
    assert Concern.objects.filter(number="2023-0001").exists()
    stamped = AuditEntry.objects.filter(record_type__startswith="grassroots.")
    assert stamped.exists() and not stamped.exclude(at__year=2023).exists()
