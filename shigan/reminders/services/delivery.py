"""Delivery by the channels besides the inbox: queueing a digest or a message for email and the
units' group robots (one Delivery row each, keyed by its source so nothing is queued twice),
and sending what is due with retries.

- Email goes to a person with an address whose 提醒方式 allow it (no row: allowed), and only
  where a mail server is configured (channels.email_enabled).
- A unit's enabled robots get one message a day listing the unit's reminders, mentioning those
  of the reminders' recipients who work in the unit, allow it and have a mobile number.
- Quiet hours (quiet.py): a delivery due within the recipient's quiet hours (his own, else
  settings.SHIGAN_QUIET_HOURS; robots always the settings') waits until they end.
- deliver_pending sends each due delivery on its own: one failing, raising or timing out
  never stops or undoes another. A failure is retried after BACKOFF_MINUTES; after
  MAX_ATTEMPTS attempts the delivery is 发送失败. Each attempt is claimed first (a conditional
  update), so two runs at once never send one delivery twice and a run that dies mid-send
  leaves it to be retried. Call it outside a transaction: each row commits on its own.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from shigan.orgs.models import Unit

from .. import channels
from ..channels import ChannelError
from ..models import Channel, Delivery, DeliveryState, Digest, Message, Notice, Reminder, UnitRobot
from ..quiet import default_quiet_hours, outside_quiet_hours, quiet_hours_of, quiet_until

logger = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 30, 120, 720)  # the wait after the 1st, 2nd, … failed attempt
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1  # 6: the last one 12 hours after the 5th
ERROR_MAX = 500  # Delivery.last_error's length
EMAIL_FOOTER = "本邮件由实干平台自动发送。如不需要邮件提醒，可在平台“消息 › 提醒方式”中关闭。"


@dataclass
class DeliveryTally:
    """One deliver_pending run: sent, failed and to be retried, failed for good (out of
    attempts, or refused: robot disabled, email turned off), put off to the end of quiet hours."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    postponed: int = 0


# --- what a delivery says ---------------------------------------------------------------------


def absolute_link(link: str) -> str:
    """A site path as an address to open from outside (settings.SHIGAN_SITE_URL), else ""."""
    if not link or not settings.SHIGAN_SITE_URL or not link.startswith("/"):
        return ""
    return settings.SHIGAN_SITE_URL + link


def _line(number: int, text: str, link: str, *, markdown: bool) -> str:
    """One numbered reminder; for a robot (`markdown`) its text made inert and its link a
    [查看](url)."""
    url = absolute_link(link)
    if markdown:
        text = channels.markdown_text(text)
    if not url:
        return f"{number}. {text}"
    return f"{number}. {text} [查看]({url})" if markdown else f"{number}. {text}\n   {url}"


