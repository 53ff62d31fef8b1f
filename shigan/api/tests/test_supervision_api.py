"""/api/v1/inspections and /api/v1/findings: read through supervision.access (a reporter his
unit's findings and the inspections of, or with findings in, his unit), each finding with the
status supervision.queries derives; cursor pages, bounded queries, 404 problem outside."""

import datetime

import pytest

from shigan.core.testing import assert_same_queries
from shigan.supervision.models import Inspection, InspectionKind
from shigan.supervision.queries import finding_row
from shigan.supervision.tests.helpers import (
    INSPECTION_DATE,
    bulk_findings,
    complete,
    make_finding,
    make_inspection,
)

from .test_task_list import walk

TODAY = "2023-07-20"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)


def test_findings_by_unit_with_their_status(world, token_client):
    inspection = make_inspection(world)
    a = make_finding(world, inspection, unit=world.unit_a)
    b = make_finding(world, inspection, unit=world.unit_b)
    complete(b.task)
    expected = {
        world.coordinator: [a.pk, b.pk],
        world.inspector: [a.pk, b.pk],
        world.leader: [a.pk],
        world.reporter_a: [a.pk],
        world.reporter_b: [b.pk],
    }
    for user, findings in expected.items():
        api, _ = token_client(user, scope="read")
        assert [f["id"] for f in api.get("/api/v1/findings").json()["items"]] == findings, user
        body = api.get(f"/api/v1/inspections/{inspection.pk}").json()
        assert [f["id"] for f in body["findings"]] == findings, user
        assert body["findings_total"] == len(findings)
    api, _ = token_client(world.coordinator)
    today = datetime.date.fromisoformat(TODAY)
    for finding in (a, b):
        body = api.get(f"/api/v1/findings/{finding.pk}").json()
        assert body["status"] == finding_row(finding.pk, today).status
    # a finding's task completed without verification awaits it (待核查)
    assert api.get(f"/api/v1/findings/{b.pk}").json()["status_label"] == "待核查"
    counts = api.get("/api/v1/inspections").json()["items"][0]["findings_by_status"]
    assert counts["awaiting"] == 1 and sum(counts.values()) == 2


def test_outside_the_scope_is_404(world, other_district, token_client):
    inspection = make_inspection(world, units=[world.unit_a])
    finding = make_finding(world, inspection, unit=world.unit_a)
    reporter, _ = token_client(world.reporter_b)
    assert reporter.get("/api/v1/inspections").json()["items"] == []
    for url, detail in [
        (f"/api/v1/inspections/{inspection.pk}", "督查记录不存在或无权查看。"),
        (f"/api/v1/findings/{finding.pk}", "督查问题不存在或无权查看。"),
    ]:
        response = reporter.get(url)
        assert response.status_code == 404 and response.json()["detail"] == detail
        assert response["Content-Type"] == "application/problem+json"
    other, _ = token_client(other_district[0])
    assert other.get(f"/api/v1/inspections/{inspection.pk}").status_code == 404
    assert other.get("/api/v1/findings").json()["items"] == []


def test_finding_pages_and_queries(world, token_client):
    inspection = make_inspection(world)
    bulk_findings(world, inspection, 2)
    api, _ = token_client(world.reporter_a)

    def run():
        response = api.get("/api/v1/findings?limit=100")
        assert response.status_code == 200
        return response

    grow = lambda: bulk_findings(world, inspection, 30)  # noqa: E731
    response = assert_same_queries(run, grow, at_most=5, warm_up=True)
    assert len(response.json()["items"]) == 32
    seen, pages = walk(api, f"/api/v1/findings?limit=10&inspection={inspection.pk}")
    assert len(seen) == len(set(seen)) == 32 and pages == 4


def test_inspection_pages_and_queries(world, token_client):
    first = make_inspection(world)
    bulk_findings(world, first, 3)
    api, _ = token_client(world.coordinator)

    def grow():
        for i in range(12):
            inspection = Inspection.objects.create(
                campaign=world.campaign, topic=f"督查{i}", kind=InspectionKind.SPECIAL,
                date=INSPECTION_DATE,
            )  # fmt: skip
            inspection.units.set([world.unit_a, world.unit_b])

    def run():
        response = api.get("/api/v1/inspections?limit=100")
        assert response.status_code == 200
        return response

    response = assert_same_queries(run, grow, at_most=8, warm_up=True)
    assert len(response.json()["items"]) == 13
    seen, pages = walk(api, "/api/v1/inspections?limit=5")
    assert len(seen) == len(set(seen)) == 13 and pages == 3
