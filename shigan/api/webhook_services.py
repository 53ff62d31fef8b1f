"""Webhooks out: subscriptions (created, edited, deleted by a coordinator; audited), the sweep
that turns events into deliveries, and sending them signed, with retries.

Where events come from (no Django signals, CONVENTIONS): the services already audit what a
subscriber wants, so the sweep (`shigan webhooks send`, or webhooks_task on the worker) reads
the audit trail after each subscription's `last_audit_id`:
- 进展填报 `progress.filed`: an entry SUBMIT of a tasks.progressreport;
- 申请批准 `change_request.approved`: an entry APPROVE of a tasks.changerequest;
both of a task led by a unit of the subscription's level. One delivery per entry (the key
"audit:<entry id>", unique per subscription), so sweeping twice sends nothing new.
- 状态变化 `task.status_changed`: a task's status is computed (dates, milestones, filings), not
stored, so no entry records its change. The sweep computes the level's task statuses in SQL
(tasks_with_status, one query) and compares them with those it saw last (`statuses`); each
difference is one delivery (key "status:<day>:<task>:<status>"). The first sweep of a
subscription only records what it sees. Run the sweep every few minutes (cron), and a change
of day (逾期 at midnight) is reported by the day's first sweep.

Sending: POST of the JSON payload, headers X-Shigan-Event, X-Shigan-Delivery (the delivery's id)
and X-Shigan-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>, timeout
SEND_TIMEOUT. Any 2xx answer is delivered; anything else is retried RETRY_DELAYS after each
failure, and after MAX_ATTEMPTS attempts the delivery is failed (重发 on the delivery log tries
it again). Addresses in private, loopback or link-local networks are refused (SSRF) unless
settings.SHIGAN_WEBHOOK_ALLOW_PRIVATE, when the subscription is saved and again (resolved)
before each POST; redirects are not followed."""

import dataclasses
import datetime
import hashlib
import hmac
import http.client
import ipaddress
import json
import os
import secrets
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction, AuditEntry, user_display_name
from shigan.orgs.scope import district_id_of
from shigan.tasks.models import Task
from shigan.tasks.queries import tasks_with_status
from shigan.tasks.status_sql import STATUS_FIELD

from .webhooks import WebhookDelivery, WebhookEvent, WebhookSubscription

SEND_TIMEOUT = 5  # seconds, connecting and reading
RETRY_DELAYS = (  # after the 1st, 2nd, … failed attempt
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=25),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1  # the first attempt and five retries
SECRET_BYTES = 32
ERROR_MAX = 500  # characters of an error kept in the log
SWEEP_LIMIT = 1000  # audit entries read per subscription and sweep; the rest next time

AUDIT_EVENTS = {
    ("tasks.progressreport", AuditAction.SUBMIT): WebhookEvent.PROGRESS_FILED,
    ("tasks.changerequest", AuditAction.APPROVE): WebhookEvent.CHANGE_APPROVED,
}


# --- addresses (SSRF) -------------------------------------------------------------------------


def allow_private() -> bool:
    """settings.SHIGAN_WEBHOOK_ALLOW_PRIVATE when the settings define it, else the environment
    variable of that name (1/true/yes): for a receiver inside the government's own network."""
    value = getattr(settings, "SHIGAN_WEBHOOK_ALLOW_PRIVATE", None)
    if value is None:
        value = os.environ.get("SHIGAN_WEBHOOK_ALLOW_PRIVATE", "").lower() in {"1", "true", "yes"}
    return bool(value)


_IPV4_IN_IPV6 = (  # prefixes whose last 32 bits are an IPv4 address reached through them
    ipaddress.ip_network("::/96"),  # IPv4-compatible (deprecated)
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64
)


def _refused_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and any(ip in net for net in _IPV4_IN_IPV6) and int(ip) > 1:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and _refused_ip(str(embedded)):
            return True
        ip = ip.ipv4_mapped or ip
    return not ip.is_global or ip.is_multicast


