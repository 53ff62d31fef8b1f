"""The delivery pages: 提醒方式 (each person his own; the inbox cannot be turned off), 群机器人
(coordinators, their district's units; webhooks only at the allowed hosts; the secret never
shown back; audited; 发送测试消息 through the real transport) and 外发记录 (the district's own,
重新发送 of a failed one, bounded queries)."""

import datetime

import pytest
from django.utils import timezone

from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.reminders.access import (
    can_manage_robots,
    deliveries_visible_to,
    get_delivery_for_user,
    get_robot_for_user,
    robots_visible_to,
)
from shigan.reminders.models import (
    Channel,
    Delivery,
    DeliveryPreference,
    DeliveryState,
    UnitRobot,
)
from shigan.testing import make_user

from .fake_robot import running_robot

SETTINGS = "/inbox/settings/"
ROBOTS = "/reminders/robots/"
DELIVERIES = "/reminders/deliveries/"
DING = "https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789"
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"


@pytest.fixture
def robot_server(settings):
    yield from running_robot(settings)


@pytest.fixture
def elsewhere(world):
    """Another district of the same database, its coordinator, unit, robot and person."""
    district = Unit.objects.create(name="乙区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    unit = Unit.objects.create(name="乙区水务站", kind=UnitKind.BUREAU, parent=district)
    coordinator, _ = make_user("yiqu_zhuanban", unit=district, role=Role.COORDINATOR, name="乙专班")
    reporter, _ = make_user("yiqu_tianbao", unit=unit, role=Role.REPORTER, name="乙填报")
    robot = UnitRobot.objects.create(unit=unit, channel=Channel.WECOM, webhook=DING)
    return {"unit": unit, "coordinator": coordinator, "reporter": reporter, "robot": robot}


def _post_robot(client, url=ROBOTS + "new/", **fields):
    data = {"unit": "", "channel": Channel.DINGTALK, "webhook": DING, "secret": "",
            "enabled": "on", **fields}  # fmt: skip
    return client.post(url, data)


# --- 提醒方式 -----------------------------------------------------------------------------------


def test_the_inbox_links_to_the_settings_that_say_the_inbox_stays(world, client_for):
    client = client_for(world.reporter_a)
    assert 'href="/inbox/settings/"' in client.get("/inbox/").content.decode()
    page = client.get(SETTINGS).content.decode()
    assert "站内消息不能关闭" in page and "组织架构中没有您的手机号" in page


def test_a_person_sets_his_email_and_choices_audited(world, client_for):
    client = client_for(world.reporter_a)
    response = client.post(SETTINGS, {
        "email": "wang@example.gov.cn", "robot_mention": "on",
        "quiet_start": "21:30", "quiet_end": "07:00",
    })  # fmt: skip
    assert response.status_code == 302
    world.reporter_a.refresh_from_db()
    assert world.reporter_a.email == "wang@example.gov.cn"
    preference = DeliveryPreference.objects.get(user=world.reporter_a)
    assert (preference.email, preference.robot_mention) == (False, True)
    assert (preference.quiet_start, preference.quiet_end) == (
        datetime.time(21, 30), datetime.time(7, 0),
    )  # fmt: skip
    entry = AuditEntry.objects.get(record_type="reminders.deliverypreference")
    assert entry.actor == world.reporter_a and entry.action == AuditAction.CREATE
    assert entry.changes["邮箱地址"] == [None, "wang@example.gov.cn"]
    assert entry.changes["免打扰开始"] == [None, "21:30"]
    client.post(SETTINGS, {"email": "wang@example.gov.cn", "email_enabled": "on"})
    update = AuditEntry.objects.filter(action=AuditAction.UPDATE).get()
    assert update.changes["接收邮件"] == [False, True]


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"email": "王@"}, "邮箱地址格式不正确"),
        ({"quiet_start": "22:00"}, "请同时填写开始和结束时间"),
        ({"quiet_start": "22:00", "quiet_end": "22:00"}, "开始和结束时间不能相同"),
        ({"quiet_start": "25:00", "quiet_end": "08:00"}, "免打扰开始时间应写作 HH:MM"),
    ],
)
def test_bad_settings_are_named_in_chinese(world, client_for, fields, error):
    response = client_for(world.reporter_a).post(SETTINGS, fields)
    assert response.status_code == 200 and error in response.content.decode()
    assert not DeliveryPreference.objects.exists()


