"""Delivery: queueing digests and messages for email and the units' robots (each once, the
person's choices respected), quiet hours, and deliver_pending against a real local HTTP server
standing in for the robots — retries at the documented minutes (1, 5, 30, 120, 720), 发送失败
after 6 attempts, a failing channel never blocking another."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from shigan.orgs.models import Person
from shigan.reminders import channels
from shigan.reminders.models import (
    Channel,
    Delivery,
    DeliveryPreference,
    DeliveryState,
    Digest,
    Message,
    MessageKind,
    Notice,
    Reminder,
    RuleKind,
    UnitRobot,
)
from shigan.reminders.quiet import parse_quiet_hours, quiet_until
from shigan.reminders.services import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    DeliveryTally,
    deliver_pending,
    deliveries_for_digest,
    deliveries_for_digests,
    deliveries_for_message,
    deliveries_for_messages,
    deliveries_for_robots,
)
from shigan.reminders.services.delivery import _deliver_one

from .fake_robot import running_robot

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2023, 7, 31)
NINE = datetime.datetime(2023, 7, 31, 9, 0, tzinfo=TZ)
PHONE_A = "13800001111"


@pytest.fixture(autouse=True)
def email_on(settings):
    settings.SHIGAN_EMAIL_ENABLED = True
    settings.SHIGAN_SITE_URL = "https://shigan.example.gov.cn"
    settings.SHIGAN_QUIET_HOURS = "22:00-08:00"


@pytest.fixture
def robot_server(settings):
    yield from running_robot(settings)


@pytest.fixture
def people(world):
    world.reporter_a.email = "wang@example.gov.cn"
    world.reporter_a.save()
    Person.objects.filter(user=world.reporter_a).update(phone=f"{PHONE_A[:3]} {PHONE_A[3:]}")
    return world


def _reminder(world, unit, text="兴业大道建设：距完成整体方案还有 3 个工作日", record_id=1, to=()):
    reminder = Reminder.objects.create(
        kind=RuleKind.NEARING, campaign=world.campaign, unit=unit, record_type="tasks.task",
        record_id=record_id, anchor="2023-08-03", fired_on=DAY, text=text,
        link=f"/tasks/{record_id}/",
    )  # fmt: skip
    Notice.objects.bulk_create(Notice(reminder=reminder, recipient=u) for u in to)
    return reminder


def _digest(user, title="7月31日提醒：临期提醒 1 项", body="1. 兴业大道建设临期"):
    message = Message.objects.create(
        recipient=user, kind=MessageKind.REMINDER, title=title, body=body
    )
    return Digest.objects.create(recipient=user, day=DAY, message=message)


def _robot(unit, channel=Channel.DINGTALK, webhook="", secret="SECabc", enabled=True):
    return UnitRobot.objects.create(
        unit=unit, channel=channel, webhook=webhook or "https://oapi.dingtalk.com/robot/send?access_token=t",
        secret=secret, enabled=enabled,
    )  # fmt: skip


# --- queueing ---------------------------------------------------------------------------------


def test_a_digest_is_queued_by_email_once(people):
    digest = _digest(people.reporter_a)
    reminder = _reminder(people, people.unit_a, to=[people.reporter_a])
    (delivery,) = deliveries_for_digest(digest=digest, reminders=[reminder], now=NINE)
    assert delivery.key == f"digest:{digest.pk}:email"
    assert delivery.channel == Channel.EMAIL and delivery.recipient == people.reporter_a
    assert delivery.title == "7月31日提醒：临期提醒 1 项"
    assert "1. 兴业大道建设：距完成整体方案还有 3 个工作日" in delivery.body
    assert "https://shigan.example.gov.cn/tasks/1/" in delivery.body
    assert "王填报，您好" in delivery.body and "提醒方式" in delivery.body
    assert "2023年7月31日 给您的提醒" in delivery.body  # dates as every page writes them
    assert delivery.state == DeliveryState.PENDING and delivery.next_attempt_at == NINE
    assert deliveries_for_digest(digest=digest, reminders=[reminder], now=NINE) == []
    assert Delivery.objects.count() == 1


def test_no_email_is_queued_without_an_address_a_mail_server_or_consent(people, settings):
    with_address, without = _digest(people.reporter_a), _digest(people.reporter_b)
    DeliveryPreference.objects.create(user=people.reporter_a, email=False)
    assert deliveries_for_digests(digests=[(with_address, []), (without, [])], now=NINE) == []
    DeliveryPreference.objects.filter(user=people.reporter_a).update(email=True)
    settings.SHIGAN_EMAIL_ENABLED = False
    assert deliveries_for_digest(digest=with_address, reminders=[], now=NINE) == []
    settings.SHIGAN_EMAIL_ENABLED = True
    (delivery,) = deliveries_for_digest(digest=with_address, reminders=[], now=NINE)
    assert "1. 兴业大道建设临期" in delivery.body  # no reminders given: the digest's own text


def test_digests_are_queued_in_a_fixed_number_of_queries(people, django_assert_num_queries):
    people.reporter_b.email = "zhao@example.gov.cn"
    people.reporter_b.save()
    one = [(_digest(people.reporter_a), [])]
    # A savepoint, the users, the digests' messages, the keys known, the insert, the read
    # back, the savepoint's release.
    with django_assert_num_queries(7):
        assert len(deliveries_for_digests(digests=one, now=NINE)) == 1
    two = [(_digest(people.reporter_b), []), (_digest(people.coordinator), [])]
    people.coordinator.email = "zhou@example.gov.cn"
    people.coordinator.save()
    two = [(Digest.objects.get(pk=d.pk), rs) for d, rs in two]  # nothing cached on them
    with django_assert_num_queries(7):
        assert len(deliveries_for_digests(digests=two, now=NINE)) == 2


def test_each_enabled_robot_of_a_unit_gets_one_message_a_day_mentioning_its_people(people):
    ding, wecom = _robot(people.unit_a), _robot(people.unit_a, channel=Channel.WECOM,
                                                webhook="https://qyapi.weixin.qq.com/x?key=k")  # fmt: skip
    _robot(people.unit_a, enabled=False)
    robot_b = _robot(people.unit_b)
    a1 = _reminder(people, people.unit_a, to=[people.reporter_a, people.leader])
    a2 = _reminder(
        people, people.unit_a, text="清凉河治理逾期", record_id=2, to=[people.reporter_a]
    )
    b1 = _reminder(people, people.unit_b, text="水务局事项", record_id=3, to=[people.reporter_b])
    queued = deliveries_for_robots(
        day=DAY, reminders_by_unit={people.unit_a: [a1, a2], people.unit_b: [b1]}, now=NINE
    )
    assert {d.robot for d in queued} == {ding, wecom, robot_b}
    first = next(d for d in queued if d.robot == ding)
    assert first.key == f"robot:{ding.pk}:2023-07-31"
    assert first.title == "实干提醒：区交通局 2023-07-31"
    assert first.body.splitlines() == [
        "1. 兴业大道建设：距完成整体方案还有 3 个工作日 [查看](https://shigan.example.gov.cn/tasks/1/)",
        "2. 清凉河治理逾期 [查看](https://shigan.example.gov.cn/tasks/2/)",
    ]
    # The unit's own people only (the leader works elsewhere), by mobile number.
    assert first.mentions == [PHONE_A]
    assert next(d for d in queued if d.robot == robot_b).mentions == []  # no phone
    again = deliveries_for_robots(day=DAY, reminders_by_unit={people.unit_a: [a1]}, now=NINE)
    assert again == []
    tomorrow = DAY + datetime.timedelta(days=1)
    assert len(deliveries_for_robots(day=tomorrow, reminders_by_unit={people.unit_a: [a1]},
                                     now=NINE)) == 2  # fmt: skip


def test_a_person_who_declines_mentions_is_not_mentioned(people):
    _robot(people.unit_a)
    DeliveryPreference.objects.create(user=people.reporter_a, robot_mention=False)
    reminder = _reminder(people, people.unit_a, to=[people.reporter_a])
    (delivery,) = deliveries_for_robots(
        day=DAY, reminders_by_unit={people.unit_a: [reminder]}, now=NINE
    )
    assert delivery.mentions == []


def test_a_chase_goes_by_email_to_each_reporter_and_once_to_the_units_robots(people):
    robot = _robot(people.unit_a)
    second, _ = people.reporter_a.__class__.objects.get_or_create(username="reporter_a2")
    Person.objects.create(name="孙填报", unit=people.unit_a, user=second, phone="13900002222")
    second.email = "sun@example.gov.cn"
    second.save()
    messages = [
        Message.objects.create(
            recipient=user,
            kind=MessageKind.REPORT_CHASE,
            title="催报：2023年7月工作进展",
            body="请于8月7日前报送。",
            link="/monthly/?period=2023-07",
            sender=people.coordinator,
        )  # fmt: skip
        for user in (people.reporter_a, second)
    ]
    queued = deliveries_for_messages(messages=messages, unit=people.unit_a, key="chase:b1:5",
                                     now=NINE)  # fmt: skip
    keys = sorted(d.key for d in queued)
    assert keys == sorted([f"chase:b1:5:email:{people.reporter_a.pk}",
                           f"chase:b1:5:email:{second.pk}", f"chase:b1:5:robot:{robot.pk}"])  # fmt: skip
    robot_delivery = next(d for d in queued if d.robot_id)
    assert robot_delivery.title == "实干平台催报：2023年7月工作进展（区交通局）"
    assert robot_delivery.mentions == [PHONE_A, "13900002222"]
    assert "https://shigan.example.gov.cn/monthly/?period=2023-07" in robot_delivery.body
    # The same sending again (one message at a time, as a caller may): nothing new.
    for message in messages:
        assert deliveries_for_message(message=message, unit=people.unit_a, key="chase:b1:5",
                                      now=NINE) == []  # fmt: skip


# --- quiet hours ------------------------------------------------------------------------------


def _at(hour, minute=0, day=DAY):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def test_quiet_hours_across_midnight_end_the_next_morning():
    span = parse_quiet_hours("22:00-08:00")
    assert quiet_until(_at(21, 59), span) is None
    assert quiet_until(_at(22, 0), span) == _at(8, 0, DAY + datetime.timedelta(days=1))
    assert quiet_until(_at(23, 30), span) == _at(8, 0, DAY + datetime.timedelta(days=1))
    assert quiet_until(_at(0, 10), span) == _at(8, 0)
    assert quiet_until(_at(7, 59), span) == _at(8, 0)
    assert quiet_until(_at(8, 0), span) is None
    # An aware time in another zone is read in local time (15:00 UTC is 23:00 in Shanghai).
    utc = datetime.datetime(2023, 7, 31, 15, 0, tzinfo=datetime.UTC)
    assert quiet_until(utc, span) == _at(8, 0, DAY + datetime.timedelta(days=1))


def test_quiet_hours_within_a_day_and_none():
    lunch = parse_quiet_hours("12:00-13:30")
    assert quiet_until(_at(12, 15), lunch) == _at(13, 30)
    assert quiet_until(_at(13, 30), lunch) is None and quiet_until(_at(11, 0), lunch) is None
    assert parse_quiet_hours("") is None
    assert quiet_until(_at(3, 0), parse_quiet_hours("08:00-08:00")) is None
    for bad in ["22-08", "25:00-08:00", "晚上"]:
        with pytest.raises(ValueError):
            parse_quiet_hours(bad)


def test_a_bad_setting_for_quiet_hours_is_named(people, settings):
    settings.SHIGAN_QUIET_HOURS = "22点到8点"
    with pytest.raises(ImproperlyConfigured, match="SHIGAN_QUIET_HOURS"):
        deliveries_for_digest(digest=_digest(people.reporter_a), reminders=[], now=NINE)


def test_a_delivery_queued_in_quiet_hours_waits_for_their_end(people):
    _robot(people.unit_a)
    DeliveryPreference.objects.create(
        user=people.reporter_a, quiet_start=datetime.time(23, 0), quiet_end=datetime.time(7, 0)
    )
    late = _at(22, 30)
    (email,) = deliveries_for_digest(digest=_digest(people.reporter_a), reminders=[], now=late)
    assert email.next_attempt_at == late  # his own quiet hours start at 23:00
    reminder = _reminder(people, people.unit_a)
    (robot,) = deliveries_for_robots(day=DAY, reminders_by_unit={people.unit_a: [reminder]},
                                     now=late)  # fmt: skip
    assert robot.next_attempt_at == _at(8, 0, DAY + datetime.timedelta(days=1))  # the default


# --- sending ----------------------------------------------------------------------------------


def _queue_both(people, robot_server, *, robots=1):
    robots = [_robot(people.unit_a, webhook=robot_server.webhook()) for _ in range(robots)]
    reminder = _reminder(people, people.unit_a, to=[people.reporter_a])
    deliveries_for_digest(digest=_digest(people.reporter_a), reminders=[reminder], now=NINE)
    deliveries_for_robots(day=DAY, reminders_by_unit={people.unit_a: [reminder]}, now=NINE)
    return robots


def test_pending_deliveries_are_sent_by_email_and_to_the_robot(people, robot_server):
    _queue_both(people, robot_server)
    assert deliver_pending(now=NINE) == DeliveryTally(sent=2)
    (email,) = mail.outbox
    assert email.to == ["wang@example.gov.cn"] and email.subject == "7月31日提醒：临期提醒 1 项"
    (request,) = robot_server.received
    assert request.body["markdown"]["title"] == "实干提醒：区交通局 2023-07-31"
    assert request.body["at"] == {"atMobiles": [PHONE_A], "isAtAll": False}
    assert request.query["timestamp"] and request.query["sign"]  # signed with the secret
    assert set(Delivery.objects.values_list("state", "attempts", "sent_at")) == {
        (DeliveryState.SENT, 1, NINE)
    }
    assert deliver_pending(now=NINE + datetime.timedelta(hours=1)) == DeliveryTally()


def test_the_backoff_and_attempts_are_the_documented_numbers():
    assert BACKOFF_MINUTES == (1, 5, 30, 120, 720)
    assert MAX_ATTEMPTS == 6


def test_a_failing_robot_is_retried_at_the_documented_minutes_until_it_fails(
    people, robot_server, settings
):
    settings.SHIGAN_QUIET_HOURS = ""  # the 12-hour wait would end in the night otherwise
    _robot(people.unit_a, webhook=robot_server.webhook())
    reminder = _reminder(people, people.unit_a)
    (delivery,) = deliveries_for_robots(day=DAY, reminders_by_unit={people.unit_a: [reminder]},
                                        now=NINE)  # fmt: skip
    robot_server.fail_next(*[("http", 500)] * 6)
    now = NINE
    for attempt, minutes in enumerate(BACKOFF_MINUTES, 1):
        assert deliver_pending(now=now) == DeliveryTally(retried=1)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt and delivery.state == DeliveryState.PENDING
        assert delivery.next_attempt_at == now + datetime.timedelta(minutes=minutes)
        assert delivery.last_error == "机器人服务器返回 HTTP 500 错误。"
        # Not due a second earlier.
        assert deliver_pending(now=delivery.next_attempt_at - datetime.timedelta(seconds=1)) == (
            DeliveryTally()
        )
        now = delivery.next_attempt_at
    assert deliver_pending(now=now) == DeliveryTally(failed=1)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == MAX_ATTEMPTS == 6
    assert len(robot_server.received) == 6
    assert deliver_pending(now=now + datetime.timedelta(days=1)) == DeliveryTally()


def test_a_robot_that_recovers_is_sent_on_its_retry(people, robot_server):
    _robot(people.unit_a, webhook=robot_server.webhook())
    reminder = _reminder(people, people.unit_a)
    deliveries_for_robots(day=DAY, reminders_by_unit={people.unit_a: [reminder]}, now=NINE)
    robot_server.fail_next(("errcode", 310000, "sign not match"), ("errcode", 45009, "freq"))
    assert deliver_pending(now=NINE) == DeliveryTally(retried=1)
    assert "310000" in Delivery.objects.get().last_error
    assert deliver_pending(now=NINE + datetime.timedelta(minutes=1)) == DeliveryTally(retried=1)
    assert "45009" in Delivery.objects.get().last_error
    later = NINE + datetime.timedelta(minutes=6)
    assert deliver_pending(now=later) == DeliveryTally(sent=1)
    sent = Delivery.objects.get()
    assert (sent.state, sent.attempts, sent.sent_at, sent.last_error) == (
        DeliveryState.SENT, 3, later, "",
    )  # fmt: skip


def test_a_failing_robot_never_blocks_the_email_or_the_other_robot(people, robot_server, settings):
    first, second = _queue_both(people, robot_server, robots=2)
    UnitRobot.objects.filter(pk=first.pk).update(
        webhook=robot_server.webhook("/down?access_token=x")
    )
    robot_server.fail_next(("http", 502))  # the first robot's request comes first
    assert deliver_pending(now=NINE) == DeliveryTally(sent=2, retried=1)
    assert len(mail.outbox) == 1
    states = dict(Delivery.objects.filter(robot__isnull=False).values_list("robot_id", "state"))
    assert states == {first.pk: DeliveryState.PENDING, second.pk: DeliveryState.SENT}


def test_a_timeout_or_an_exception_in_one_delivery_does_not_stop_the_others(
    people, robot_server, monkeypatch
):
    _queue_both(people, robot_server)
    monkeypatch.setattr(channels, "ROBOT_TIMEOUT", 0.3)
    robot_server.fail_next(("slow", 1.0))

    def broken_mail(**kwargs):
        raise RuntimeError("SMTP 连接池损坏")

    monkeypatch.setattr(channels, "send_email", broken_mail)
    assert deliver_pending(now=NINE) == DeliveryTally(retried=2)
    errors = dict(Delivery.objects.values_list("channel", "last_error"))
    assert errors[Channel.DINGTALK] == "连接机器人服务器超时（0.3秒）。"
    assert errors[Channel.EMAIL] == "发送时出现意外错误：RuntimeError: SMTP 连接池损坏"


def test_a_retry_falling_in_quiet_hours_waits_for_the_morning(people, robot_server):
    _robot(people.unit_a, webhook=robot_server.webhook())
    reminder = _reminder(people, people.unit_a)
    evening = _at(21, 50)
    deliveries_for_robots(day=DAY, reminders_by_unit={people.unit_a: [reminder]}, now=evening)
    robot_server.fail_next(("http", 500), ("http", 500))
    deliver_pending(now=evening)
    deliver_pending(now=_at(21, 51))  # the 2nd attempt fails: retry at 21:56
    deliver_pending(now=_at(21, 56))  # the 3rd: 22:26 would be quiet
    assert Delivery.objects.get().next_attempt_at == _at(8, 0, DAY + datetime.timedelta(days=1))


def test_a_due_delivery_in_quiet_hours_is_put_off_without_an_attempt(people, robot_server):
    _queue_both(people, robot_server)
    late = _at(23, 0)
    assert deliver_pending(now=late) == DeliveryTally(postponed=2)
    assert set(Delivery.objects.values_list("attempts", "next_attempt_at")) == {
        (0, _at(8, 0, DAY + datetime.timedelta(days=1)))
    }
    assert robot_server.received == [] and mail.outbox == []


def test_an_email_turned_off_after_queueing_is_never_sent_but_the_inbox_keeps_it(people):
    digest = _digest(people.reporter_a)
    deliveries_for_digest(digest=digest, reminders=[], now=NINE)
    DeliveryPreference.objects.create(user=people.reporter_a, email=False)
    assert deliver_pending(now=NINE) == DeliveryTally(failed=1)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 0
    assert delivery.last_error == "接收人已关闭邮件提醒，未发送。"
    assert mail.outbox == []
    assert Message.objects.filter(recipient=people.reporter_a, pk=digest.message_id).exists()


def test_an_email_without_a_mail_server_fails_saying_so_without_naming_settings(people, settings):
    deliveries_for_digest(digest=_digest(people.reporter_a), reminders=[], now=NINE)
    settings.SHIGAN_EMAIL_ENABLED = False
    assert deliver_pending(now=NINE) == DeliveryTally(failed=1)
    assert Delivery.objects.get().last_error == "系统管理员尚未配置邮件服务器，未发送。"


def test_a_robot_disabled_or_pointed_off_the_allowed_hosts_is_not_called(people, robot_server):
    disabled, moved = _queue_both(people, robot_server, robots=2)
    UnitRobot.objects.filter(pk=disabled.pk).update(enabled=False)
    UnitRobot.objects.filter(pk=moved.pk).update(webhook="https://10.1.2.3/robot/send")
    assert deliver_pending(now=NINE) == DeliveryTally(sent=1, failed=2)
    errors = dict(
        Delivery.objects.filter(robot__isnull=False).values_list("robot_id", "last_error")
    )
    assert errors[disabled.pk] == "群机器人已停用，未发送。"
    assert "“10.1.2.3”不在其中" in errors[moved.pk]
    assert robot_server.received == []


def test_a_delivery_claimed_by_another_run_is_not_sent_twice(people, robot_server):
    _queue_both(people, robot_server)
    stale = list(Delivery.objects.all())
    Delivery.objects.update(attempts=1)  # another run claimed them after this one read them
    for delivery in stale:
        assert _deliver_one(delivery, NINE) == ""
    assert robot_server.received == [] and mail.outbox == []


def test_sending_reads_the_batch_once_and_writes_each_delivery_twice(
    people, robot_server, django_assert_num_queries
):
    _queue_both(people, robot_server)
    with django_assert_num_queries(1 + 2 * 2):  # the batch; per delivery a claim and the outcome
        deliver_pending(now=NINE)
    for unit_robot in [_robot(people.unit_a, webhook=robot_server.webhook()) for _ in range(3)]:
        Delivery.objects.create(key=f"t{unit_robot.pk}", channel=Channel.DINGTALK,
                                robot=unit_robot, title="t", body="b", next_attempt_at=NINE)  # fmt: skip
    with django_assert_num_queries(1 + 3 * 2):
        assert deliver_pending(now=NINE) == DeliveryTally(sent=3)
    with django_assert_num_queries(1):
        assert deliver_pending(now=NINE, limit=2) == DeliveryTally()


def test_a_wecom_robot_mentions_by_phone_in_a_text_message(people, robot_server):
    _robot(people.unit_a, channel=Channel.WECOM, secret="",
           webhook=robot_server.webhook("/cgi-bin/webhook/send?key=k"))  # fmt: skip
    reminder = _reminder(people, people.unit_a, to=[people.reporter_a])
    deliveries_for_robots(day=DAY, reminders_by_unit={people.unit_a: [reminder]}, now=NINE)
    assert deliver_pending(now=NINE) == DeliveryTally(sent=1)
    (request,) = robot_server.received
    assert request.query == {"key": "k"}  # WeCom is not signed
    assert request.body["msgtype"] == "text"
    assert request.body["text"]["mentioned_mobile_list"] == [PHONE_A]
    assert request.body["text"]["content"].startswith(
        "实干提醒：区交通局 2023-07-31\n1. 兴业大道建设"
    )


# --- people's text in robot markdown --------------------------------------------------------------

HOSTILE = '[点我](http://evil.example) <font color="warning">急</font> <@all> <script>x</script> # *粗* `码` > 引'
MARKUP = "[]()<>#*`"


def _only_our_links(markdown: str) -> bool:
    """No markup in `markdown` but Shigan's own [查看](https://shigan.example.gov.cn/…) links."""
    rest = channels.OWN_LINK.sub("", markdown.replace("### ", "", 1))
    return not any(c in rest for c in MARKUP)