def url_refusal(url: str, *, resolve: bool = False) -> str:
    """Why `url` may not receive webhooks ("" when it may): http/https with a host only; no
    private, loopback, link-local or reserved address (SSRF) unless SHIGAN_WEBHOOK_ALLOW_PRIVATE.
    With `resolve`, a host name is resolved and every address it has is checked."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return "推送地址格式不正确。"
    if parts.scheme not in {"http", "https"} or not host:
        return "推送地址须以 http:// 或 https:// 开头并包含主机名。"
    if allow_private():
        return ""
    refusal = f"推送地址“{host}”属于内网、本机或保留地址，不能接收推送。"
    name = host.rstrip(".")  # "localhost." is localhost
    if name == "localhost" or name.endswith(".localhost"):
        return refusal
    try:
        return refusal if _refused_ip(host) else ""
    except ValueError:
        pass  # a host name, or IPv4 written as the resolver also reads it (0x7f000001, 127.1)
    try:
        return refusal if _refused_ip(socket.inet_ntoa(socket.inet_aton(name))) else ""
    except OSError:
        pass  # a host name
    if not resolve:
        return ""
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return f"推送地址的域名“{host}”无法解析。"
    return refusal if any(_refused_ip(info[4][0]) for info in infos) else ""


# --- subscriptions ----------------------------------------------------------------------------


def _errors(*, name: str, url: str, events) -> list[str]:
    errors = [] if name.strip() else ["请填写名称。"]
    if refusal := url_refusal(url):
        errors.append(refusal)
    if not events:
        errors.append("请至少选择一个推送事件。")
    elif unknown := [e for e in events if e not in WebhookEvent.values]:
        errors.append(f"未知的推送事件：{'、'.join(map(str, unknown))}。")
    return errors


def _cursor() -> int:
    return AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0


@transaction.atomic
def webhook_create(*, by, name: str, url: str, events) -> tuple[WebhookSubscription, str]:
    """A subscription of `by`'s level (he must be a coordinator: access.can_manage_webhooks);
    returns it and its secret, shown once. Events from now on only (its audit cursor starts at
    the latest entry). Audited (the secret is not). ValidationError in Chinese, nothing written,
    on a blank name, a refused address or no known event."""
    errors = _errors(name=name, url=url, events=events)
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_hex(SECRET_BYTES)
    subscription = WebhookSubscription.objects.create(
        owner=by,
        district_id=district_id_of(by),
        name=name.strip(),
        url=url.strip(),
        events=[e for e in WebhookEvent.values if e in events],
        secret=secret,
        last_audit_id=_cursor(),
    )
    audit_record(actor=by, obj=subscription, action=AuditAction.CREATE)
    return subscription, secret


@transaction.atomic
def webhook_update(
    *, subscription: WebhookSubscription, by, name: str, url: str, events, active: bool
) -> WebhookSubscription:
    """Change a subscription's name, address, events or active flag. Audited."""
    errors = _errors(name=name, url=url, events=events)
    if errors:
        raise ValidationError(errors)
    before = snapshot(subscription)
    subscription.name, subscription.url = name.strip(), url.strip()
    subscription.events = [e for e in WebhookEvent.values if e in events]
    subscription.active = active
    subscription.save()
    audit_record(actor=by, obj=subscription, action=AuditAction.UPDATE, before=before)
    return subscription


@transaction.atomic
def webhook_delete(*, subscription: WebhookSubscription, by) -> None:
    """Delete a subscription and its delivery log. Audited."""
    audit_record(actor=by, obj=subscription, action=AuditAction.DELETE)
    subscription.delete()


def webhook_redeliver(*, delivery: WebhookDelivery, by) -> str:
    """重发: one more attempt now, whatever became of the delivery (audited on its
    subscription); returns send_delivery's outcome."""
    with transaction.atomic():
        delivery.failed_at = delivery.delivered_at = None
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["failed_at", "delivered_at", "next_attempt_at"])
        subscription = delivery.subscription
        audit_record(actor=by, obj=subscription, action=AuditAction.UPDATE,
                     before=snapshot(subscription), note=f"重发推送#{delivery.pk}")  # fmt: skip
    return send_delivery(delivery)


# --- the sweep: events into deliveries --------------------------------------------------------


def _level_tasks(subscription: WebhookSubscription):
    return Task.objects.filter(lead_unit__district_id=subscription.district_id)


