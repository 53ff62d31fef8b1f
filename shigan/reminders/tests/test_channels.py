"""The robots' payloads and DingTalk's signature against their documentation, the transport
against a real local HTTP server, the refusal of webhooks outside the allowed hosts, email
through Django's locmem backend.

Fixtures written from the documentation:
- DingTalk 自定义机器人 安全设置 加签: "把timestamp+"\\n"+密钥当做签名字符串，使用HmacSHA256算法
  计算签名，然后进行Base64 encode，最后再把签名参数再进行urlEncode，得到最终的签名（需要使用
  UTF-8字符集）", appended as https://oapi.dingtalk.com/robot/send?access_token=XXXXXX&
  timestamp=XXX&sign=XXX. The doc's example secret is "this is secret"; the expected sign for
  timestamp 1690761600000 was computed outside Python (openssl dgst -sha256 -hmac, base64).
- DingTalk markdown: {"msgtype": "markdown", "markdown": {"title", "text"}, "at":
  {"atMobiles": [...], "isAtAll": false}}.
- WeCom 群机器人: markdown {"msgtype": "markdown", "markdown": {"content"}} (content at most 4096
  bytes, UTF-8); text {"msgtype": "text", "text": {"content", "mentioned_mobile_list"}}
  (content at most 2048 bytes); markdown mentions only by <@userid>.
"""

import base64
import hashlib
import hmac
import smtplib
import socket
import ssl
import urllib.error
import urllib.parse

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import EmailMessage

from shigan.reminders import channels
from shigan.reminders.channels import ChannelError
from shigan.reminders.models import Channel

from .fake_robot import running_robot

DOC_SECRET = "this is secret"
STAMP = 1690761600000  # 2023-07-31 08:00 (UTC+8)
# openssl: printf '1690761600000\nthis is secret' | openssl dgst -sha256 -hmac 'this is secret'
#   -binary | base64
DOC_SIGN_BASE64 = "tCfgX3p+AHvjA9Vej/zLSn115MD+DkIMLPfkP2GsEWE="
DOC_SIGN = "tCfgX3p%2BAHvjA9Vej%2FzLSn115MD%2BDkIMLPfkP2GsEWE%3D"


@pytest.fixture
def robot(settings):
    yield from running_robot(settings)


def test_the_dingtalk_sign_is_the_documented_hmac_sha256_base64_urlencoded():
    assert channels.dingtalk_sign(DOC_SECRET, STAMP) == DOC_SIGN
    # The documented steps, computed here independently of the code under test.
    digest = hmac.new(DOC_SECRET.encode(), f"{STAMP}\n{DOC_SECRET}".encode(), hashlib.sha256)
    assert base64.b64encode(digest.digest()).decode() == DOC_SIGN_BASE64
    assert urllib.parse.unquote(DOC_SIGN) == DOC_SIGN_BASE64  # "+", "/", "=" all encoded


def test_the_signed_url_appends_timestamp_and_sign_to_the_webhook():
    webhook = "https://oapi.dingtalk.com/robot/send?access_token=XXXXXX"
    assert channels.signed_url(webhook, DOC_SECRET, STAMP) == (
        f"{webhook}&timestamp={STAMP}&sign={DOC_SIGN}"
    )
    assert channels.signed_url(webhook, "", STAMP) == webhook  # no 加签: unchanged


def test_the_dingtalk_markdown_payload_has_the_documented_shape():
    payload = channels.dingtalk_payload(
        title="实干提醒：区交通局 2023-07-31", text="1. 兴业大道建设临期", mentions=["13800001111"]
    )
    assert payload == {
        "msgtype": "markdown",
        "markdown": {
            "title": "实干提醒：区交通局 2023-07-31",
            "text": "### 实干提醒：区交通局 2023-07-31\n\n1. 兴业大道建设临期\n\n@13800001111",
        },
        "at": {"atMobiles": ["13800001111"], "isAtAll": False},
    }
    plain = channels.dingtalk_payload(title="T", text="x", mentions=[])
    assert plain["at"] == {"atMobiles": [], "isAtAll": False}
    assert "@" not in plain["markdown"]["text"]


def test_the_wecom_payload_is_markdown_or_text_with_mentioned_mobiles():
    assert channels.wecom_payload(title="实干提醒", text="1. 事项", mentions=[]) == {
        "msgtype": "markdown",
        "markdown": {"content": "### 实干提醒\n1. 事项"},
    }
    # Markdown mentions only by <@userid>: people are mentioned by phone in a text message.
    assert channels.wecom_payload(title="实干提醒", text="1. 事项", mentions=["13800001111"]) == {
        "msgtype": "text",
        "text": {"content": "实干提醒\n1. 事项", "mentioned_mobile_list": ["13800001111"]},
    }


