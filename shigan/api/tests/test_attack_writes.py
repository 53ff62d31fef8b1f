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
