"""A pairing's page and GET /api/v1/pairings/{id} list only the visits under it that the caller
opens (grassroots.access.visits_readable_by) — never the id or link of one he would meet as
不存在 — while the count, the last visit and the 90-day flag stay the pairing's. In the levels
world: an 东区 pairing of the 东区交通局 reporter's cadre, with a visit of his unit, one the
cadre made for the 东区 task force (another unit) and one filed in the county's campaign."""

import datetime

import pytest
from django.test import Client

from shigan.api.services import token_create
from shigan.grassroots.models import Pairing, PlaceKind, Visit, VisitKind
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST, client_of

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def api_of(user) -> Client:
    raw = token_create(user=user, name="t", scope="read")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def pairing(levels):
    east, county = levels[EAST], levels[COUNTY]
    cadre = east.users["reporter"].person
    pairing = Pairing.objects.create(
        campaign=east.campaign, cadre=cadre, target_kind="household", target_name="王大爷家",
        started_on=datetime.date(2023, 1, 10),
    )  # fmt: skip
    by = east.users["coordinator"]
    force = east.users["coordinator"].person.unit
    made = {
        "own": (east.campaign, east.bureau, 1, "本单位走访"),
        "force": (east.campaign, force, 2, "专班组织走访"),
        "county": (county.campaign, county.bureau, 3, "县级活动走访"),
    }
    visits = {}
    for key, (campaign, unit, day, what) in made.items():
        visit = Visit.objects.create(
            campaign=campaign, kind=VisitKind.VISIT, date=datetime.date(2023, 6, day),
            unit=unit, place_kind=PlaceKind.HOUSEHOLD, place="王大爷家", what_done=what,
            pairing=pairing, created_by=by,
        )  # fmt: skip
        visit.cadres.add(cadre)
        visits[key] = visit
    return pairing, visits


READERS = [
    # (level, role): the visits he opens, newest first
    ((EAST, "reporter"), ["own"]),  # the force's and the county's are of other units
    ((EAST, "coordinator"), ["force", "own"]),  # the county's campaign is above him
    ((COUNTY, "coordinator"), ["county", "force", "own"]),  # his level and the districts'
]


@pytest.mark.parametrize(("who", "listed"), READERS)
def test_the_pairing_page_lists_only_the_visits_the_reader_opens(levels, world, pairing, who,
                                                                 listed):  # fmt: skip
    pairing, visits = pairing
    page = client_of(world, *who).get(f"/grassroots/pairings/{pairing.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    shown = [key for key in ("county", "force", "own") if visits[key].what_done in html]
    assert shown == listed
    for key, visit in visits.items():
        assert (visit.get_absolute_url() in html) == (key in listed)
    assert "走访3次" in html  # the pairing's count
    hidden = 3 - len(listed)
    assert (f"另有{hidden}次走访您无权查看，未列出。" in html) == bool(hidden)
    for key in listed:  # each one listed opens
        assert client_of(world, *who).get(visits[key].get_absolute_url()).status_code == 200


@pytest.mark.parametrize(("who", "listed"), READERS)
def test_the_pairing_api_lists_only_the_visits_the_reader_opens(levels, pairing, who, listed):
    pairing, visits = pairing
    level, role = who
    api = api_of(levels[level].users[role])
    answer = api.get(f"/api/v1/pairings/{pairing.pk}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [v["id"] for v in body["visit_list"]] == [visits[key].pk for key in listed]
    assert (body["visits"], body["last_visit"]) == (3, "2023-06-03")
    for key, visit in visits.items():
        opened = api.get(f"/api/v1/visits/{visit.pk}").status_code
        assert opened == (200 if key in listed else 404)
