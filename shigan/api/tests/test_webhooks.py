"""Webhooks out: a coordinator's subscriptions of his level, events derived from the audit trail
and the tasks' statuses (once each), signed POSTs checked by a real local receiver, retries
with backoff, SSRF refusal, the delivery log."""

import datetime
import hashlib
import hmac
import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from shigan.api.access import (
    can_manage_webhooks,
    get_delivery_for_user,
    get_webhook_for_user,
    webhooks_of,
)
from shigan.api.webhook_services import (
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    SEND_TIMEOUT,
    send_due,
    url_refusal,
    webhook_create,
    webhooks_run,
    webhooks_sweep,
)
from shigan.api.webhooks import WebhookDelivery, WebhookEvent, WebhookSubscription
from shigan.core.models import AuditAction, AuditEntry
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.tasks.models import ChangeKind
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.progress import progress_submit
from shigan.testing import make_user

ALL_EVENTS = [e.value for e in WebhookEvent]
SECRET = re.compile(r"[0-9a-f]{64}")


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


class Receiver:
    """A real HTTP server in a thread: answers each POST with the next of `codes` (the last one
    repeated) and keeps (headers, raw body) of each."""

    def __init__(self, codes):
        self.codes, self.received = list(codes), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                code = receiver.codes.pop(0) if len(receiver.codes) > 1 else receiver.codes[0]
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.SHIGAN_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    made = []

    def make(*codes):
        made.append(Receiver(codes or (200,)))
        return made[-1]

    yield make
    for r in made:
        r.close()


def file_progress(world, text="完成路基施工", corrects=None):
    return progress_submit(
        corrects=corrects,
        reason="更正" if corrects else "",
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        by=world.reporter_a,
        text=text,
        milestones_reached={},
        uploads=[],
    )