def test_long_messages_are_cut_on_a_character_boundary_within_the_documented_limits():
    assert channels.WECOM_MARKDOWN_MAX == 4096 and channels.WECOM_TEXT_MAX == 2048
    long_text = "逾期事项" * 2000  # 24,000 bytes of UTF-8
    content = channels.wecom_payload(title="标题", text=long_text, mentions=[])["markdown"][
        "content"
    ]
    assert len(content.encode("utf-8")) <= 4096
    assert content.endswith("……（内容过长，已截断）")
    text = channels.wecom_payload(title="标题", text=long_text, mentions=["13800001111"])
    assert len(text["text"]["content"].encode("utf-8")) <= 2048
    ding = channels.dingtalk_payload(title="标题", text=long_text, mentions=["13800001111"])
    assert len(ding["markdown"]["text"]) <= channels.DINGTALK_TEXT_MAX == 5000
    assert ding["markdown"]["text"].endswith("已截断）\n\n@13800001111")  # the mention kept
    # A cut never splits a character: 4 bytes allow one 3-byte character, not two.
    assert channels.truncate_utf8("实干实干", 10, note="…") == "实干…"


def test_only_mobile_numbers_are_mentioned_each_once():
    assert channels.mobiles(["138 0000 1111", "+8613900002222", "0571-88886666", "", None,
                             "13800001111"]) == ["13800001111", "13900002222"]  # fmt: skip


def test_a_message_reaches_the_robot_signed_with_its_json(robot):
    answer = channels.send_robot(
        channel=Channel.DINGTALK, webhook=robot.webhook(), secret=DOC_SECRET, title="实干提醒",
        text="1. 事项", mentions=["13800001111"], timestamp_ms=STAMP,
    )  # fmt: skip
    assert answer == "ok"
    (request,) = robot.received
    assert request.path == "/robot/send"
    assert request.query == {
        "access_token": "t0ken",
        "timestamp": str(STAMP),
        "sign": urllib.parse.unquote(DOC_SIGN),
    }
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.body["msgtype"] == "markdown"
    assert request.body["at"]["atMobiles"] == ["13800001111"]


@pytest.mark.parametrize(
    "answer, error",
    [
        (("http", 500), "机器人服务器返回 HTTP 500 错误。"),
        (
            ("errcode", 310000, "sign not match"),
            "机器人返回错误 310000：sign not match（签名不匹配",
        ),
        (("errcode", 45009, "api freq out of limit"), "超出每分钟20条的限制"),
    ],
)
def test_a_refusal_by_the_robot_is_a_failure_with_its_reason(robot, answer, error):
    robot.fail_next(answer)
    with pytest.raises(ChannelError) as raised:
        channels.send_robot(
            channel=Channel.WECOM, webhook=robot.webhook("/cgi-bin/webhook/send?key=k"),
            secret="", title="实干提醒", text="x", mentions=[],
        )  # fmt: skip
    assert error in raised.value.message


def test_a_slow_robot_times_out(robot, monkeypatch):
    assert channels.ROBOT_TIMEOUT == 10
    monkeypatch.setattr(channels, "ROBOT_TIMEOUT", 0.3)
    robot.fail_next(("slow", 1.5))
    with pytest.raises(ChannelError, match="超时（0.3秒）"):
        channels.post_json(robot.webhook(), {"msgtype": "text"})


def test_a_redirect_is_never_followed(robot):
    robot.fail_next(("redirect", "http://169.254.169.254/latest/meta-data/"))
    with pytest.raises(ChannelError, match="跳转（HTTP 302），未跟随"):
        channels.post_json(robot.webhook(), {"msgtype": "text"})
    assert len(robot.received) == 1


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://oapi.dingtalk.com/robot/send?access_token=x", ""),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", ""),
        ("http://oapi.dingtalk.com/robot/send?access_token=x", "须使用 https"),
        (
            "https://oapi.dingtalk.com:8443/robot/send",
            "端口“8443”不允许：只能使用 https 默认端口443",
        ),
        ("https://oapi.dingtalk.com:443/robot/send?access_token=x", ""),
        ("https://10.0.0.5/robot/send", "“10.0.0.5”不在其中"),
        ("https://oapi.dingtalk.com.evil.example/robot/send", "不在其中"),
        ("https://oapi.dingtalk.com@127.0.0.1/robot/send", "不能包含用户名或密码"),
        ("http://127.0.0.1:8000/admin/", "不在其中"),
        ("ftp://oapi.dingtalk.com/", "应以 https:// 开头"),
    ],
)
def test_only_the_allowed_robot_hosts_may_be_called(settings, url, reason):
    settings.SHIGAN_ROBOT_HOSTS = ["oapi.dingtalk.com", "qyapi.weixin.qq.com"]
    refusal = channels.webhook_refusal(url)
    assert (reason in refusal) if reason else refusal == ""


def test_the_sender_refuses_a_host_not_allowed_without_connecting(robot, settings):
    settings.SHIGAN_ROBOT_HOSTS = ["oapi.dingtalk.com"]
    with pytest.raises(ChannelError, match="不在其中"):
        channels.post_json(robot.webhook(), {"msgtype": "text"})
    assert robot.received == []


def test_the_default_robot_hosts_are_dingtalks_and_wecoms():
    assert django_settings.SHIGAN_ROBOT_HOSTS == ["oapi.dingtalk.com", "qyapi.weixin.qq.com"]