def _name(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def _email_body(user, intro: str, lines: list[str]) -> str:
    site = f"\n\n登录实干平台查看：{settings.SHIGAN_SITE_URL}/" if settings.SHIGAN_SITE_URL else ""
    return (
        f"{_name(user)}，您好：\n\n{intro}\n\n"
        + "\n".join(lines)
        + site
        + f"\n\n——\n{EMAIL_FOOTER}"
    )


def _email_allowed(user) -> bool:
    preference = getattr(user, "delivery_preference", None)
    return bool(
        channels.email_enabled() and user.is_active and user.email
        and (preference is None or preference.email)
    )  # fmt: skip


# --- queueing ---------------------------------------------------------------------------------


def _queue(deliveries: list[Delivery]) -> list[Delivery]:
    """Those of `deliveries` whose key is new, saved (a key queued before — by this run or
    another at the same moment — is skipped); read back with their keys: four queries."""
    if not deliveries:
        return []
    keys = [d.key for d in deliveries]
    known = set(Delivery.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh = {d.key: d for d in deliveries if d.key not in known}
    if not fresh:
        return []
    Delivery.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return list(Delivery.objects.filter(key__in=list(fresh)).order_by("id"))


def _email(user, *, key: str, title: str, body: str, now: datetime.datetime) -> Delivery:
    span = quiet_hours_of(getattr(user, "delivery_preference", None))
    return Delivery(
        key=key, channel=Channel.EMAIL, recipient=user, title=title[:200], body=body,
        next_attempt_at=outside_quiet_hours(now, span),
    )  # fmt: skip


def _users(ids: Iterable[int]) -> dict[int, object]:
    users = get_user_model().objects.filter(pk__in=set(ids))
    return {u.pk: u for u in users.select_related("delivery_preference", "person")}


@transaction.atomic
def deliveries_for_digests(
    *, digests: list[tuple[Digest, list[Reminder]]], now: datetime.datetime
) -> list[Delivery]:
    """Each digest by email to its recipient, where he has an address and allows email; keyed
    "digest:<id>:email". A fixed number of queries whatever the number of digests."""
    users = _users(digest.recipient_id for digest, _ in digests)
    wanted = [(d, rs, users[d.recipient_id]) for d, rs in digests if d.recipient_id in users]
    wanted = [(d, rs, user) for d, rs, user in wanted if _email_allowed(user)]
    if not wanted:
        return []
    texts = Message.objects.filter(pk__in=[d.message_id for d, _, _ in wanted])
    texts = {m.pk: m for m in texts.only("title", "body")}
    queued = []
    for digest, reminders, user in wanted:
        message = texts[digest.message_id]
        lines = [_line(i, r.text, r.link, markdown=False) for i, r in enumerate(reminders, 1)]
        intro = f"实干平台{digest.day.year}年{digest.day.month}月{digest.day.day}日 给您的提醒："
        body = _email_body(user, intro, lines or [message.body])
        key = f"digest:{digest.pk}:email"
        queued.append(_email(user, key=key, title=message.title, body=body, now=now))
    return _queue(queued)


def deliveries_for_digest(
    *, digest: Digest, reminders: list[Reminder], now: datetime.datetime
) -> list[Delivery]:
    """One digest by email (deliveries_for_digests)."""
    return deliveries_for_digests(digests=[(digest, reminders)], now=now)


def _mentions(reminder_ids: list[int], unit_ids: list[int]) -> dict[int, list[str]]:
    """Per unit, the mobile numbers of the reminders' recipients who work in it and allow
    mentions (one query)."""
    rows = (
        Notice.objects.filter(
            reminder_id__in=reminder_ids, recipient__person__unit_id__in=unit_ids,
            recipient__is_active=True,
        )
        .values_list(
            "recipient__person__unit_id", "recipient__person__phone",
            "recipient__delivery_preference__robot_mention",
        )
        .order_by("recipient__person__sort_order", "recipient_id")
    )  # fmt: skip
    phones: dict[int, list[str]] = {}
    for unit_id, phone, allowed in rows:
        if allowed is not False:
            phones.setdefault(unit_id, []).append(phone)
    return {unit_id: channels.mobiles(found) for unit_id, found in phones.items()}


def _robot(robot: UnitRobot, *, key: str, title: str, body: str, mentions, now) -> Delivery:
    return Delivery(
        key=key, channel=robot.channel, robot=robot, title=title[:200], body=body,
        mentions=list(mentions), next_attempt_at=outside_quiet_hours(now, default_quiet_hours()),
    )  # fmt: skip


@transaction.atomic
def deliveries_for_robots(
    *, day: datetime.date, reminders_by_unit: dict[Unit, list[Reminder]], now: datetime.datetime
) -> list[Delivery]:
    """One message a day to each enabled robot of each unit listing the unit's reminders
    ("实干提醒：<unit> <day>"), keyed "robot:<id>:<day>": a second call the same day queues
    nothing. A fixed number of queries whatever the number of units."""
    units = {unit.pk: (unit, rs) for unit, rs in reminders_by_unit.items() if rs}
    robots = UnitRobot.objects.filter(unit_id__in=list(units), enabled=True).order_by("id")
    robots = list(robots)
    if not robots:
        return []
    reminder_ids = [r.pk for _, rs in units.values() for r in rs]
    mentions = _mentions(reminder_ids, list(units))
    queued = []
    for robot in robots:
        unit, reminders = units[robot.unit_id]
        lines = [_line(i, r.text, r.link, markdown=True) for i, r in enumerate(reminders, 1)]
        queued.append(
            _robot(robot, key=f"robot:{robot.pk}:{day:%Y-%m-%d}",
                   title=f"实干提醒：{unit} {day:%Y-%m-%d}", body="\n".join(lines),
                   mentions=mentions.get(unit.pk, []), now=now)
        )  # fmt: skip
    return _queue(queued)


def _with_link(text: str, link: str, *, markdown: bool) -> str:
    """A message's text and its link; for a robot (`markdown`) the text made inert."""
    url = absolute_link(link)
    if markdown:
        text = channels.markdown_text(text)
    if not url:
        return text
    return f"{text} [查看]({url})" if markdown else f"{text}\n\n查看：{url}"


def _mentionable(user) -> bool:
    preference = getattr(user, "delivery_preference", None)
    person = getattr(user, "person", None)
    allowed = preference is None or preference.robot_mention
    return person is not None and user.is_active and allowed


@transaction.atomic
def deliveries_for_sending(
    *,
    messages_by_unit: dict[Unit | None, list[Message]],
    key: str,
    now: datetime.datetime,
    unit_in_key: bool = True,
) -> list[Delivery]:
    """Inbox messages sent by hand (催报, 催办) by the other channels: each by email to its
    recipient ("<key>:<unit id>:email:<user id>"), and one message to each enabled robot of each
    unit (None: no robots) mentioning the unit's recipients ("<key>:<unit id>:robot:<robot
    id>"). `key` names the sending (e.g. "chase:<batch>"), so a repeated call queues nothing
    twice. A fixed number of queries whatever the number of units and messages."""
    messages_by_unit = {unit: sent for unit, sent in messages_by_unit.items() if sent}
    if not messages_by_unit:
        return []
    users = _users(m.recipient_id for sent in messages_by_unit.values() for m in sent)
    units = {unit.pk: unit for unit in messages_by_unit if unit is not None}
    robots = list(UnitRobot.objects.filter(unit_id__in=list(units), enabled=True).order_by("id"))
    queued = []
    for unit, sent in messages_by_unit.items():
        prefix = f"{key}:{unit.pk if unit is not None else 0}" if unit_in_key else key
        for message in sent:
            user = users.get(message.recipient_id)
            if user is not None and _email_allowed(user):
                text = _with_link(message.body, message.link, markdown=False)
                body = _email_body(user, "实干平台给您发来一条消息：", [text])
                email_key = f"{prefix}:email:{user.pk}"
                queued.append(_email(user, key=email_key, title=message.title, body=body, now=now))
        people = [users[m.recipient_id] for m in sent if m.recipient_id in users]
        mentions = channels.mobiles(u.person.phone for u in people if _mentionable(u))
        title = f"实干平台{sent[0].title}（{unit}）"
        body = _with_link(sent[0].body, sent[0].link, markdown=True)
        for robot in (r for r in robots if unit is not None and r.unit_id == unit.pk):
            queued.append(
                _robot(robot, key=f"{prefix}:robot:{robot.pk}", title=title, body=body,
                       mentions=mentions, now=now)
            )  # fmt: skip
    return _queue(queued)


def deliveries_for_messages(
    *, messages: list[Message], unit: Unit | None = None, key: str, now: datetime.datetime
) -> list[Delivery]:
    """deliveries_for_sending for one unit's messages (or none: email only), `key` naming the
    sending and the unit already ("<key>:email:<user id>", "<key>:robot:<robot id>")."""
    return deliveries_for_sending(
        messages_by_unit={unit: messages}, key=key, now=now, unit_in_key=False
    )


def deliveries_for_message(
    *, message: Message, unit: Unit | None = None, key: str, now: datetime.datetime
) -> list[Delivery]:
    """One inbox message by the other channels (deliveries_for_messages)."""
    return deliveries_for_messages(messages=[message], unit=unit, key=key, now=now)


# --- sending ----------------------------------------------------------------------------------


def _refusal(delivery: Delivery) -> str:
    """Why a due delivery is not to be sent at all any more ("" when it is)."""
    if delivery.channel == Channel.EMAIL:
        user = delivery.recipient
        if not channels.email_enabled():
            return "系统管理员尚未配置邮件服务器，未发送。"
        if user is None or not user.is_active:
            return "接收人账号已停用，未发送。"
        if not user.email:
            return "接收人没有填写邮箱地址，未发送。"
        preference = getattr(user, "delivery_preference", None)
        if preference is not None and not preference.email:
            return "接收人已关闭邮件提醒，未发送。"
        return ""
    robot = delivery.robot
    if robot is None:
        return "群机器人已删除，未发送。"
    if not robot.enabled:
        return "群机器人已停用，未发送。"
    refusal = channels.webhook_refusal(robot.webhook)
    return f"{refusal}未发送。" if refusal else ""


def _quiet_span(delivery: Delivery):
    if delivery.channel == Channel.EMAIL and delivery.recipient is not None:
        return quiet_hours_of(getattr(delivery.recipient, "delivery_preference", None))
    return default_quiet_hours()


def _transmit(delivery: Delivery) -> None:
    if delivery.channel == Channel.EMAIL:
        channels.send_email(to=delivery.recipient.email, subject=delivery.title, body=delivery.body)
        return
    robot = delivery.robot
    channels.send_robot(
        channel=robot.channel, webhook=robot.webhook, secret=robot.secret, title=delivery.title,
        text=delivery.body, mentions=delivery.mentions,
    )  # fmt: skip


def _error_text(error: Exception) -> str:
    if isinstance(error, ChannelError):
        return error.message[:ERROR_MAX]
    return f"发送时出现意外错误：{type(error).__name__}: {error}"[:ERROR_MAX]


def retry_at(attempts: int, now: datetime.datetime, span) -> datetime.datetime:
    """When a delivery that failed its `attempts`-th attempt at `now` is tried again."""
    wait = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
    return outside_quiet_hours(now + datetime.timedelta(minutes=wait), span)


def _deliver_one(delivery: Delivery, now: datetime.datetime) -> str:
    """Send one delivery; what became of it ("sent", "retried", "failed", "postponed", or
    "" when another run claimed it first). Writes only its own row."""
    rows = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING)
    refusal = _refusal(delivery)
    if refusal:
        rows.update(state=DeliveryState.FAILED, last_error=refusal)
        return "failed"
    span = _quiet_span(delivery)
    quiet_end = quiet_until(now, span)
    if quiet_end is not None:
        rows.update(next_attempt_at=quiet_end)
        return "postponed"
    attempts = delivery.attempts + 1
    claimed = rows.filter(attempts=delivery.attempts).update(
        attempts=attempts, next_attempt_at=retry_at(attempts, now, span)
    )
    if not claimed:
        return ""
    try:
        _transmit(delivery)
    except Exception as error:  # noqa: BLE001 — whatever one channel raises, the others go on
        if not isinstance(error, ChannelError):
            logger.exception("delivery %s raised", delivery.pk)
        done = attempts >= MAX_ATTEMPTS
        state = DeliveryState.FAILED if done else DeliveryState.PENDING
        Delivery.objects.filter(pk=delivery.pk).update(state=state, last_error=_error_text(error))
        return "failed" if done else "retried"
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENT, sent_at=now, last_error=""
    )
    return "sent"


def deliver_pending(*, now: datetime.datetime, limit: int = 500) -> DeliveryTally:
    """Send every pending delivery due at `now` (at most `limit`, the longest waiting first),
    each on its own (module docstring). One read for the batch, then per delivery a claim and
    its outcome."""
    due = (
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .select_related("recipient__delivery_preference", "robot")
        .order_by("next_attempt_at", "id")[:limit]
    )
    tally = DeliveryTally()
    for delivery in list(due):
        outcome = _deliver_one(delivery, now)
        if outcome:
            setattr(tally, outcome, getattr(tally, outcome) + 1)
    return tally