def other_district():
    district = Unit.objects.create(name="乙区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    office = Unit.objects.create(name="乙区作风办", kind=UnitKind.TASK_FORCE, parent=district)
    return make_user("yi_zhuanban", unit=office, role=Role.COORDINATOR, name="乙专班")[0]


def test_signed_post_checked_by_a_local_receiver(world, receiver):
    r = receiver(200)
    subscription, secret = webhook_create(
        by=world.coordinator, name="12345平台", url=r.url, events=ALL_EVENTS
    )
    report = file_progress(world)
    tally = webhooks_run()
    assert (tally.created, tally.sent) == (1, 1)
    ((headers, body),) = r.received
    delivery = WebhookDelivery.objects.get()
    assert headers["X-Shigan-Event"] == "progress.filed"
    assert headers["X-Shigan-Delivery"] == str(delivery.pk)
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Shigan-Signature"] == f"sha256={expected}"
    wrong = hmac.new(b"another secret", body, hashlib.sha256).hexdigest()
    assert headers["X-Shigan-Signature"] != f"sha256={wrong}"
    payload = json.loads(body)
    assert payload["event"] == "progress.filed"
    assert payload["task_id"] == world.task_a.pk and payload["record_id"] == report.pk
    assert payload["actor"] == "王填报"
    delivery.refresh_from_db()
    assert delivery.delivered_at and delivery.attempts == 1 and delivery.last_status_code == 200
    assert SEND_TIMEOUT == 5


def test_approval_is_an_event_and_the_sweep_creates_each_once(world, receiver):
    r = receiver(200)
    webhook_create(by=world.coordinator, name="办公系统", url=r.url, events=ALL_EVENTS)
    file_progress(world)
    request = change_request_create(
        task=world.task_a,
        by=world.reporter_a,
        kind=ChangeKind.EXTEND,
        reason="征地未完成",
        proposed_due_date=datetime.date(2024, 3, 31),
    )
    change_request_decide(change_request=request, by=world.coordinator, approve=True, note="同意")
    assert webhooks_run().created == 2
    events = sorted(h["X-Shigan-Event"] for h, _ in r.received)
    assert events == ["change_request.approved", "progress.filed"]
    again = webhooks_run()  # nothing new: the cursor moved, and each key is unique
    assert (again.created, again.sent) == (0, 0)
    assert webhooks_sweep() == 0
    assert len(r.received) == 2 and WebhookDelivery.objects.count() == 2


def test_events_before_the_subscription_or_not_chosen_are_not_sent(world, receiver):
    r = receiver(200)
    first = file_progress(world, "订阅之前")
    webhook_create(
        by=world.coordinator, name="只要批准", url=r.url, events=["change_request.approved"]
    )
    file_progress(world, "订阅之后", corrects=first)
    assert webhooks_run().created == 0
    assert r.received == []


def test_status_change_compared_with_the_last_sweep(world, receiver):
    r = receiver(200)
    webhook_create(by=world.coordinator, name="大屏", url=r.url, events=["task.status_changed"])
    assert webhooks_sweep(day=datetime.date(2023, 7, 20)) == 0  # the first sweep: a baseline
    assert webhooks_sweep(day=datetime.date(2023, 7, 20)) == 0  # nothing changed
    late = world.task_a.due_date + datetime.timedelta(days=1)
    assert webhooks_sweep(day=late) >= 1
    delivery = WebhookDelivery.objects.get(payload__task_id=world.task_a.pk)
    assert delivery.event == "task.status_changed"
    assert (
        delivery.payload["status"] == "overdue" and delivery.payload["status_before"] != "overdue"
    )
    assert delivery.payload["task_title"] == world.task_a.title
    assert webhooks_sweep(day=late) == 0
    send_due()
    assert {h["X-Shigan-Event"] for h, _ in r.received} == {"task.status_changed"}


def test_retry_with_backoff_then_failed(world, receiver):
    assert [d.total_seconds() / 60 for d in RETRY_DELAYS] == [1, 5, 25, 120, 600]
    assert MAX_ATTEMPTS == 6
    r = receiver(500, 200)
    webhook_create(by=world.coordinator, name="平台", url=r.url, events=ALL_EVENTS)
    file_progress(world)
    webhooks_sweep()
    t0 = timezone.now()
    assert send_due(now=t0).retried == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.next_attempt_at == t0 + datetime.timedelta(minutes=1)
    assert delivery.last_status_code == 500 and "HTTP 500" in delivery.last_error
    assert send_due(now=t0 + datetime.timedelta(seconds=59)).retried == 0  # not yet due
    assert send_due(now=t0 + datetime.timedelta(minutes=1)).sent == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.delivered_at and delivery.last_status_code == 200

    always = receiver(500)
    delivery.subscription.url = always.url
    delivery.subscription.save()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        delivered_at=None, attempts=0, next_attempt_at=t0
    )
    now, delays = t0, []
    for _ in range(MAX_ATTEMPTS):
        send_due(now=now)
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            delays.append(delivery.next_attempt_at - now)
            now = delivery.next_attempt_at
    assert delays == list(RETRY_DELAYS)
    assert delivery.failed_at is not None and delivery.attempts == MAX_ATTEMPTS
    assert len(always.received) == MAX_ATTEMPTS
    assert send_due(now=now + datetime.timedelta(days=1)).failed == 0  # failed stays failed


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://192.168.1.5/",
        "http://localhost/hook",
        "http://[::1]/hook",
    ],
)
def test_private_targets_are_refused_by_default(world, client_for, url):
    assert "内网" in url_refusal(url)
    response = client_for(world.coordinator).post(
        "/api/webhooks/", {"name": "内网", "url": url, "events": ALL_EVENTS}
    )
    assert response.status_code == 200 and "内网" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_address_rules(settings, monkeypatch):
    monkeypatch.setenv("SHIGAN_WEBHOOK_ALLOW_PRIVATE", "1")  # the settings' value wins
    settings.SHIGAN_WEBHOOK_ALLOW_PRIVATE = False
    assert "内网" in url_refusal("http://10.1.2.3/hook")
    del settings.SHIGAN_WEBHOOK_ALLOW_PRIVATE
    assert url_refusal("http://10.1.2.3/hook") == ""  # the environment's when it has none
    monkeypatch.delenv("SHIGAN_WEBHOOK_ALLOW_PRIVATE")
    assert "内网" in url_refusal("http://10.1.2.3/hook")
    assert url_refusal("https://hooks.example.com/shigan") == ""
    assert "http://" in url_refusal("ftp://example.com/x")
    assert "http://" in url_refusal("javascript:alert(1)")
    settings.SHIGAN_WEBHOOK_ALLOW_PRIVATE = True
    assert url_refusal("http://10.1.2.3/hook") == ""


def test_a_private_target_is_refused_again_when_sending(world, receiver, settings):
    r = receiver(200)
    webhook_create(by=world.coordinator, name="平台", url=r.url, events=ALL_EVENTS)
    file_progress(world)
    settings.SHIGAN_WEBHOOK_ALLOW_PRIVATE = False
    assert webhooks_run().retried == 1
    assert r.received == []
    assert "内网" in WebhookDelivery.objects.get().last_error


def test_a_refused_connection_is_logged_in_chinese_and_retried(world, receiver):
    r = receiver(200)
    webhook_create(by=world.coordinator, name="平台", url=r.url, events=ALL_EVENTS)
    r.close()  # nobody listens any more
    file_progress(world)
    assert webhooks_run().retried == 1
    assert "无法连接接收方：连接被拒绝" in WebhookDelivery.objects.get().last_error


