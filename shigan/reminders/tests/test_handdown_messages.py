"""A hand-down arriving at a district, withdrawn from it, or chased by the upper level lands in
the district coordinators' inbox (新交办：… / 交办已撤回：… / 催办：…). Reminders (above directives)
sweeps the hand-downs not yet told: in the daily run (remind_run) and at once when a district
coordinator opens his inbox; his unread count counts them before. Each event is told once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shigan.directives.services import handdown_create, handdown_withdraw
from shigan.directives.tests.factories import build_county
from shigan.orgs.models import Role
from shigan.reminders.models import Message, MessageKind
from shigan.reminders.queries import inbox_unread_count
from shigan.reminders.services import remind_run
from shigan.reminders.services.handdowns import (
    district_coordinators,
    handdown_chase_send,
    handdown_messages_sweep,
)
from shigan.testing import make_user

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def county(db):
    return build_county()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def hand_down(county, index=0):
    (made,) = handdown_create(
        by=county.coordinator, upper_task=county.upper_task,
        units=[county.districts[index].unit], note="9月底前完成", today=TODAY,
    )  # fmt: skip
    return made


def test_a_hand_down_arriving_messages_only_the_receiving_districts_coordinators(county):
    first, second = county.districts
    helper, _ = make_user("d1_helper", unit=first.bureau, role=Role.COORDINATOR, name="区专班二")
    make_user("d1_reporter", unit=first.bureau, role=Role.REPORTER, name="填报员")
    handdown = hand_down(county)
    assert not Message.objects.exists()  # told by the sweep, not inside the hand-down's write
    assert len(handdown_messages_sweep()) == 2
    sent = Message.objects.filter(record_type="directives.handdown", record_id=handdown.pk)
    assert {m.recipient for m in sent} == {first.coordinator, helper}
    message = sent.first()
    assert message.title == "新交办：优化营商环境专项行动" and message.kind == MessageKind.REMINDER
    assert "县委办交办任务“优化营商环境专项行动”" in message.body and "9月底前完成" in message.body
    assert message.link == reverse("directives:inbox") and message.sender == county.coordinator
    assert not Message.objects.filter(recipient=second.coordinator).exists()


def test_withdrawing_messages_the_district_with_the_reason(county):
    handdown = hand_down(county)
    handdown_messages_sweep()
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="交办对象有误", today=TODAY)
    handdown_messages_sweep()
    last = Message.objects.filter(recipient=county.districts[0].coordinator).order_by("id").last()
    assert last.title == "交办已撤回：优化营商环境专项行动"
    assert "撤回理由：交办对象有误" in last.body


def test_a_refused_hand_down_sends_nothing(county):
    with pytest.raises(Exception):  # noqa: B017 — the refusal's type is the service's business
        handdown_create(by=county.coordinator, upper_task=county.upper_task,
                        units=[county.districts[0].unit, county.districts[1].bureau],
                        today=TODAY)  # fmt: skip
    handdown_messages_sweep()
    assert not Message.objects.exists()


def test_the_district_coordinator_reads_it_in_his_inbox_at_once(county, client_for):
    hand_down(county)
    coordinator = county.districts[0].coordinator
    assert inbox_unread_count(coordinator) == 1  # counted before it is written
    assert inbox_unread_count(county.districts[1].coordinator) == 0
    page = client_for(coordinator).get(reverse("reminders:inbox"))
    assert "新交办：优化营商环境专项行动" in page.content.decode()
    assert Message.objects.filter(recipient=coordinator, title__startswith="新交办：").count() == 1
    assert inbox_unread_count(coordinator) == 1  # the message now, not the event as well


def test_each_event_is_told_once_whoever_sweeps(county, client_for):
    handdown = hand_down(county)
    coordinator = county.districts[0].coordinator
    client_for(coordinator).get(reverse("reminders:inbox"))
    assert remind_run(today=TODAY, now=timezone.now(), send=False).handdown_messages == 0
    assert handdown_messages_sweep() == []
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="交办对象有误", today=TODAY)
    assert inbox_unread_count(coordinator) == 2
    assert remind_run(today=TODAY, now=timezone.now(), send=False).handdown_messages == 1
    client_for(coordinator).get(reverse("reminders:inbox"))
    titles = list(Message.objects.filter(recipient=coordinator).values_list("title", flat=True))
    assert sorted(titles) == ["交办已撤回：优化营商环境专项行动", "新交办：优化营商环境专项行动"]


def test_the_daily_run_tells_every_district(county):
    hand_down(county, 0), hand_down(county, 1)
    assert remind_run(today=TODAY, now=timezone.now(), send=False).handdown_messages == 2
    first, second = (d.coordinator for d in county.districts)
    assert Message.objects.filter(recipient=first, title__startswith="新交办：").count() == 1
    assert Message.objects.filter(recipient=second, title__startswith="新交办：").count() == 1


def test_an_answered_or_untold_withdrawn_hand_down_is_not_told_any_more(county):
    handdown = hand_down(county)
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="交办对象有误", today=TODAY)
    assert handdown_messages_sweep() == []  # never told of its arrival: nothing to take back


def test_the_sweep_costs_the_same_for_one_or_two_events(county, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert handdown_messages_sweep() == []
    first, _ = hand_down(county, 0), hand_down(county, 1)
    with django_assert_num_queries(7):  # a savepoint and its release: the write's transaction
        assert len(handdown_messages_sweep()) == 2
    handdown_withdraw(by=county.coordinator, handdown=first, reason="交办对象有误", today=TODAY)
    with django_assert_num_queries(7):  # a savepoint and its release: the write's transaction
        assert len(handdown_messages_sweep()) == 1


def test_chasing_a_hand_down_messages_the_district_and_is_audited(county):
    handdown = hand_down(county)
    sent = handdown_chase_send(by=county.coordinator, handdown=handdown, text="")
    assert [m.recipient for m in sent] == district_coordinators(county.districts[0].unit.pk)
    assert sent[0].title == "催办：交办任务“优化营商环境专项行动”"
    assert sent[0].kind == MessageKind.ITEM_CHASE and "请尽快接收" in sent[0].body


def test_the_district_coordinators_cockpit_lists_the_new_hand_down_first(county, client_for):
    hand_down(county)
    handdown_messages_sweep()
    district = county.districts[0]
    page = client_for(district.coordinator).get(f"/map/cockpit/?campaign={district.campaign.pk}")
    cards = page.context["data"].grid
    assert cards[0].key == "handdowns" and cards[0].value == 1
    assert cards[0].items[0].label == "新交办：优化营商环境专项行动"
    assert cards[0].items[0].value == "已等待0个工作日"
    assert "新交办：优化营商环境专项行动" in page.content.decode()
    other = client_for(county.districts[1].coordinator)
    page = other.get(f"/map/cockpit/?campaign={county.districts[1].campaign.pk}")
    assert "handdowns" not in {c.key for c in page.context["data"].cards}
