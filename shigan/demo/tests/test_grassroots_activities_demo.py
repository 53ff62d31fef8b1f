"""The demo's 办实事 items, reception rota, pairings and practice activities as of 2023-07-31."""

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone

from shigan.core.models import AuditEntry
from shigan.demo import district
from shigan.demo.base import DEMO_TODAY
from shigan.demo.grassroots_activities import load_activities_demo
from shigan.demo.grassroots_concerns import load_concerns_demo
from shigan.grassroots.models import Pairing, PracticeEvent, PromiseFollowUp, ReceptionDay
from shigan.grassroots.queries.pairing import pairing_rows
from shigan.grassroots.queries.practice import practice_counts
from shigan.grassroots.queries.reception import reception_rows
from shigan.tasks.models import Evidence, Task, TaskOrigin, TaskState


@pytest.mark.django_db
def test_demo_activities_tell_a_plausible_half_year(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", DEMO_TODAY.isoformat())
    units = district.create_units()
    people = district.create_people(units)
    users = district.create_accounts(people)
    campaign = district.create_campaign(units["district"], district.create_leading_group(people))
    load_concerns_demo(campaign=campaign, units=units, people=people, users=users,
                       today=DEMO_TODAY)  # fmt: skip
    demo = load_activities_demo(campaign=campaign, units=units, people=people, users=users,
                                today=DEMO_TODAY)  # fmt: skip
    promises = Task.objects.filter(origin=TaskOrigin.PROMISE)
    assert promises.count() == demo.promises == 4
    closed = promises.get(state=TaskState.COMPLETED)
    assert Evidence.objects.filter(task=closed).exists()
    assert closed.closed_on == datetime.date(2023, 7, 7)
    decided = timezone.localtime(closed.change_requests.get().decided_at).date()
    assert decided == datetime.date(2023, 7, 7)
    ours = AuditEntry.objects.filter(
        Q(record_type__startswith="grassroots.") | Q(record_type__startswith="tasks.")
    )
    late = ours.exclude(at__year=2023).values_list("record_type", "action")
    assert ours.exists() and not late.exists(), sorted(set(late))
    assert PromiseFollowUp.objects.count() == 2
    rows = reception_rows(ReceptionDay.objects.all(), DEMO_TODAY)
    assert [r.day.date.month for r in rows if r.missed] == [5]
    assert sum(not r.day.held and not r.missed for r in rows) == 2
    assert [(r.day.date.month, r.concerns) for r in rows if r.concerns] == [(6, 2), (7, 1)]
    pairings = pairing_rows(Pairing.objects.all(), DEMO_TODAY)
    assert demo.pairings == len(pairings) == 5
    assert sorted(r.pairing.target_name for r in pairings if r.stale) == ["新场村五组 李阿姨家"]
    counts = practice_counts(PracticeEvent.objects.all())
    assert counts.total.events == demo.events == 8
    assert [t.events for t in counts.by_activity] == [3, 3, 2]
