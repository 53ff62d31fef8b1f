"""Every answer carries the Content-Security-Policy of shigan/core/middleware.py: scripts only
from the site's own files (no inline script, no eval), no plugins, no foreign <base>, no framing."""

import re
from pathlib import Path

import pytest

from shigan.core.middleware import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]  # shigan/
# A <script> without src (a JSON data block excepted), an on…= handler, a javascript: URL.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=|javascript:", re.I
)


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().partition(" ")[::2] for part in header.split(";"))


def test_the_policy_allows_no_inline_script():
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'self'"
    assert (
        "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/map/", "/map/cockpit/", "/indicators/", "/tasks/report/", "/map/export.xlsx", "/nope/"],
)
def test_pages_and_downloads_carry_the_policy(world, client_for, path):
    response = client_for(world.coordinator).get(path)
    assert response.status_code in (200, 302, 404)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_login_page_and_a_refused_method_carry_the_policy(world, client, client_for):
    assert client.get("/accounts/login/")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    refused = client_for(world.coordinator).get("/accounts/logout/")
    assert refused.status_code == 405
    assert refused["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_template_holds_an_inline_script_or_handler():
    templates = list(ROOT.rglob("templates/**/*.html"))
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in INLINE_SCRIPT.finditer(path.read_text())
    ]
    assert len(templates) > 100 and found == []
