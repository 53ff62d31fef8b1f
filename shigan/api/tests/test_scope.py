"""What a token reads is what its user reads on the pages (tasks.access, campaigns.access,
orgs.scope): a reporter his unit's tasks, a coordinator his district's, nobody another
district's — a task outside the scope is a 404 problem, as a page's."""

import datetime

from shigan.tasks.models import ChangeKind, ChangeRequest


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_each_persona_lists_the_tasks_of_his_scope(world, other_district, token_client):
    other_coordinator, other_task = other_district
    expected = {
        world.coordinator: [world.task_a.pk, world.task_b.pk],
        world.reporter_a: [world.task_a.pk],
        world.reporter_b: [world.task_b.pk],
        world.leader: [world.task_a.pk],
        other_coordinator: [other_task.pk],
    }
    for user, tasks in expected.items():
        client, _ = token_client(user, scope="read")
        assert ids(client.get("/api/v1/tasks")) == tasks, user


def test_a_task_outside_the_scope_is_404_problem(world, other_district, token_client):
    _, other_task = other_district
    reporter, _ = token_client(world.reporter_a)
    coordinator, _ = token_client(world.coordinator)
    for client, task in [(reporter, world.task_b), (coordinator, other_task)]:
        for url in (f"/api/v1/tasks/{task.pk}", f"/api/v1/tasks/{task.pk}/change-requests"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert response["Content-Type"] == "application/problem+json"
            body = response.json()
            assert body["status"] == 404 and body["title"] == "不存在或无权查看"
            assert body["detail"] == "任务不存在或无权查看。"
    assert coordinator.get(f"/api/v1/tasks/{world.task_b.pk}").status_code == 200
    assert coordinator.get("/api/v1/tasks/999999999").status_code == 404


def test_units_are_the_scope_of_orgs(world, other_district, token_client):
    reporter, _ = token_client(world.reporter_a)
    units = reporter.get("/api/v1/units").json()
    assert [u["id"] for u in units] == [world.unit_a.pk]
    coordinator, _ = token_client(world.coordinator)
    names = {u["name"] for u in coordinator.get("/api/v1/units").json()}
    assert {"示范区党委政府", "区交通局", "区水务局"} <= names
    assert not names & {"高新区党委政府", "高新区交通局"}
    tree = {u["name"]: u for u in coordinator.get("/api/v1/units").json()}
    assert tree["区交通局"]["parent_id"] == world.district.pk


def test_campaigns_are_those_of_the_callers_district(world, other_district, token_client):
    reporter, _ = token_client(world.reporter_a)
    assert [c["id"] for c in reporter.get("/api/v1/campaigns").json()] == [world.campaign.pk]
    other, _ = token_client(other_district[0])
    assert [c["name"] for c in other.get("/api/v1/campaigns").json()] == ["高新区实干年"]


def test_task_detail_holds_milestones_and_reports(world, token_client):
    client, _ = token_client(world.reporter_a)
    body = client.get(f"/api/v1/tasks/{world.task_a.pk}").json()
    assert body["title"] == "兴业大道建设" and body["lead_unit"] == "区交通局"
    assert [m["title"] for m in body["milestones"]] == ["完成规划设计", "完成整体方案"]
    assert body["milestones"][0]["done_on"] == "2023-05-20"
    assert body["progress_reports"] == [] and body["latest_progress"] is None
    assert body["status"] in {"on_track", "behind", "nearing", "overdue", "not_started"}


def test_change_requests_of_a_task(world, token_client):
    ChangeRequest.objects.create(
        task=world.task_a,
        kind=ChangeKind.EXTEND,
        reason="征拆滞后",
        proposed_due_date=datetime.date(2024, 3, 31),
        requested_by=world.reporter_a,
    )
    client, _ = token_client(world.reporter_a)
    (request,) = client.get(f"/api/v1/tasks/{world.task_a.pk}/change-requests").json()
    assert request["reason"] == "征拆滞后" and request["proposed_due_date"] == "2024-03-31"
    assert request["state_label"]