def test_email_goes_through_djangos_mail_settings(settings):
    settings.DEFAULT_FROM_EMAIL = "shigan@example.gov.cn"
    channels.send_email(to="wang@example.gov.cn", subject="实干提醒", body="内容")
    (sent,) = mail.outbox
    assert sent.to == ["wang@example.gov.cn"] and sent.subject == "实干提醒"
    assert sent.from_email == "shigan@example.gov.cn"
    assert sent.body == "内容"


def test_a_mail_server_refusing_is_a_failure_with_its_reason(monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({"wang@example.gov.cn": (550, b"mailbox unavailable")})

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with pytest.raises(ChannelError, match="^邮件发送失败：.*mailbox unavailable"):
        channels.send_email(to="wang@example.gov.cn", subject="实干提醒", body="内容")


# --- people's text in robot markdown ------------------------------------------------------------

HOSTILE = '[点我](http://evil.example) <font color="warning">红</font> <@all> <script>x</script> # *粗* `码` > 引 _斜_ ~删~ |表| \\ ![图](http://evil.example/a.png)'
MARKUP_CHARACTERS = "[]()<>#*`_~|\\!"


def _inert(text: str) -> bool:
    return not any(c in text for c in MARKUP_CHARACTERS)


def test_peoples_text_is_made_inert_in_robot_markdown_and_reads_the_same():
    inert = channels.markdown_text(HOSTILE)
    assert _inert(inert)
    assert inert.startswith("［点我］（http://evil.example）") and "＜@all＞" in inert
    assert "＜font color" in inert and "＜script＞" in inert
    assert (
        channels.markdown_text("兴业大道建设：距完成还有 3 个工作日")
        == "兴业大道建设：距完成还有 3 个工作日"
    )


@pytest.mark.parametrize("channel", [Channel.DINGTALK, Channel.WECOM])
def test_a_hostile_title_is_inert_in_either_robots_heading(channel):
    _, payload = channels.robot_request(
        channel=channel, webhook="https://oapi.dingtalk.com/robot/send?access_token=t",
        secret="", title=f"实干提醒：{HOSTILE}\n---\n# 大字", text="1. 事项", mentions=[],
    )  # fmt: skip
    markdown = payload["markdown"].get("text") or payload["markdown"]["content"]
    heading = markdown.split("\n")[0]
    assert heading.startswith("### 实干提醒：") and _inert(heading.removeprefix("### "))
    assert heading.endswith(" --- ＃ 大字")  # one line: no setext rule or heading of its own


def test_a_wecom_text_message_writes_our_own_link_out_in_plain_text():
    payload = channels.wecom_payload(
        title="实干提醒", text="1. ［点我］（x） [查看](https://shigan.example.gov.cn/tasks/1/)",
        mentions=["13800001111"],
    )  # fmt: skip
    assert payload["text"]["content"] == (
        "实干提醒\n1. ［点我］（x） 查看：https://shigan.example.gov.cn/tasks/1/"
    )


# --- what a coordinator reads when the network fails --------------------------------------------


@pytest.mark.parametrize(
    "reason, meaning",
    [
        (socket.gaierror(-2, "Name or service not known"), "域名无法解析"),
        (ConnectionRefusedError(111, "Connection refused"), "连接被拒绝"),
        (ssl.SSLCertVerificationError(1, "certificate verify failed"), "证书错误"),
        (ConnectionResetError(104, "Connection reset by peer"), "连接被中断"),
        (OSError(101, "Network is unreachable"), "网络不通"),
    ],
)
def test_network_errors_are_told_in_chinese_with_the_raw_detail_kept(
    robot, monkeypatch, reason, meaning
):
    def fail(request, timeout):
        raise urllib.error.URLError(reason)

    monkeypatch.setattr(channels._OPENER, "open", fail)
    with pytest.raises(ChannelError) as raised:
        channels.post_json(robot.webhook(), {"msgtype": "text"})
    text = raised.value.message
    assert text.startswith(f"无法连接机器人服务器：{meaning}")
    assert f"（{reason}）" in text  # e.g. "[Errno -2] Name or service not known" in parentheses


def test_a_refused_connection_to_a_real_closed_port_says_so(settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SHIGAN_ROBOT_HOSTS = [f"http://127.0.0.1:{port}"]
    with pytest.raises(ChannelError, match="连接被拒绝（"):
        channels.post_json(f"http://127.0.0.1:{port}/robot/send", {"msgtype": "text"})


@pytest.mark.parametrize(
    "a, b",
    [
        ("https://oapi.dingtalk.com/robot/send?access_token=x",
         "https://OAPI.DingTalk.com:443/robot/send?access_token=x"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
         " https://qyapi.weixin.qq.com/cgi-bin/webhook/send/?key=k "),
    ],
)  # fmt: skip
def test_the_same_webhook_written_differently_is_recognised(a, b):
    assert channels.normalised_webhook(a) == channels.normalised_webhook(b)
    assert channels.normalised_webhook(a) != channels.normalised_webhook(a + "2")  # another token
