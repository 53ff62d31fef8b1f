def test_reporter_sees_own_task_and_not_other_units(world, client_for):
    c = client_for(world.reporter_a)
    assert c.get(f"/tasks/{world.task_a.pk}/").status_code == 200
    assert c.get(f"/tasks/{world.task_b.pk}/").status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(f"/tasks/{world.task_a.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