# --- 群机器人 -----------------------------------------------------------------------------------


def test_a_coordinator_adds_a_robot_audited_with_the_secret_masked(world, client_for):
    client = client_for(world.coordinator)
    response = _post_robot(client, unit=world.unit_a.pk, secret=SECRET)
    assert response.status_code == 302
    robot = UnitRobot.objects.get()
    assert (robot.unit, robot.webhook, robot.secret) == (world.unit_a, DING, SECRET)
    entry = AuditEntry.objects.get(record_type="reminders.unitrobot")
    assert entry.actor == world.coordinator and entry.action == AuditAction.CREATE
    assert entry.changes["加签密钥"] == [None, "SEC0********abcd"]
    assert "abcdef0123456789" not in str(entry.changes)  # the webhook's token masked too
    for url in [ROBOTS, f"{ROBOTS}{robot.pk}/"]:
        page = client.get(url).content.decode()
        assert SECRET not in page and SECRET[4:-4] not in page
    assert "SEC0********abcd" in client.get(ROBOTS).content.decode()


def test_editing_with_the_secret_left_blank_keeps_it_and_clearing_removes_it(world, client_for):
    robot = UnitRobot.objects.create(unit=world.unit_a, channel=Channel.DINGTALK, webhook=DING,
                                     secret=SECRET)  # fmt: skip
    client = client_for(world.coordinator)
    url = f"{ROBOTS}{robot.pk}/"
    assert _post_robot(client, url, unit=world.unit_b.pk).status_code == 302
    robot.refresh_from_db()
    assert robot.unit == world.unit_b and robot.secret == SECRET
    _post_robot(client, url, unit=world.unit_b.pk, secret="SECnew-secret-value-0000")
    robot.refresh_from_db()
    assert robot.secret == "SECnew-secret-value-0000"
    _post_robot(client, url, unit=world.unit_b.pk, clear_secret="on", enabled="")
    robot.refresh_from_db()
    assert robot.secret == "" and not robot.enabled
    update = AuditEntry.objects.filter(action=AuditAction.UPDATE).order_by("id").last()
    assert update.changes["加签密钥"] == ["SECn********0000", ""]


@pytest.mark.parametrize(
    "webhook, error",
    [
        ("https://10.0.0.5/robot/send?access_token=x", "“10.0.0.5”不在其中"),
        ("http://oapi.dingtalk.com/robot/send?access_token=x", "须使用 https"),
        ("https://oapi.dingtalk.com.evil.example/robot/send", "不在其中"),
        ("https://user:pw@oapi.dingtalk.com/robot/send", "不能包含用户名或密码"),
        ("", "请填写 Webhook 地址"),
    ],
)
def test_a_webhook_off_the_allowed_hosts_is_refused_by_the_form(world, client_for, webhook, error):
    response = _post_robot(client_for(world.coordinator), unit=world.unit_a.pk, webhook=webhook)
    assert response.status_code == 200 and error in response.content.decode()
    assert not UnitRobot.objects.exists()


def test_the_channel_must_match_the_webhook_and_wecom_has_no_secret(world, client_for):
    client = client_for(world.coordinator)
    wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    wrong = _post_robot(client, unit=world.unit_a.pk, webhook=wecom).content.decode()
    assert "这是企业微信群机器人的地址" in wrong
    secret = _post_robot(client, unit=world.unit_a.pk, webhook=wecom, channel=Channel.WECOM,
                         secret="SECx").content.decode()  # fmt: skip
    assert "企业微信群机器人没有加签密钥" in secret
    assert not UnitRobot.objects.exists()