@pytest.mark.parametrize("channel", [Channel.DINGTALK, Channel.WECOM])
def test_a_hostile_unit_name_and_reminder_text_reach_the_robot_inert_with_our_link_live(
    people, robot_server, channel
):
    people.unit_a.name = f"区交通局{HOSTILE}"
    people.unit_a.save()
    _robot(people.unit_a, channel=channel, secret="", webhook=robot_server.webhook())
    reminder = _reminder(people, people.unit_a, text=f"任务{HOSTILE}：临期")
    (delivery,) = deliveries_for_robots(
        day=DAY, reminders_by_unit={people.unit_a: [reminder]}, now=NINE
    )
    assert delivery.body.endswith("[查看](https://shigan.example.gov.cn/tasks/1/)")
    assert _only_our_links(delivery.body) and "［点我］（http://evil.example）" in delivery.body
    assert deliver_pending(now=NINE) == DeliveryTally(sent=1)
    (request,) = robot_server.received
    sent = request.body["markdown"].get("text") or request.body["markdown"]["content"]
    assert _only_our_links(sent) and "＜@all＞" in sent and "＜font" in sent
    assert "[查看](https://shigan.example.gov.cn/tasks/1/)" in sent


def test_a_hostile_chase_text_reaches_the_units_robot_inert_but_email_keeps_it_plain(people):
    _robot(people.unit_a)
    message = Message.objects.create(
        recipient=people.reporter_a, kind=MessageKind.REPORT_CHASE, title=f"催报：{HOSTILE}",
        body=f"请尽快报送。{HOSTILE}", link="/monthly/", sender=people.coordinator,
    )  # fmt: skip
    queued = deliveries_for_messages(messages=[message], unit=people.unit_a, key="c:1", now=NINE)
    robot = next(d for d in queued if d.robot_id)
    email = next(d for d in queued if d.recipient_id)
    assert (
        _only_our_links(robot.body)
        and "[查看](https://shigan.example.gov.cn/monthly/)" in robot.body
    )
    _, payload = channels.robot_request(
        channel=Channel.DINGTALK, webhook="https://oapi.dingtalk.com/robot/send?access_token=t",
        secret="", title=robot.title, text=robot.body, mentions=[],
    )  # fmt: skip
    assert _only_our_links(payload["markdown"]["text"])
    assert HOSTILE in email.body  # email is plain text: shown as typed


def test_an_invalid_default_quiet_hours_stops_the_program_with_one_line_naming_it(tmp_path):
    env = {**os.environ, "SHIGAN_QUIET_HOURS": "25:99-08:00", "SHIGAN_SECRET_KEY": "x",
           "SHIGAN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "shigan.settings"}  # fmt: skip
    env.pop("SHIGAN_TESTING", None)
    shigan = Path(sys.executable).with_name("shigan")
    done = subprocess.run([shigan, "check"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("配置错误：SHIGAN_QUIET_HOURS：") and "HH:MM-HH:MM" in line
