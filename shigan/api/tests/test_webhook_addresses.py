"""SSRF past the address check: a host name whose DNS answer changes between the check and the
connection (rebinding) reaches no private address, and IPv6 forms carrying a private IPv4
address (IPv4-compatible, NAT64, 6to4) are refused like it."""

import socket

import pytest

from shigan.api.webhook_services import url_refusal, webhook_create, webhooks_run
from shigan.api.webhooks import WebhookDelivery

from .test_webhooks import ALL_EVENTS, file_progress, frozen_today, receiver  # noqa: F401


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]/hook",
        "http://[::10.0.0.1]/hook",
        "http://[64:ff9b::7f00:1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
        "http://[2002:7f00:1::]/hook",
        "http://[2002:c0a8:105::1]/hook",
    ],
)
def test_ipv6_forms_of_a_private_ipv4_address_are_refused(url):
    assert "内网" in url_refusal(url)
    assert "内网" in url_refusal(url, resolve=True)


def test_public_ipv6_still_accepted():
    assert url_refusal("http://[2606:4700:4700::1111]/hook") == ""
    assert url_refusal("http://[2002:5db8:d822::1]/hook") == ""  # 6to4 of a public address


def test_a_rebinding_host_reaches_no_private_address(world, receiver, settings, monkeypatch):  # noqa: F811
    r = receiver(200)
    port = int(r.url.rsplit(":", 1)[1].split("/")[0])
    webhook_create(
        by=world.coordinator, name="平台", url=f"http://rebind.test:{port}/hook", events=ALL_EVENTS
    )
    file_progress(world)
    settings.SHIGAN_WEBHOOK_ALLOW_PRIVATE = False
    real, answers = socket.getaddrinfo, iter(["93.184.216.34"])

    def rebinding(host, *args, **kwargs):
        if host != "rebind.test":
            return real(host, *args, **kwargs)
        address = next(answers, "127.0.0.1")  # public for the check, loopback afterwards
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert webhooks_run().retried == 1
    assert r.received == []
    assert "内网" in WebhookDelivery.objects.get().last_error


@pytest.mark.parametrize(
    "url",
    [
        "http://0x7f000001/hook",
        "http://2130706433/hook",
        "http://127.1/hook",
        "http://0177.0.0.1/hook",
        "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data",
        "http://localhost./hook",
        "http://api.localhost./hook",
    ],
)
def test_numeric_and_dotted_forms_are_refused_when_saved(url):
    """Refused on the form already, not only when sending (the resolver reads these as IPv4)."""
    assert "内网" in url_refusal(url)