def test_robots_are_kept_to_the_coordinators_district(world, elsewhere, client_for):
    client = client_for(world.coordinator)
    theirs = elsewhere["robot"]
    assert client.get(f"{ROBOTS}{theirs.pk}/").status_code == 404
    assert client.post(f"{ROBOTS}{theirs.pk}/test/").status_code == 404
    assert "乙区水务站" not in client.get(ROBOTS).content.decode()
    response = _post_robot(client, unit=elsewhere["unit"].pk)
    assert (
        response.status_code == 200
        and "所选项不存在或不可选，请重新选择。" in response.content.decode()
    )
    assert list(robots_visible_to(world.coordinator, UnitRobot.objects.all())) == []
    assert get_robot_for_user(elsewhere["coordinator"], theirs.pk) == theirs
    assert can_manage_robots(world.coordinator) and not can_manage_robots(world.reporter_a)
    assert client_for(world.inspector).get(ROBOTS).status_code == 403


def test_a_test_message_goes_through_the_transport_and_shows_the_answer(
    world, client_for, robot_server
):
    robot = UnitRobot.objects.create(unit=world.unit_a, channel=Channel.DINGTALK,
                                     webhook=robot_server.webhook(), secret=SECRET)  # fmt: skip
    client = client_for(world.coordinator)
    page = client.post(f"{ROBOTS}{robot.pk}/test/", follow=True).content.decode()
    assert "测试消息已发送，机器人答复：ok" in page
    (request,) = robot_server.received
    assert request.body["markdown"]["title"] == "实干平台测试消息"
    assert "区交通局的钉钉群机器人已接入实干平台" in request.body["markdown"]["text"]
    assert request.query["sign"]
    robot_server.fail_next(("errcode", 310000, "sign not match"))
    page = client.post(f"{ROBOTS}{robot.pk}/test/", follow=True).content.decode()
    assert "测试消息发送失败：机器人返回错误 310000：sign not match" in page
    assert client.get(f"{ROBOTS}{robot.pk}/test/").status_code == 405


def test_a_test_message_to_a_host_no_longer_allowed_is_refused(world, client_for):
    robot = UnitRobot.objects.create(unit=world.unit_a, channel=Channel.DINGTALK,
                                     webhook="https://10.0.0.9/robot/send")  # fmt: skip
    page = client_for(world.coordinator).post(f"{ROBOTS}{robot.pk}/test/", follow=True)
    assert "测试消息发送失败：只允许向钉钉、企业微信的机器人地址发送" in page.content.decode()


def test_deleting_a_robot_asks_first_and_is_audited(world, client_for):
    robot = UnitRobot.objects.create(unit=world.unit_a, channel=Channel.DINGTALK, webhook=DING)
    Delivery.objects.create(key="k", channel=Channel.DINGTALK, robot=robot, title="t", body="b",
                            next_attempt_at=timezone.now())  # fmt: skip
    client = client_for(world.coordinator)
    url = f"{ROBOTS}{robot.pk}/delete/"
    assert "它的1条外发记录将一并删除" in client.get(url).content.decode()
    assert UnitRobot.objects.exists()
    assert client.post(url).status_code == 302
    assert not UnitRobot.objects.exists() and not Delivery.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert entry.note == "外发记录1条一并删除"


# --- 外发记录 -----------------------------------------------------------------------------------


def _delivery(key, *, robot=None, recipient=None, state=DeliveryState.FAILED):
    return Delivery.objects.create(
        key=key, channel=Channel.EMAIL if recipient else Channel.DINGTALK, robot=robot,
        recipient=recipient, title=f"提醒 {key}", body="b", state=state, attempts=6,
        last_error="机器人服务器返回 HTTP 500 错误。", next_attempt_at=timezone.now(),
    )  # fmt: skip


