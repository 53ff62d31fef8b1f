"""Every supervision list page and the dashboard cards run the same number of queries for a few
records and for many."""

import datetime
from functools import partial

import pytest

from shigan.core.testing import assert_same_queries, get_page
from shigan.supervision.models import (
    Exemplar,
    Inspection,
    Notice,
    SpotCheck,
    Verification,
)
from shigan.supervision.queries import supervision_cards
from shigan.tasks.models import ProgressReport

from .helpers import bulk_findings

PERSONAS = ["coordinator", "leader", "reporter_a"]
AS_OF = datetime.date(2023, 7, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def grow(world, n: int, offset: int = 0) -> None:
    """n inspections (of both units) with findings, reports, verifications; n spot checks;
    n notices with two exemplars each."""
    inspections = Inspection.objects.bulk_create(
        Inspection(
            campaign=world.campaign,
            topic=f"督查{offset + i}",
            kind="routine",
            date=datetime.date(2023, 5, 1 + i % 28),
        )
        for i in range(n)
    )
    for inspection in inspections:
        inspection.units.set([world.unit_a, world.unit_b])
        inspection.inspectors.set([world.inspector.person])
        findings = bulk_findings(world, inspection, 3) + bulk_findings(
            world, inspection, 1, unit=world.unit_b
        )
        ProgressReport.objects.create(
            task=findings[0].task,
            unit=world.unit_a,
            period=datetime.date(2023, 6, 1),
            text="整改中",
            submitted_by=world.reporter_a,
        )
        Verification.objects.create(
            finding=findings[1],
            verified_by=world.inspector.person,
            date=datetime.date(2023, 7, 1),
            result="passed",
            recorded_by=world.inspector,
        )
    SpotCheck.objects.bulk_create(
        SpotCheck(
            campaign=world.campaign,
            share=10,
            seed=str(i),
            population=[1, 2, 3],
            drawn=[2],
            created_by=world.inspector,
        )
        for i in range(n)
    )
    notices = Notice.objects.bulk_create(
        Notice(
            campaign=world.campaign,
            doc_number=f"示作风办〔2023〕{offset + i}号",
            date=datetime.date(2023, 6, 1),
            title=f"通报{offset + i}",
            kind="briefing",
        )
        for i in range(n)
    )
    for notice in notices:
        for polarity in ("positive", "negative"):
            exemplar = Exemplar.objects.create(notice=notice, polarity=polarity, title="典型")
            exemplar.units.set([world.unit_a, world.unit_b])
            exemplar.people.set([world.leader_person])


LISTS = [
    "/supervision/",
    "/supervision/?kind=routine&unit={unit}",
    "/supervision/findings/",
    "/supervision/findings/?status=overdue",
    "/supervision/notices/",
    "/supervision/notices/?polarity=negative",
    "/supervision/{inspection}/",
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_list_queries_do_not_grow(world, client_for, url, persona):
    client = client_for(world.users()[persona])
    grow(world, 3)
    first = Inspection.objects.order_by("id").first()
    url = url.format(unit=world.unit_a.pk, inspection=first.pk)

    def more():
        grow(world, 25, offset=100)
        Inspection.objects.filter(topic__startswith="督查1").update(date=first.date)
        bulk_findings(world, first, 30)

    assert_same_queries(get_page(client, url), more, warm_up=True)


@pytest.mark.parametrize("persona", ["coordinator", "leader", "inspector"])
def test_spot_check_list_queries_do_not_grow(world, client_for, persona):
    client = client_for(world.users()[persona])
    grow(world, 2)
    url = "/supervision/spot-checks/"
    assert_same_queries(get_page(client, url), partial(grow, world, 40, offset=100))


@pytest.mark.parametrize("persona", PERSONAS + ["inspector"])
def test_supervision_cards_queries_do_not_grow(world, persona):
    user = world.users()[persona]
    grow(world, 2)

    def run():
        return supervision_cards(user, world.campaign, AS_OF)

    def more():
        nonlocal user
        grow(world, 30, offset=100)
        user = type(user).objects.get(pk=user.pk)  # a fresh user object: no cached person

    cards = assert_same_queries(run, more)
    findings = next(c for c in cards if c.key == "findings")
    assert sum(n for _, n in findings.items) > 0
