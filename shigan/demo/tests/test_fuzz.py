"""Hostile values in every query parameter and every form field of the demo never give a 500.

The pages and forms come from a crawl of the demo (shigan.core.crawl) as a coordinator and as a
unit's reporter; each query parameter a page's links or GET forms use, and each field of each
POST form, is replaced in turn by each hostile value (superscript, full-width and Arabic-Indic
digits, numbers past 64 bits, far-future and year-0 dates, empty strings, bytes that are not
UTF-8, NUL, very long strings, markup). Near-duplicate pages and forms (the same view with the
same parameter or field names) are tried once.
"""

from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from shigan import cli
from shigan.core.crawl import crawl, route_of
from shigan.demo.district import load_demo

# Written into the query string as they are: "%FF%FE" is not UTF-8, "%00" is NUL.
HOSTILE_RAW = [
    "%C2%B2",  # ²
    "%EF%BC%91%EF%BC%92",  # １２
    "%D9%A3",  # ٣
    "9223372036854775808",
    "-1",
    "9999-12-31",
    "0000-07",
    "0000-01-01",
    "",
    "%FF%FE",
    "%00",
    "x" * 3000,
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
]
HOSTILE_POSTED = ["²", "１２", "٣", "9223372036854775808", "9999-12-31", "0000-07", "", "\x00"]
# The values that broke pages before, tried on each parameter and field alone.
SHARP_RAW = ["%C2%B2", "9223372036854775808", "9999-12-31", "%FF%FE"]
SHARP_POSTED = ["²", "9223372036854775808", "9999-12-31"]
# Query parameters tried on every page besides the ones its own links use.
COMMON_PARAMS = ["as_of", "campaign", "period", "unit", "page"]
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}
SKIPPED_ACTIONS = ("/accounts/logout/", "/admin/logout/", "/accounts/login/")


def _crawl_demo(username: str):
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client, crawl(client, account=username, per_route=2, per_pattern=1)


def _in_scope(url: str, scope: str) -> bool:
    return url.startswith("/admin/") == (scope == "admin")


def _get_cases(result) -> list[str]:
    """Per view: every parameter its links and forms use (and COMMON_PARAMS) set to each hostile
    value at once, then each of its own parameters alone to each of the SHARP values."""
    cases, done = [], set()
    for page in result.html_pages():
        parts = urlsplit(page.url)
        if (page.route or parts.path) in done:
            continue
        done.add(page.route or parts.path)
        names = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
        for form in page.forms:
            if form.method == "get" and urlsplit(form.action).path == parts.path:
                names |= {f.name for f in form.fields if f.name}
        for value in SHARP_RAW if parts.path.startswith("/admin/") else HOSTILE_RAW:
            query = "&".join(f"{quote(n)}={value}" for n in sorted(names | set(COMMON_PARAMS)))
            cases.append(f"{parts.path}?{query}")
        for name in sorted(names):
            kept = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != name])
            for value in SHARP_RAW:
                cases.append(f"{parts.path}?{kept + '&' if kept else ''}{quote(name)}={value}")
    return cases


def _post_cases(result) -> list[tuple[str, dict]]:
    """Per POST form (once per view and field names): every field set to each hostile value at
    once, then (outside the admin) each field alone to each of the SHARP values."""
    cases, done = [], set()
    for _page, form in result.forms():
        if form.method != "post" or form.action.startswith(SKIPPED_ACTIONS):
            continue
        fields = {f.name for f in form.fields if f.kind != "file"} - SKIPPED_FIELDS
        key = (route_of(form.action) or form.action, tuple(sorted(fields)))
        if key in done:
            continue
        done.add(key)
        defaults: dict[str, list[str]] = {}
        for name, default in form.defaults():
            defaults.setdefault(name, []).append(default)
        admin = form.action.startswith("/admin/")
        for value in SHARP_POSTED + ["\x00"] if admin else HOSTILE_POSTED:
            cases.append((form.action, {**defaults, **{name: [value] for name in fields}}))
        if admin:
            continue
        for name in sorted(fields):
            for value in SHARP_POSTED:
                cases.append((form.action, {**defaults, name: [value]}))
    return cases


def _request(client, method: str, url: str, data=None):
    # A savepoint per request: on PostgreSQL a database error would otherwise abort the test's
    # transaction and fail every later request.
    try:
        with transaction.atomic():
            response = client.post(url, data) if method == "post" else client.get(url)
    except Exception as e:  # a raised exception is a server error as much as a 500
        return f"{type(e).__name__}: {e}"[:300]
    return response.status_code


# Three parts that pytest-xdist can run side by side: a reporter's pages, a coordinator's
# pages, the coordinator's admin.
@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,scope", [("tianbao", "site"), ("zhuanban", "site"), ("zhuanban", "admin")]
)
def test_hostile_query_values_and_form_fields_never_give_a_server_error(
    monkeypatch, username, scope
):
    monkeypatch.setenv("SHIGAN_TODAY", cli.DEMO_TODAY.isoformat())
    load_demo(today=cli.DEMO_TODAY)
    client, result = _crawl_demo(username)
    errors, tried = [], 0
    for url in (u for u in _get_cases(result) if _in_scope(u, scope)):
        tried += 1
        status = _request(client, "get", url)
        if not isinstance(status, int) or status >= 500:
            errors.append(f"{username} GET {url[:160]} → {status}")
    for action, data in _post_cases(result):
        if not _in_scope(action, scope):
            continue
        tried += 1
        status = _request(client, "post", action, data)
        if not isinstance(status, int) or status >= 500:
            changed = sorted(k for k, v in data.items() if v and v[0] in HOSTILE_POSTED)
            shown = data[changed[0]][0] if changed else ""
            errors.append(f"{username} POST {action} {changed[:4]}={shown!r} → {status}")
    print(f"fuzz {username} {scope}: {tried} requests, {len(errors)} server errors")
    assert tried > 300
    assert not errors, "\n".join(sorted(set(errors))[:80])