def _audit_payload(event: str, entry: AuditEntry) -> dict:
    return {
        "event": event,
        "occurred_at": entry.at.isoformat(),
        "task_id": entry.task_id,
        "record_type": entry.record_type,
        "record_id": entry.record_id,
        "record": entry.record_repr,
        "actor": user_display_name(entry.actor),
        "note": entry.note,
        "changes": entry.changes,
    }


def _audit_deliveries(subscription: WebhookSubscription, upto: int) -> list[WebhookDelivery]:
    wanted = [(k, e) for k, e in AUDIT_EVENTS.items() if e in subscription.events]
    if not wanted:
        return []
    kinds = Q()
    for (record_type, action), _ in wanted:
        kinds |= Q(record_type=record_type, action=action)
    entries = (
        AuditEntry.objects.filter(kinds, id__gt=subscription.last_audit_id, id__lte=upto)
        .filter(task_id__in=_level_tasks(subscription).values("id"))
        .select_related("actor__person")
        .order_by("id")[:SWEEP_LIMIT]
    )
    found = []
    for entry in entries:
        event = AUDIT_EVENTS[(entry.record_type, entry.action)]
        found.append(
            WebhookDelivery(
                subscription=subscription,
                event=event,
                key=f"audit:{entry.pk}",
                payload=_audit_payload(event, entry),
            )
        )
    subscription.last_audit_id = entry.pk if len(found) == SWEEP_LIMIT else upto
    return found


def _status_deliveries(subscription: WebhookSubscription, day: datetime.date):
    tasks = tasks_with_status(_level_tasks(subscription), day).order_by()
    rows = tasks.values_list("pk", STATUS_FIELD, "title")
    now, titles = {}, {}
    for pk, status, title in rows:
        now[str(pk)], titles[str(pk)] = status, title
    found = []
    if subscription.statuses_seen:
        for pk, status in now.items():
            before = subscription.statuses.get(pk)
            if before is None or before == status:
                continue
            found.append(
                WebhookDelivery(
                    subscription=subscription,
                    event=WebhookEvent.STATUS_CHANGED,
                    key=f"status:{day.isoformat()}:{pk}:{status}",
                    payload={
                        "event": WebhookEvent.STATUS_CHANGED.value,
                        "day": day.isoformat(),
                        "task_id": int(pk),
                        "task_title": titles[pk],
                        "status_before": before,
                        "status": status,
                    },
                )
            )
    subscription.statuses, subscription.statuses_seen = now, True
    return found


@dataclasses.dataclass
class SweepTally:
    created: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


def webhooks_sweep(*, day: datetime.date | None = None) -> int:
    """Create the deliveries of every active subscription's new events (see the module's
    docstring); returns how many. Each subscription's cursor and statuses move in the same
    transaction as its deliveries are written."""
    day = day or clock.today()
    upto = _cursor()
    created = 0
    for subscription in WebhookSubscription.objects.filter(active=True).order_by("id"):
        with transaction.atomic():
            found = _audit_deliveries(subscription, upto)
            if WebhookEvent.STATUS_CHANGED in subscription.events:
                found += _status_deliveries(subscription, day)
            now = timezone.now()
            for delivery in found:
                delivery.next_attempt_at = now
            made = WebhookDelivery.objects.bulk_create(found, ignore_conflicts=True)
            created += len(made)
            subscription.save(update_fields=["last_audit_id", "statuses", "statuses_seen"])
    return created


# --- sending ----------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class _RefusedAddress(OSError):
    """A receiver's host resolved, when connecting, to an address url_refusal refuses."""


def _vetted_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """socket.create_connection, to an address checked as url_refusal checks it: the host is
    resolved once, here, and the address connected to is the one checked (a DNS answer that
    changes between the check and the connection — rebinding — reaches no private address)."""
    host, port = address
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not allow_private() and any(_refused_ip(info[4][0]) for info in infos):
        raise _RefusedAddress(f"推送地址“{host}”属于内网、本机或保留地址，不能接收推送。")
    error = None
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as failed:
            error = failed
            sock.close()
    raise error or OSError(f"{host} 没有可连接的地址")


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _vetted_connection


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _vetted_connection


