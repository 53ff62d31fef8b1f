"""Pairings: the visits under each, and the 90-day flag at its boundary."""

import datetime

import pytest
from django.urls import reverse

from shigan.core.testing import assert_same_queries
from shigan.grassroots.models import Pairing, PlaceKind, Visit
from shigan.grassroots.queries.pairing import STALE_DAYS, is_stale

D = datetime.date
TODAY = D(2023, 7, 20)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


START = D(2023, 1, 10)


def make_pairing(world, name="张大爷家", started_on=START):
    return Pairing.objects.create(
        campaign=world.campaign, cadre=world.reporter_a.person, target_kind="household",
        target_name=name, place_unit=world.unit_a, started_on=started_on,
    )  # fmt: skip


def make_visit(world, pairing, date, what="帮助申请低保"):
    visit = Visit.objects.create(
        campaign=world.campaign, date=date, unit=world.unit_a, place_kind=PlaceKind.HOUSEHOLD,
        place="张大爷家", what_done=what, pairing=pairing, created_by=world.coordinator,
    )  # fmt: skip
    visit.cadres.add(world.reporter_a.person)
    return visit


def test_the_readme_rule_says_90_days():
    assert STALE_DAYS == 90


def test_a_visit_exactly_90_days_ago_still_counts():
    pairing = Pairing(started_on=D(2023, 1, 1))
    assert not is_stale(pairing, TODAY - datetime.timedelta(days=90), TODAY)
    assert is_stale(pairing, TODAY - datetime.timedelta(days=91), TODAY)


def test_a_new_pairing_counts_from_its_start():
    assert not is_stale(Pairing(started_on=TODAY - datetime.timedelta(days=90)), None, TODAY)
    assert is_stale(Pairing(started_on=TODAY - datetime.timedelta(days=91)), None, TODAY)


def test_an_ended_pairing_is_not_flagged():
    pairing = Pairing(started_on=D(2022, 1, 1), ended_on=D(2023, 3, 1))
    assert not is_stale(pairing, None, TODAY)


def test_the_list_flags_and_the_detail_shows_the_help_given(world, client_for):
    recent = make_pairing(world, "李奶奶家")
    make_visit(world, recent, D(2023, 7, 1), "代办医保报销")
    stale = make_pairing(world, "张大爷家")
    make_visit(world, stale, D(2023, 4, 20))
    client = client_for(world.leader)
    page = client.get(reverse("grassroots:pairing_list")).content.decode()
    assert page.count("超过90天未走访</div>") == 1
    detail = client.get(reverse("grassroots:pairing_detail", args=[recent.pk])).content.decode()
    assert "代办医保报销" in detail and "2023-07-01" in detail


def test_the_list_reads_in_fixed_queries(world, client_for):
    client = client_for(world.coordinator)
    url = reverse("grassroots:pairing_list")
    make_pairing(world)

    def grow():
        for n in range(4):
            pairing = make_pairing(world, f"户{n}")
            make_visit(world, pairing, D(2023, 5, n + 1))

    assert_same_queries(lambda: client.get(url), grow, warm_up=True)


def test_the_detail_reads_in_fixed_queries(world, client_for):
    client = client_for(world.coordinator)
    pairing = make_pairing(world)
    url = reverse("grassroots:pairing_detail", args=[pairing.pk])
    make_visit(world, pairing, D(2023, 5, 1))

    def grow():
        for n in range(4):
            make_visit(world, pairing, D(2023, 6, n + 1))

    assert_same_queries(lambda: client.get(url), grow, warm_up=True)


def test_a_coordinator_pairs_a_cadre(world, client_for):
    data = {
        "cadre": world.leader_person.pk,
        "target_kind": "enterprise",
        "target_name": "兴业机械厂",
        "started_on": "2023-07-01",
    }
    response = client_for(world.coordinator).post(reverse("grassroots:pairing_create"), data)
    assert response.status_code == 302
    assert Pairing.objects.get().target_name == "兴业机械厂"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target_kind": "alien"}, "“alien”不是可选的值，请从列表中选择。"),
        ({"target_name": ""}, "这个字段是必填项"),
        ({"started_on": "2023/07/01"}, "结对日期"),
        ({"started_on": "2099-01-01"}, "结对日期2099-01-01晚于今天"),
        ({"cadre": "abc"}, "人员不存在"),
    ],
)
def test_bad_input_on_a_pairing_is_named(world, client_for, change, message):
    data = {
        "cadre": world.leader_person.pk,
        "target_kind": "enterprise",
        "target_name": "兴业机械厂",
        "started_on": "2023-07-01",
    } | change
    response = client_for(world.coordinator).post(reverse("grassroots:pairing_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Pairing.objects.exists()


def test_a_coordinator_ends_a_pairing_and_it_is_no_longer_flagged(world, client_for):
    pairing = make_pairing(world)
    url = reverse("grassroots:pairing_edit", args=[pairing.pk])
    client = client_for(world.coordinator)
    data = {"target_name": "张大爷家", "note": "已脱贫", "ended_on": "2023-07-01"}
    assert client.post(url, data).status_code == 302
    pairing.refresh_from_db()
    assert pairing.ended_on == D(2023, 7, 1)
    page = client.get(reverse("grassroots:pairing_list")).content.decode()
    assert "超过90天未走访</div>" not in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ended_on": "2022-12-31"}, "早于结对日期2023-01-10"),
        ({"target_name": " "}, "这个字段是必填项"),
        ({"ended_on": "2023-02-29"}, "结束日期"),
    ],
)
def test_bad_input_on_a_pairing_edit_is_named(world, client_for, change, message):
    pairing = make_pairing(world)
    url = reverse("grassroots:pairing_edit", args=[pairing.pk])
    data = {"target_name": "张大爷家", "note": "", "ended_on": ""} | change
    response = client_for(world.coordinator).post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.ended_on is None and pairing.target_name == "张大爷家"
