"""Practice activities: counts by activity, unit and month on known data; entering events."""

import datetime

import pytest
from django.urls import reverse

from shigan.core.testing import assert_same_queries
from shigan.grassroots.models import PracticeActivity, PracticeEvent, Visit
from shigan.grassroots.queries.practice import practice_counts

D = datetime.date


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def activities(world):
    red = PracticeActivity.objects.create(campaign=world.campaign, name="红色屋场", sort_order=1)
    env = PracticeActivity.objects.create(
        campaign=world.campaign, name="美好环境与幸福生活共同缔造", sort_order=2
    )
    return red, env


def event(world, activity, date, unit, participants, beneficiaries):
    return PracticeEvent.objects.create(
        activity=activity, date=date, place="村部", organiser=unit, participants=participants,
        beneficiaries=beneficiaries, summary="活动", created_by=world.coordinator,
    )  # fmt: skip


def tallies(rows):
    return [(t.label, t.events, t.participants, t.beneficiaries) for t in rows]


def test_counts_by_activity_unit_and_month(world, activities):
    red, env = activities
    event(world, red, D(2023, 5, 10), world.unit_a, 30, 100)
    event(world, red, D(2023, 6, 2), world.unit_b, 20, 50)
    event(world, env, D(2023, 6, 30), world.unit_a, 15, 0)
    counts = practice_counts(PracticeEvent.objects.all())
    assert tallies(counts.by_activity) == [
        ("红色屋场", 2, 50, 150),
        ("美好环境与幸福生活共同缔造", 1, 15, 0),
    ]
    units = {t[0]: t[1:] for t in tallies(counts.by_unit)}
    assert units == {"区交通局": (2, 45, 100), "区水务局": (1, 20, 50)}
    assert tallies(counts.by_month) == [("2023年05月", 1, 30, 100), ("2023年06月", 2, 35, 50)]
    assert (counts.total.events, counts.total.participants, counts.total.beneficiaries) == (
        3,
        65,
        150,
    )


def test_a_reporter_counts_his_units_events_only(world, activities, client_for):
    red, _ = activities
    event(world, red, D(2023, 5, 10), world.unit_a, 30, 100)
    event(world, red, D(2023, 6, 2), world.unit_b, 20, 50)
    page = client_for(world.reporter_b).get(reverse("grassroots:practice_list")).content.decode()
    assert "共开展1次，参与20人次" in page


def test_the_page_reads_in_fixed_queries(world, activities, client_for):
    red, env = activities
    client = client_for(world.coordinator)
    url = reverse("grassroots:practice_list")
    event(world, red, D(2023, 5, 10), world.unit_a, 30, 100)

    def grow():
        for n in range(1, 6):
            event(world, env if n % 2 else red, D(2023, n, 3), world.unit_b, n, n)

    assert_same_queries(lambda: client.get(url), grow, warm_up=True)


def test_a_reporter_enters_an_event_of_his_unit_only(world, activities, client_for):
    red, _ = activities
    data = {
        "activity": red.pk,
        "date": "2023-07-01",
        "place": "兴业村红色屋场",
        "organiser": world.unit_a.pk,
        "participants": "40",
        "beneficiaries": "120",
        "summary": "党员宣讲",
    }
    url = reverse("grassroots:practice_event_create")
    client = client_for(world.reporter_a)
    assert client.post(url, data).status_code == 302
    assert PracticeEvent.objects.get().organiser == world.unit_a
    response = client.post(url, data | {"organiser": world.unit_b.pk})
    assert "单位不存在，请重新选择" in response.content.decode()
    assert PracticeEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "2023-08-01"}, "晚于今天"),
        ({"participants": "0"}, "确保该值大于或等于1"),
        ({"participants": "十"}, "参与人数"),
        ({"participants": "1²"}, "参与人数“1²”不是数字"),
        ({"participants": "3000000000"}, "确保该值小于或等于1000000"),
        ({"beneficiaries": "3000000000"}, "确保该值小于或等于1000000"),
        ({"summary": ""}, "这个字段是必填项"),
        ({"activity": "999999"}, "实践活动不存在"),
    ],
)
def test_bad_input_on_an_event_is_named(world, activities, client_for, change, message):
    data = {
        "activity": activities[0].pk,
        "date": "2023-07-01",
        "place": "兴业村",
        "organiser": world.unit_a.pk,
        "participants": "40",
        "summary": "党员宣讲",
    } | change
    url = reverse("grassroots:practice_event_create")
    response = client_for(world.coordinator).post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PracticeEvent.objects.exists()


def test_a_coordinator_names_an_activity_once(world, client_for):
    client = client_for(world.coordinator)
    url = reverse("grassroots:practice_activity_create")
    data = {"name": "下基层察民情解民忧暖民心"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert "已存在" in response.content.decode()
    assert PracticeActivity.objects.count() == 1


def test_an_event_may_name_a_visit_the_user_reads(world, activities, client_for):
    own = Visit.objects.create(
        campaign=world.campaign, date=D(2023, 6, 30), unit=world.unit_a, place_kind="village",
        place="兴业村", what_done="走访", created_by=world.coordinator,
    )  # fmt: skip
    other = Visit.objects.create(
        campaign=world.campaign, date=D(2023, 6, 30), unit=world.unit_b, place_kind="village",
        place="清凉村", what_done="走访", created_by=world.coordinator,
    )  # fmt: skip
    data = {
        "activity": activities[0].pk,
        "date": "2023-07-01",
        "place": "兴业村",
        "organiser": world.unit_a.pk,
        "participants": "40",
        "summary": "党员宣讲",
    }
    url = reverse("grassroots:practice_event_create")
    client = client_for(world.reporter_a)
    response = client.post(url, data | {"visit": other.pk})
    assert "走访记录不存在" in response.content.decode()
    response = client.post(url, data | {"visit": own.pk})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert PracticeEvent.objects.get().visit == own


def test_a_coordinator_renames_an_activity_but_not_to_anothers_name(world, activities, client_for):
    red, env = activities
    url = reverse("grassroots:practice_activity_edit", args=[red.pk])
    client = client_for(world.coordinator)
    response = client.post(url, {"name": env.name})
    assert "已存在" in response.content.decode()
    assert client.post(url, {"name": "红色屋场议事会", "description": "屋场会"}).status_code == 302
    red.refresh_from_db()
    assert red.name == "红色屋场议事会"
    assert client_for(world.reporter_a).post(url, {"name": "x"}).status_code == 403