def test_the_log_shows_the_districts_deliveries_only(world, elsewhere, client_for):
    ours = UnitRobot.objects.create(unit=world.unit_a, channel=Channel.DINGTALK, webhook=DING)
    _delivery("ours-robot", robot=ours)
    _delivery("ours-email", recipient=world.reporter_b)
    _delivery("theirs-robot", robot=elsewhere["robot"])
    _delivery("theirs-email", recipient=elsewhere["reporter"])
    page = client_for(world.coordinator).get(DELIVERIES).content.decode()
    assert "提醒 ours-robot" in page and "提醒 ours-email" in page
    assert "theirs" not in page
    assert "机器人服务器返回 HTTP 500 错误。" in page and "重新发送" in page
    assert "按1、5、30、120、720分钟的间隔自动重试，共尝试6次" in page
    visible = deliveries_visible_to(elsewhere["coordinator"], Delivery.objects.all())
    assert sorted(d.key for d in visible) == ["theirs-email", "theirs-robot"]
    sent = client_for(world.coordinator).get(f"{DELIVERIES}?state=sent").content.decode()
    assert "暂无外发记录" in sent
    assert client_for(world.leader).get(DELIVERIES).status_code == 403


def test_a_failed_delivery_is_queued_again_audited(world, elsewhere, client_for):
    failed = _delivery("f", recipient=world.reporter_a)
    sent = _delivery("s", recipient=world.reporter_a, state=DeliveryState.SENT)
    client = client_for(world.coordinator)
    assert client.post(f"{DELIVERIES}{failed.pk}/retry/").status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == (DeliveryState.PENDING, 0, "")
    entry = AuditEntry.objects.get(record_type="reminders.delivery")
    assert entry.note == "重新发送" and entry.actor == world.coordinator
    page = client.post(f"{DELIVERIES}{sent.pk}/retry/", follow=True).content.decode()
    assert "不是发送失败的记录" in page
    sent.refresh_from_db()
    assert sent.state == DeliveryState.SENT
    theirs = _delivery("t", recipient=elsewhere["reporter"])
    assert client.post(f"{DELIVERIES}{theirs.pk}/retry/").status_code == 404
    assert get_delivery_for_user(world.coordinator, failed.pk) == failed


def test_the_log_and_the_robot_list_read_a_fixed_number_of_queries(world, client_for):
    client = client_for(world.coordinator)
    robot = UnitRobot.objects.create(unit=world.unit_a, channel=Channel.DINGTALK, webhook=DING)
    _delivery("one", robot=robot)
    _delivery("mail", recipient=world.reporter_a)

    numbers = iter(range(1000))

    def grow():
        for i in (next(numbers) for _ in range(12)):
            extra = UnitRobot.objects.create(unit=world.unit_b, channel=Channel.WECOM, webhook=DING)
            _delivery(f"r{i}", robot=extra)
            _delivery(f"m{i}", recipient=world.reporter_b, state=DeliveryState.SENT)

    assert_same_queries(get_page(client, DELIVERIES), grow, at_most=10, warm_up=True)
    response = assert_same_queries(get_page(client, ROBOTS), grow, at_most=8, warm_up=True)
    assert response.content.decode().count("data-robot=") == 25


# --- duplicates, the robots' health, what a coordinator is told ---------------------------------


@pytest.mark.parametrize(
    "again",
    [DING, DING.replace("oapi.dingtalk.com", "OAPI.DingTalk.COM:443"), f"  {DING}  "],
)
def test_the_same_webhook_twice_for_one_unit_is_refused(world, client_for, again):
    client = client_for(world.coordinator)
    assert _post_robot(client, unit=world.unit_a.pk).status_code == 302
    response = _post_robot(client, unit=world.unit_a.pk, webhook=again)
    assert response.status_code == 200
    assert "已添加过这个 Webhook 地址的群机器人，不能重复添加" in response.content.decode()
    assert UnitRobot.objects.count() == 1
    # Another unit may share the group; the robot itself may be saved unchanged.
    assert _post_robot(client, unit=world.unit_b.pk, webhook=again).status_code == 302
    robot = UnitRobot.objects.get(unit=world.unit_a)
    assert _post_robot(client, url=f"{ROBOTS}{robot.pk}/", unit=world.unit_a.pk).status_code == 302