def _proxied(req) -> bool:
    return req.has_proxy() or getattr(req, "_tunnel_host", None) is not None


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(http.client.HTTPConnection if _proxied(req) else _PinnedHTTP, req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        kind = http.client.HTTPSConnection if _proxied(req) else _PinnedHTTPS
        return self.do_open(kind, req, context=self._context)


_OPENER = urllib.request.build_opener(_NoRedirect, _PinnedHTTPHandler, _PinnedHTTPSHandler)


def signature(secret: str, body: bytes) -> str:
    """The X-Shigan-Signature header's value: sha256=<hex HMAC-SHA256 of the body>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery: (status code or None, error text; "" when 2xx)."""
    subscription = delivery.subscription
    if refusal := url_refusal(subscription.url, resolve=True):
        return None, refusal
    body = body_of(delivery)
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Shigan-Webhook",
            "X-Shigan-Event": delivery.event,
            "X-Shigan-Delivery": str(delivery.pk),
            "X-Shigan-Signature": signature(subscription.secret, body),
        },
    )
    try:
        with _OPENER.open(request, timeout=SEND_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"接收方返回 HTTP {error.code}。"
    except TimeoutError:
        return None, f"连接接收方超时（{SEND_TIMEOUT}秒）。"
    except urllib.error.URLError as error:
        if isinstance(error.reason, _RefusedAddress):
            return None, str(error.reason)
        return None, _transport_error(error.reason)
    except OSError as error:
        return None, _transport_error(error)


def _transport_error(reason) -> str:
    """A network error in the log: its meaning in Chinese, the raw detail in parentheses."""
    meanings = [
        (socket.gaierror, "域名无法解析"),
        (TimeoutError, f"连接超时（{SEND_TIMEOUT}秒）"),
        (ConnectionRefusedError, "连接被拒绝"),
        (ConnectionResetError, "连接被中断"),
        (ssl.SSLError, "加密连接（TLS）失败"),
    ]
    meaning = next((text for kind, text in meanings if isinstance(reason, kind)), "")
    return (
        f"无法连接接收方：{meaning}（{reason}）。" if meaning else f"无法连接接收方（{reason}）。"
    )


def send_delivery(delivery: WebhookDelivery, *, now: datetime.datetime | None = None) -> str:
    """One attempt: "sent", "retried", "failed", or "" when another run claimed it first (the
    claim is a conditional update of `attempts`)."""
    now = now or timezone.now()
    rows = WebhookDelivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
    if not rows.filter(delivered_at__isnull=True, failed_at__isnull=True).update(
        attempts=delivery.attempts + 1, next_attempt_at=None
    ):
        return ""
    delivery.attempts, delivery.next_attempt_at = delivery.attempts + 1, None
    code, error = _post(delivery)
    delivery.last_status_code, delivery.last_error = code, error[:ERROR_MAX]
    if not error:
        delivery.delivered_at, outcome = timezone.now(), "sent"
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.failed_at, outcome = now, "failed"
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
        outcome = "retried"
    delivery.save(update_fields=[
        "last_status_code", "last_error", "delivered_at", "failed_at", "next_attempt_at"
    ])  # fmt: skip
    return outcome


def send_due(*, now: datetime.datetime | None = None, limit: int = 500) -> SweepTally:
    """Send the deliveries whose next attempt is due (active subscriptions only)."""
    now = now or timezone.now()
    tally = SweepTally()
    due = (
        WebhookDelivery.objects.filter(
            next_attempt_at__lte=now,
            delivered_at__isnull=True,
            failed_at__isnull=True,
            subscription__active=True,
        )
        .select_related("subscription")
        .order_by("next_attempt_at", "id")[:limit]
    )
    for delivery in due:
        outcome = send_delivery(delivery, now=now)
        if outcome:
            setattr(tally, outcome, getattr(tally, outcome) + 1)
    return tally


def webhooks_run(*, now: datetime.datetime | None = None) -> SweepTally:
    """What `shigan webhooks send` does: the sweep, then every due delivery."""
    created = webhooks_sweep()
    tally = send_due(now=now)
    tally.created = created
    return tally
