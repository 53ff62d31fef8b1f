"""The random draw (抽查): reproducible from its recorded seed and population, of the right size,
and refused with a message when the share or the population is wrong."""

import datetime
import math
import random

import pytest
from django.core.exceptions import ValidationError

from shigan.core.models import AuditEntry
from shigan.supervision.draw import draw, draw_size
from shigan.supervision.models import SpotCheck
from shigan.supervision.services import spot_check_draw
from shigan.tasks.models import Task, TaskState


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def done_tasks(world, n, *, unit=None, origin="list", state=TaskState.COMPLETED) -> list[Task]:
    return Task.objects.bulk_create(
        Task(
            campaign=world.campaign,
            category=world.category,
            number=10 + i,
            title=f"已办结事项{i}",
            lead_unit=unit or world.unit_a,
            start_date=datetime.date(2023, 1, 1),
            due_date=datetime.date(2023, 6, 30),
            origin=origin,
            state=state,
            closed_on=datetime.date(2023, 6, 30) if state != TaskState.ACTIVE else None,
        )
        for i in range(n)
    )


@pytest.mark.parametrize(
    "share, n, k", [(15, 10, 2), (50, 7, 4), (1, 3, 1), (100, 10, 10), (10, 100, 10), (33, 1, 1)]
)
def test_draw_size_is_share_of_population_rounded_up(share, n, k):
    assert draw_size(share, n) == k == math.ceil(share * n / 100)
    assert len(draw(list(range(n)), share, "种子")) == k


def test_draw_is_random_sample_of_sorted_population_with_the_seed():
    population = [9, 3, 7, 1, 5]
    assert draw(population, 40, "2023抽查") == random.Random("2023抽查").sample([1, 3, 5, 7, 9], 2)


def test_same_seed_and_population_give_the_same_draw(world):
    done_tasks(world, 20)
    first = spot_check_draw(campaign=world.campaign, share=25, by=world.inspector, seed="abc")
    second = spot_check_draw(campaign=world.campaign, share=25, by=world.inspector, seed="abc")
    assert first.population == second.population
    assert first.drawn == second.drawn and len(first.drawn) == 5
    assert first.reproduces()


def test_different_seeds_generally_give_different_draws(world):
    population = list(range(1, 101))
    draws = {tuple(draw(population, 10, f"seed-{i}")) for i in range(20)}
    assert len(draws) == 20


def test_population_is_completed_tasks_in_id_order_within_scope(world):
    in_a = done_tasks(world, 3)
    in_b = done_tasks(world, 2, unit=world.unit_b, origin="finding")
    done_tasks(world, 4, state=TaskState.ACTIVE)
    done_tasks(world, 1, state=TaskState.CANCELLED)
    check = spot_check_draw(campaign=world.campaign, share=100, by=world.inspector, seed="x")
    assert check.population == sorted(t.pk for t in in_a + in_b)
    assert sorted(check.drawn) == check.population
    only_b = spot_check_draw(
        campaign=world.campaign, share=100, by=world.inspector, seed="x", unit=world.unit_b
    )
    assert only_b.population == [t.pk for t in in_b]
    findings = spot_check_draw(
        campaign=world.campaign, share=100, by=world.inspector, seed="x", origin="finding"
    )
    assert findings.population == [t.pk for t in in_b]


def test_generated_seed_is_recorded_and_redraws(world):
    done_tasks(world, 12)
    check = spot_check_draw(campaign=world.campaign, share=30, by=world.coordinator)
    check.refresh_from_db()
    assert len(check.seed) == 16
    assert check.drawn == draw(check.population, 30, check.seed)
    entry = AuditEntry.objects.get(record_type="supervision.spotcheck")
    assert check.seed in entry.note and "12项" in entry.note


@pytest.mark.parametrize("share", [0, 101, -5, None])
def test_share_outside_1_to_100_is_refused(world, share):
    done_tasks(world, 5)
    with pytest.raises(ValidationError, match="抽查比例须在1%到100%之间"):
        spot_check_draw(campaign=world.campaign, share=share, by=world.inspector)
    assert SpotCheck.objects.count() == 0


@pytest.mark.parametrize("share", [1, 100])
def test_share_bounds_are_accepted(world, share):
    done_tasks(world, 5)
    assert spot_check_draw(campaign=world.campaign, share=share, by=world.inspector)


def test_empty_population_is_refused(world):
    done_tasks(world, 3, state=TaskState.ACTIVE)
    with pytest.raises(ValidationError, match="没有已办结的事项，无法抽查"):
        spot_check_draw(campaign=world.campaign, share=50, by=world.inspector)
    assert SpotCheck.objects.count() == 0


def test_inspector_draws_and_the_page_confirms_the_redraw(world, client_for):
    done_tasks(world, 10)
    client = client_for(world.inspector)
    response = client.post(
        "/supervision/spot-checks/draw/",
        {"campaign": world.campaign.pk, "share": "20", "seed": "  公开种子  ", "note": "月度抽查"},
    )
    check = SpotCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    assert check.seed == "公开种子" and len(check.drawn) == 2
    body = client.get(check.get_absolute_url()).content.decode()
    assert "复核：重新抽取结果一致" in body
    for pk in check.drawn:
        assert f"/tasks/{pk}/" in body


def test_a_tampered_record_fails_the_redraw(world, client_for):
    done_tasks(world, 10)
    check = spot_check_draw(campaign=world.campaign, share=20, by=world.inspector, seed="s")
    others = [pk for pk in check.population if pk not in check.drawn]
    SpotCheck.objects.filter(pk=check.pk).update(drawn=[others[0], check.drawn[1]])
    body = client_for(world.coordinator).get(check.get_absolute_url()).content.decode()
    assert "复核：重新抽取结果不一致" in body


@pytest.mark.parametrize(
    "share, message",
    [("0", "抽查比例须在1%到100%之间。"), ("150", "抽查比例须在1%到100%之间。")],
)
def test_bad_share_on_the_form_shows_the_message(world, client_for, share, message):
    done_tasks(world, 3)
    response = client_for(world.inspector).post(
        "/supervision/spot-checks/draw/", {"campaign": world.campaign.pk, "share": share}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert SpotCheck.objects.count() == 0


def test_draw_with_nothing_completed_shows_the_message(world, client_for):
    response = client_for(world.inspector).post(
        "/supervision/spot-checks/draw/",
        {"campaign": world.campaign.pk, "share": "10", "unit": world.unit_b.pk},
    )
    assert response.status_code == 200
    assert "区水务局范围内没有已办结的事项，无法抽查。" in response.content.decode()


def test_unknown_unit_on_the_form_is_refused(world, client_for):
    done_tasks(world, 3)
    response = client_for(world.inspector).post(
        "/supervision/spot-checks/draw/",
        {"campaign": world.campaign.pk, "share": "10", "unit": "999999"},
    )
    assert response.status_code == 200
    assert "单位不存在，请重新选择。" in response.content.decode()
    assert SpotCheck.objects.count() == 0