def test_the_robot_list_shows_each_robots_latest_delivery_and_warns_of_failures(world, client_for):
    failing = UnitRobot.objects.create(unit=world.unit_a, channel=Channel.DINGTALK, webhook=DING)
    retrying = UnitRobot.objects.create(unit=world.unit_b, channel=Channel.DINGTALK, webhook=DING)
    healthy = UnitRobot.objects.create(unit=world.unit_b, channel=Channel.WECOM, webhook=DING)
    quiet = UnitRobot.objects.create(unit=world.unit_a, channel=Channel.WECOM, webhook=DING)
    _delivery("f1", robot=failing)
    pending = _delivery("p1", robot=retrying, state=DeliveryState.PENDING)
    Delivery.objects.filter(pk=pending.pk).update(attempts=2, last_error="连接被拒绝")
    _delivery("old-failure", robot=healthy)
    _delivery("new-success", robot=healthy, state=DeliveryState.SENT)
    fresh = _delivery("queued", robot=quiet, state=DeliveryState.PENDING)
    Delivery.objects.filter(pk=fresh.pk).update(attempts=0, last_error="")
    page = client_for(world.coordinator).get(ROBOTS).content.decode()

    def row(robot):
        start = page.index(f'data-robot="{robot.pk}"')
        return page[start : page.index("</tr>", start)]

    assert "连续失败" in row(failing) and "发送失败（已尝试6次）" in row(failing)
    assert "机器人服务器返回 HTTP 500 错误。" in row(failing)
    assert "连续失败" in row(retrying) and "待重试（已尝试2次）" in row(retrying)
    assert "连接被拒绝" in row(retrying)
    assert "连续失败" not in row(healthy) and "已发送" in row(healthy)
    assert "连续失败" not in row(quiet) and "尚未外发" in row(quiet)


def test_the_robot_pages_warn_without_a_site_address_and_never_name_settings(
    world, client_for, settings
):
    client = client_for(world.coordinator)
    settings.SHIGAN_SITE_URL = ""
    for url in (ROBOTS, DELIVERIES):
        page = client.get(url).content.decode()
        assert "未设置站点地址，外发消息不带链接" in page
        assert "SHIGAN_" not in page
    assert "系统管理员允许的地址" in client.get(ROBOTS).content.decode()
    settings.SHIGAN_SITE_URL = "https://shigan.example.gov.cn"
    assert "未设置站点地址" not in client.get(ROBOTS).content.decode()
    assert "未设置站点地址" not in client.get(DELIVERIES).content.decode()


def test_a_webhook_on_another_port_is_refused_for_its_port(world, client_for):
    webhook = "https://oapi.dingtalk.com:8791/robot/send?access_token=x"
    response = _post_robot(client_for(world.coordinator), unit=world.unit_a.pk, webhook=webhook)
    page = response.content.decode()
    assert "端口“8791”不允许：只能使用 https 默认端口443" in page
    assert "不在其中" not in page


def test_coordinators_reach_the_robots_and_the_log_from_the_guide_and_their_settings(
    world, client_for
):
    links = ('href="/reminders/robots/"', 'href="/reminders/deliveries/"',
             'href="/reminders/rules/"')  # fmt: skip
    client = client_for(world.coordinator)
    for url in ("/setup/", SETTINGS):
        page = client.get(url).content.decode()
        assert "提醒与外发：" in page and all(link in page for link in links), url
    reporter = client_for(world.reporter_a).get(SETTINGS).content.decode()
    assert 'href="/reminders/robots/"' not in reporter


def test_the_settings_say_which_reminders_are_gathered_and_which_arrive_at_once(world, client_for):
    page = client_for(world.reporter_a).get(SETTINGS).content.decode()
    assert "系统自动生成的提醒（临期、逾期、滞后、逾期未报……）每人每天汇总为一条" in page
    assert "专班手动发出的催报、催办即时送达" in page
    assert "每人每天最多汇总成一条" not in page
