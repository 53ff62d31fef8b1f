def test_coordinator_lists_tasks(world, token_client):
    client, _ = token_client(world.coordinator)
    response = client.get("/api/v1/tasks")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [t["id"] for t in body["items"]] == [world.task_a.pk, world.task_b.pk]
    assert body["next"] is None
