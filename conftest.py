import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from a live
# server test would otherwise be refused.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):
    from shigan.testing import build_world

    return build_world()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright. Skipped only outside CI: with
    SHIGAN_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails the test."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SHIGAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing; scripts/setup installs it")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh page; `page.requested_hosts` collects the host of every request it makes."""
    from urllib.parse import urlsplit

    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requested_hosts = []
    page.on("request", lambda req: page.requested_hosts.append(urlsplit(req.url).hostname))
    yield page
    context.close()
