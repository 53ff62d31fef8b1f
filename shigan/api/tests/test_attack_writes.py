"""The API's writes tried as an outsider would (found on the demo): an id of another
district's record answers the same 404 as an id that does not exist (its detail too: a
different message tells an outsider which ids exist)."""

import datetime


def test_another_districts_phase_or_section_reads_as_one_that_does_not_exist(
    world, other_district, token_client
):
    from shigan.campaigns.models import Phase, PlanSection

    stranger, _ = token_client(other_district[0])
    section = PlanSection.objects.create(campaign=world.campaign, kind="goals", body="目标")
    phase = Phase.objects.create(
        campaign=world.campaign, name="动员部署",
        start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2023, 2, 28),
    )  # fmt: skip
    for url, missing in (
        (f"/api/v1/phases/{phase.pk}", f"/api/v1/phases/{phase.pk + 1000}"),
        (f"/api/v1/plan-sections/{section.pk}", f"/api/v1/plan-sections/{section.pk + 1000}"),
    ):
        theirs, none = stranger.delete(url), stranger.delete(missing)
        assert theirs.status_code == none.status_code == 404
        assert theirs.json() == none.json(), url  # was 活动不存在。 against 活动阶段不存在。
    assert Phase.objects.filter(pk=phase.pk).exists()


def test_several_refusals_read_as_one_sentence(world, other_district, token_client):
    """Each of the form's messages ends with 。: joined as they are, the detail read
    “所选活动不存在，请重新选择。；所选类别不存在…” (seen on POST /tasks on the demo)."""
    api, _ = token_client(world.coordinator)
    theirs = other_district[1]
    body = {
        "campaign": theirs.campaign_id, "category": theirs.category_id, "number": 5,
        "title": "越区任务", "lead_unit": theirs.lead_unit_id,
        "start_date": "2023-07-01", "due_date": "2023-12-31",
    }  # fmt: skip
    refused = api.post("/api/v1/tasks", body, content_type="application/json")
    assert refused.status_code == 422, refused.content
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == ["campaign", "category", "lead_unit"]
    assert refused.json()["detail"] == (
        "所选活动不存在，请重新选择；所选类别不存在，请重新选择；所选单位不存在，请重新选择。"
    )
    assert errors[0]["detail"] == "所选活动不存在，请重新选择。"  # each its own sentence
