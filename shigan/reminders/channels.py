"""The channels besides the inbox: what DingTalk's and WeCom's group robots accept, DingTalk's
加签 signature, the HTTP POST that carries a robot message and email through Django's mail
settings. No database; services/delivery.py decides what to send and when.

The robots' documented shapes (DingTalk 自定义机器人, WeCom 群机器人):
- DingTalk markdown: {"msgtype": "markdown", "markdown": {"title", "text"}, "at": {"atMobiles",
  "isAtAll"}}; a mentioned phone must also appear as "@phone" in the text to show as a mention.
  Signed (安全设置 加签): string_to_sign = f"{timestamp_ms}\\n{secret}", HMAC-SHA256 keyed with the
  secret (UTF-8), Base64, URL-encoded, appended as "&timestamp=…&sign=…" to the webhook.
- WeCom markdown: {"msgtype": "markdown", "markdown": {"content"}} (at most 4096 bytes of
  UTF-8). WeCom's markdown mentions only by <@userid>, which Shigan does not know; people are
  mentioned by phone only in a text message ({"msgtype": "text", "text": {"content",
  "mentioned_mobile_list"}}, at most 2048 bytes). So a WeCom message with people to mention is
  sent as text, one without as markdown.
- Both answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; another errcode is a failure.

Text typed by people (a task's title, a unit's name, a coordinator's 催报 text) goes into the
robots' markdown through markdown_text(): the characters either renderer reads as markup
(links, emphasis, headings, quotes, code, tables, HTML such as WeCom's <font> and <@userid>)
become their full-width forms, which read the same in Chinese text and are markup to neither —
whether a renderer honours a backslash escape is not documented by either vendor. Shigan's own
"[查看](url)" link is added after that and stays live.

Robots are reached only at the hosts of settings.SHIGAN_ROBOT_HOSTS over https (a webhook is
typed by a coordinator: no request to an intranet address), with a short timeout and no
redirect followed.
"""

import base64
import hashlib
import hmac
import json
import re
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage

from .models import Channel

ROBOT_TIMEOUT = 10  # seconds, connecting and reading
DINGTALK_TEXT_MAX = 5000  # characters of a markdown text, kept well under DingTalk's limit
WECOM_MARKDOWN_MAX = 4096  # bytes of UTF-8 (WeCom's documented limit)
WECOM_TEXT_MAX = 2048  # bytes of UTF-8 (WeCom's documented limit)
TRUNCATED = "……（内容过长，已截断）"
ANSWER_MAX = 64 * 1024  # bytes of a robot's answer read
MOBILE = re.compile(r"^1\d{10}$")

# What an errcode means, for a coordinator reading 外发记录 (DingTalk's and WeCom's codes).
ERROR_HINTS = {
    310000: "签名不匹配或未通过安全设置，请核对加签密钥、自定义关键词（须含“实干”）或 IP 地址段",
    300001: "机器人的 access_token 无效，请重新复制 Webhook 地址",
    400013: "群已被解散",
    410100: "发送过于频繁，已被限流",
    45009: "发送过于频繁，已超出每分钟20条的限制",
    93000: "Webhook 地址无效，请重新复制",
    93004: "机器人已被移出群或停用",
}


class ChannelError(Exception):
    """A message not delivered, with the reason in Chinese for the delivery log."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- markdown ---------------------------------------------------------------------------------

# Each character either robot's markdown reads as markup, as its full-width form.
MARKUP = str.maketrans({
    "\\": "＼", "[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞", "#": "＃",
    "*": "＊", "_": "＿", "`": "｀", "~": "～", "|": "｜", "!": "！", "=": "＝",
})  # fmt: skip
OWN_LINK = re.compile(r"\[([^\[\]\n]*)\]\((https?://[^()\s]*)\)")


def markdown_text(text: str) -> str:
    """People's text made inert inside robot markdown (module docstring): no link, emphasis,
    heading, quote, code, table, HTML tag or <@mention> survives; line breaks are kept."""
    return str(text).translate(MARKUP)


def markdown_heading(title: str) -> str:
    """A plain title as one inert line of markdown (a line break would start a new block)."""
    return markdown_text(" ".join(str(title).split()))


def markdown_to_plain(text: str) -> str:
    """Robot markdown built by Shigan as plain text (a WeCom text message): its own
    "[查看](url)" links written out as "查看：url"."""
    return OWN_LINK.sub(lambda m: f"{m.group(1)}：{m.group(2)}", text)


# --- payloads ---------------------------------------------------------------------------------


def truncate_chars(text: str, limit: int, note: str = TRUNCATED) -> str:
    """`text` within `limit` characters, cut with `note` when longer."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(note), 0)] + note


