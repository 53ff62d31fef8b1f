"""/api/v1/concerns: read through grassroots.access (a reporter the concerns assigned to his unit),
the requester's phone and ID number masked as the list and the export mask them (core.masking,
even for the concern's handler: the page shows the full numbers only on asking, recorded), the
status as grassroots.queries computes it; cursor pages, bounded queries, 404 problem outside."""

import datetime

import pytest

from shigan.core.testing import assert_same_queries
from shigan.grassroots.models import Concern
from shigan.grassroots.queries.concerns import concern_rows
from shigan.grassroots.tests.concern_helpers import ID_NUMBER, PHONE, concern
from shigan.orgs.workdays import calendar_for

from .test_task_list import walk

TODAY = datetime.date(2023, 6, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def test_numbers_masked_for_everyone_status_as_the_ledger(world, token_client):
    late = concern(world, received=datetime.date(2023, 6, 1), unit="a", days=5)
    fresh = concern(world, received=datetime.date(2023, 6, 19), unit="b", days=10)
    rows = {
        row.concern.pk: row
        for row in concern_rows(
            Concern.objects.all(), today=TODAY, calendar=calendar_for(world.district.pk)
        )
    }
    for user in (world.coordinator, world.reporter_a, world.reporter_b, world.inspector):
        api, _ = token_client(user, scope="read")
        response = api.get("/api/v1/concerns")
        assert PHONE not in response.content.decode() and ID_NUMBER not in response.content.decode()
        for item in response.json()["items"]:
            assert item["requester_phone"] == "138****1234"
            assert item["requester_id_number"] == "4201**********1234"
            assert item["status"] == rows[item["id"]].status
    api, _ = token_client(world.reporter_a)  # he handles `late`: still masked here
    body = api.get(f"/api/v1/concerns/{late.pk}").json()
    assert body["requester_phone"] == "138****1234" and body["status"] == "overdue"
    assert body["status_label"] == "逾期" and body["actions"][0]["by"] == "周专班"
    assert rows[fresh.pk].status == "open"


def test_a_reporter_reads_his_units_concerns_only(world, other_district, token_client):
    a = concern(world, unit="a")
    b = concern(world, unit="b")
    expected = {
        world.coordinator: [a.pk, b.pk],
        world.leader: [a.pk],
        world.reporter_a: [a.pk],
        world.reporter_b: [b.pk],
        other_district[0]: [],
    }
    for user, concerns in expected.items():
        api, _ = token_client(user, scope="read")
        assert [c["id"] for c in api.get("/api/v1/concerns").json()["items"]] == concerns, user
    reporter, _ = token_client(world.reporter_b)
    response = reporter.get(f"/api/v1/concerns/{a.pk}")
    assert response.status_code == 404 and response.json()["detail"] == "诉求不存在或无权查看。"
    assert response["Content-Type"] == "application/problem+json"
    other, _ = token_client(other_district[0])
    assert other.get(f"/api/v1/concerns/{b.pk}").status_code == 404


def test_concern_pages_and_queries(world, token_client):
    for _ in range(2):
        concern(world, unit="a")
    api, _ = token_client(world.coordinator)

    def grow():
        for _ in range(20):
            concern(world, unit="b")

    def run():
        response = api.get("/api/v1/concerns?limit=100")
        assert response.status_code == 200
        return response

    # token, person, the page of ids, their districts, the rows, the calendar's overrides
    response = assert_same_queries(run, grow, at_most=6, warm_up=True)
    assert len(response.json()["items"]) == 22
    seen, pages = walk(api, f"/api/v1/concerns?limit=5&campaign={world.campaign.pk}")
    assert len(seen) == len(set(seen)) == 22 and pages == 5