def test_created_on_the_page_secret_shown_once_and_audited(world, client_for):
    client = client_for(world.coordinator)
    data = {"name": "12345平台", "url": "https://hooks.example.com/a", "events": ALL_EVENTS}
    response = client.post("/api/webhooks/", data)
    html = response.content.decode()
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in html and "只显示这一次" in html
    assert subscription.district == world.district and subscription.owner == world.coordinator
    assert subscription.secret not in client.get("/api/webhooks/").content.decode()
    detail = f"/api/webhooks/{subscription.pk}/"
    edit = data | {"name": "12345热线", "events": ["progress.filed"], "active": ""}
    assert client.post(detail, edit).status_code == 302
    subscription.refresh_from_db()
    assert subscription.name == "12345热线" and subscription.events == ["progress.filed"]
    assert subscription.active is False
    assert client.post(f"{detail}delete/").status_code == 302
    assert not WebhookSubscription.objects.exists()
    entries = AuditEntry.objects.filter(record_type="api.webhooksubscription").order_by("id")
    assert [e.action for e in entries] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.DELETE,
    ]
    assert all(e.actor == world.coordinator for e in entries)
    assert not any(subscription.secret in json.dumps(e.changes) for e in entries)
    assert entries[1].changes["名称"] == ["12345平台", "12345热线"]


def test_a_reporter_cannot_manage_webhooks(world, client_for):
    client = client_for(world.reporter_a)
    assert client.get("/api/webhooks/").status_code == 403
    data = {"name": "x", "url": "https://hooks.example.com/a", "events": ALL_EVENTS}
    assert client.post("/api/webhooks/", data).status_code == 403
    assert not WebhookSubscription.objects.exists()
    assert not can_manage_webhooks(world.reporter_a) and can_manage_webhooks(world.coordinator)


def test_another_districts_coordinator_sees_none_of_them(world, client_for, receiver):
    r = receiver(200)
    subscription, _ = webhook_create(
        by=world.coordinator, name="甲区平台", url=r.url, events=ALL_EVENTS
    )
    first = file_progress(world)
    webhooks_run()
    delivery = WebhookDelivery.objects.get()
    other = other_district()
    client = client_for(other)
    assert "甲区平台" not in client.get("/api/webhooks/").content.decode()
    base = f"/api/webhooks/{subscription.pk}/"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}delete/").status_code == 404
    assert client.post(f"{base}deliveries/{delivery.pk}/redeliver/").status_code == 404
    assert list(webhooks_of(other)) == []
    assert get_webhook_for_user(world.coordinator, subscription.pk) == subscription
    assert get_delivery_for_user(world.coordinator, subscription.pk, delivery.pk) == delivery
    # and the other district's events are not ours: its subscription gets none of them
    webhook_create(by=other, name="乙区平台", url=r.url, events=ALL_EVENTS)
    file_progress(world, "再次填报", corrects=first)
    assert webhooks_run().created == 1
    assert WebhookDelivery.objects.filter(subscription__name="乙区平台").count() == 0


def test_delivery_log_page_and_redeliver(
    world, client_for, receiver, django_assert_max_num_queries
):
    r = receiver(500)
    subscription, _ = webhook_create(
        by=world.coordinator, name="平台", url=r.url, events=ALL_EVENTS
    )
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=subscription, event="progress.filed", key=f"k{i}")
        for i in range(30)
    )
    file_progress(world)
    webhooks_run()
    client = client_for(world.coordinator)
    url = f"/api/webhooks/{subscription.pk}/"
    # Bounded whatever the log's length (measured: 7 with 1 delivery or 31; the list: 6)
    with django_assert_max_num_queries(7):
        html = client.get(url).content.decode()
    for i in range(3):
        webhook_create(by=world.coordinator, name=f"平台{i}", url=r.url, events=ALL_EVENTS)
    with django_assert_max_num_queries(6):
        assert "平台2" in client.get("/api/webhooks/").content.decode()
    assert "HTTP 500" in html and "待重试" in html and "重发" in html
    assert "1分钟、5分钟、25分钟、2小时、10小时" in html
    delivery = WebhookDelivery.objects.get(key__startswith="audit:")
    r.codes = [200]
    response = client.post(f"{url}deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 2
    assert AuditEntry.objects.filter(
        record_type="api.webhooksubscription", note=f"重发推送#{delivery.pk}"
    ).exists()


def test_the_command_and_the_task(world, receiver):
    r = receiver(200)
    webhook_create(by=world.coordinator, name="平台", url=r.url, events=ALL_EVENTS)
    file_progress(world)
    out = io.StringIO()
    call_command("webhooks", "send", stdout=out)
    assert out.getvalue().strip() == "数据推送：新事件1、送达1、待重试0、失败0。"
    out = io.StringIO()
    call_command("webhooks", "send", "--enqueue", stdout=out)  # immediate backend in tests
    assert out.getvalue().strip() == "数据推送：新事件0、送达0、待重试0、失败0。"
    assert len(r.received) == 1