def truncate_utf8(text: str, limit: int, note: str = TRUNCATED) -> str:
    """`text` within `limit` bytes of UTF-8, cut on a character boundary with `note`."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = max(limit - len(note.encode("utf-8")), 0)
    return data[:room].decode("utf-8", errors="ignore") + note


def mobiles(phones) -> list[str]:
    """The mobile numbers (11 digits, 1…) among `phones`, each once, in order; a landline or
    a blank cannot be mentioned."""
    found: list[str] = []
    for phone in phones:
        digits = re.sub(r"[\s\-()]", "", phone or "")
        digits = digits.removeprefix("+86").removeprefix("0086")
        if MOBILE.match(digits) and digits not in found:
            found.append(digits)
    return found


def dingtalk_payload(*, title: str, text: str, mentions: list[str]) -> dict:
    """A DingTalk markdown message: `title` (plain text, made inert) as its heading, `text`
    (markdown, its people's text already made inert), the mentioned phones as @phone at the end
    (DingTalk shows a mention only when the phone is in the text too)."""
    tail = "\n\n" + " ".join(f"@{m}" for m in mentions) if mentions else ""
    heading = markdown_heading(title)
    body = truncate_chars(f"### {heading}\n\n{text}", DINGTALK_TEXT_MAX - len(tail))
    return {
        "msgtype": "markdown",
        "markdown": {"title": title, "text": body + tail},
        "at": {"atMobiles": list(mentions), "isAtAll": False},
    }


def wecom_payload(*, title: str, text: str, mentions: list[str]) -> dict:
    """A WeCom markdown message, or a text message when people are to be mentioned (WeCom
    mentions by phone only in text messages); `title` plain, `text` markdown as for DingTalk."""
    if mentions:
        content = truncate_utf8(f"{title}\n{markdown_to_plain(text)}", WECOM_TEXT_MAX)
        return {
            "msgtype": "text",
            "text": {"content": content, "mentioned_mobile_list": list(mentions)},
        }
    content = truncate_utf8(f"### {markdown_heading(title)}\n{text}", WECOM_MARKDOWN_MAX)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed with the secret, Base64, then
    URL-encoded (as DingTalk's own Python example: urllib.parse.quote_plus)."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, digestmod=hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(webhook: str, secret: str, timestamp_ms: int) -> str:
    """The webhook with DingTalk's timestamp and sign appended (unchanged without a secret)."""
    if not secret:
        return webhook
    joiner = "&" if urllib.parse.urlsplit(webhook).query else "?"
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def robot_request(
    *, channel: str, webhook: str, secret: str, title: str, text: str, mentions: list[str],
    timestamp_ms: int | None = None,
) -> tuple[str, dict]:  # fmt: skip
    """The URL to POST to and the JSON payload of one robot message."""
    if channel == Channel.DINGTALK:
        stamp = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
        return signed_url(webhook, secret, stamp), dingtalk_payload(
            title=title, text=text, mentions=mentions
        )
    if channel == Channel.WECOM:
        return webhook, wecom_payload(title=title, text=text, mentions=mentions)
    raise ChannelError(f"不是群机器人渠道：{channel}")


# --- which webhooks may be called -------------------------------------------------------------


def robot_hosts() -> list[str]:
    """settings.SHIGAN_ROBOT_HOSTS: host names reached over https on the default port, or
    origins such as http://127.0.0.1:8123 allowed exactly as written (for tests)."""
    return [h.strip().lower().rstrip("/") for h in settings.SHIGAN_ROBOT_HOSTS if h.strip()]


def webhook_refusal(url: str) -> str:
    """Why `url` may not be called as a robot's webhook ("" when it may): https to a host of
    SHIGAN_ROBOT_HOSTS, no user name or password in it."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return "Webhook 地址格式不正确。"
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in {"http", "https"}:
        return "Webhook 地址应以 https:// 开头。"
    if parts.username or parts.password:
        return "Webhook 地址中不能包含用户名或密码。"
    allowed = robot_hosts()
    origin = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
    if origin in allowed:
        return ""
    if parts.scheme == "https" and port in (None, 443) and host in allowed:
        return ""
    names = "、".join(h for h in allowed if "://" not in h) or "（无）"
    if parts.scheme != "https" and host in allowed:
        return "Webhook 地址须使用 https。"
    if host in allowed:
        return f"Webhook 地址的端口“{port}”不允许：只能使用 https 默认端口443，请删去“:{port}”。"
    return f"只允许向钉钉、企业微信的机器人地址发送（{names}），“{host}”不在其中。"


def normalised_webhook(url: str) -> str:
    """A webhook as compared for sameness: scheme and host in lower case, the default port
    dropped, no trailing slash on the path ("" for an address that cannot be read)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    default = {"https": 443, "http": 80}.get(scheme)
    netloc = host if port in (None, default) else f"{host}:{port}"
    query = "&".join(sorted(p for p in parts.query.split("&") if p))
    return urllib.parse.urlunsplit((scheme, netloc, parts.path.rstrip("/") or "/", query, ""))


# --- transport --------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as the error it is here: never followed to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _transport_reason(reason) -> str:
    """What a network error means, in a coordinator's words ("" when not a common one)."""
    if isinstance(reason, socket.gaierror):
        return "域名无法解析，请检查服务器的 DNS 设置或网络"
    if isinstance(reason, TimeoutError | socket.timeout):
        return "连接超时"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return "证书错误，无法确认机器人服务器的身份"
    if isinstance(reason, ssl.SSLError):
        return "加密连接（TLS）失败"
    if isinstance(reason, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(reason, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return "连接被中断"
    if isinstance(reason, OSError) and reason.errno in NETWORK_UNREACHABLE:
        return "网络不通，服务器无法访问外网"
    return ""


NETWORK_UNREACHABLE = {101, 113}  # ENETUNREACH, EHOSTUNREACH


def transport_error_text(reason, timeout: float) -> str:
    """A network error as the delivery log shows it: its meaning in Chinese, the raw detail in
    parentheses."""
    meaning = _transport_reason(reason)
    if meaning == "连接超时":
        return f"连接机器人服务器超时（{timeout:g}秒）。"
    if meaning:
        return f"无法连接机器人服务器：{meaning}（{reason}）。"
    return f"无法连接机器人服务器（{reason}）。"


def post_json(url: str, payload: dict, *, timeout: float | None = None) -> dict:
    """POST `payload` as JSON to `url` (allowed hosts only) and return the JSON answer; a
    ChannelError in Chinese for a refused address, a network error, a timeout, an HTTP error or
    an answer that is not JSON."""
    refusal = webhook_refusal(url)
    if refusal:
        raise ChannelError(refusal)
    timeout = timeout or ROBOT_TIMEOUT
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            body = response.read(ANSWER_MAX)
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise ChannelError(f"机器人地址返回跳转（HTTP {error.code}），未跟随。") from None
        raise ChannelError(f"机器人服务器返回 HTTP {error.code} 错误。") from None
    except TimeoutError:
        raise ChannelError(f"连接机器人服务器超时（{timeout:g}秒）。") from None
    except urllib.error.URLError as error:
        raise ChannelError(transport_error_text(error.reason, timeout)) from None
    except OSError as error:
        raise ChannelError(transport_error_text(error, timeout)) from None
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ChannelError("机器人服务器的答复不是 JSON。") from None
    if not isinstance(answer, dict):
        raise ChannelError("机器人服务器的答复格式不正确。")
    return answer


def check_answer(answer: dict) -> str:
    """The robot's errmsg when errcode is 0; else a ChannelError naming the code."""
    code, text = answer.get("errcode"), str(answer.get("errmsg", ""))
    if code == 0:
        return text or "ok"
    hint = ERROR_HINTS.get(code) if isinstance(code, int) else None
    raise ChannelError(f"机器人返回错误 {code}：{text}" + (f"（{hint}）" if hint else ""))


def send_robot(
    *, channel: str, webhook: str, secret: str, title: str, text: str, mentions: list[str],
    timestamp_ms: int | None = None,
) -> str:  # fmt: skip
    """Post one message to a group robot; the robot's answer ("ok") or a ChannelError."""
    url, payload = robot_request(
        channel=channel, webhook=webhook, secret=secret, title=title, text=text,
        mentions=mentions, timestamp_ms=timestamp_ms,
    )  # fmt: skip
    return check_answer(post_json(url, payload))


def email_enabled() -> bool:
    """Email is sent only where a mail server is configured (SHIGAN_EMAIL_HOST)."""
    return bool(settings.SHIGAN_EMAIL_ENABLED)


def send_email(*, to: str, subject: str, body: str) -> None:
    """One plain-text email through Django's mail settings (EMAIL_*); a ChannelError in Chinese
    when the server refuses it or cannot be reached."""
    message = EmailMessage(
        subject=subject.replace("\n", " "), body=body,
        from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
    )  # fmt: skip
    try:
        message.send(fail_silently=False)
    except TimeoutError:
        raise ChannelError("连接邮件服务器超时。") from None
    except (smtplib.SMTPException, OSError, ValueError) as error:
        raise ChannelError(f"邮件发送失败：{error}"[:400]) from None
