"""/api/v1/media-reports: every role reads the media reports on his district's campaigns
(publicity.access), a report's task named only where he reads the task
(publicity.queries.media_reports_listed); cursor pages, bounded queries, 404 problem outside."""

import datetime

import pytest

from shigan.core.testing import assert_same_queries
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.publicity.services import media_report_record

from .test_task_list import walk

DAY = datetime.date(2023, 6, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def record(campaign, by, *, title="实干年见闻", task=None):
    return media_report_record(
        campaign=campaign, title=title, outlet="区融媒体中心", level=MediaLevel.choices[0][0],
        date=DAY, by=by, task=task,
    )  # fmt: skip


def test_every_role_reads_the_reports_the_task_where_he_reads_it(world, token_client):
    report = record(world.campaign, world.coordinator, task=world.task_a)
    for user, task_id in [
        (world.coordinator, world.task_a.pk),
        (world.reporter_a, world.task_a.pk),
        (world.reporter_b, None),  # task A is not his: the page does not link it either
    ]:
        api, _ = token_client(user, scope="read")
        (item,) = api.get("/api/v1/media-reports").json()["items"]
        assert (item["id"], item["task_id"]) == (report.pk, task_id), user
        assert api.get(f"/api/v1/media-reports/{report.pk}").json()["task_id"] == task_id


def test_another_districts_report_is_404(world, other_district, token_client):
    other_coordinator, other_task = other_district
    theirs = record(other_task.campaign, other_coordinator, title="高新区报道")
    ours, _ = token_client(world.reporter_a)
    assert ours.get("/api/v1/media-reports").json()["items"] == []
    response = ours.get(f"/api/v1/media-reports/{theirs.pk}")
    assert response.status_code == 404 and response.json()["detail"] == "宣传报道不存在或无权查看。"
    assert response["Content-Type"] == "application/problem+json"


def test_media_report_pages_and_queries(world, token_client):
    for i in range(2):
        record(world.campaign, world.coordinator, title=f"报道{i}", task=world.task_a)
    api, _ = token_client(world.leader)

    def grow():
        MediaReport.objects.bulk_create(
            MediaReport(campaign=world.campaign, title=f"批量{i}", outlet="日报",
                        title_key=f"批量{i}", outlet_key="日报",
                        level=MediaLevel.choices[0][0], date=DAY, task=world.task_b)
            for i in range(30)
        )  # fmt: skip

    def run():
        response = api.get("/api/v1/media-reports?limit=100")
        assert response.status_code == 200
        return response

    # token, person, the page of ids, the leader's units (oversight, their subtree), the rows
    response = assert_same_queries(run, grow, at_most=6, warm_up=True)
    assert len(response.json()["items"]) == 32
    seen, pages = walk(api, f"/api/v1/media-reports?limit=10&campaign={world.campaign.pk}")
    assert len(seen) == len(set(seen)) == 32 and pages == 4
