"""The API令牌 and 数据推送 pages: forms laid out as the app's other forms (each field in a
.field block, its label above it and tied to it), titled in Chinese as the navigation names
them."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from shigan.api.webhook_services import webhook_create


def _fields(body: str) -> list[str]:
    """The label of each .field block of the page's forms, with the id it is tied to."""
    return re.findall(r'<div class="field">\s*<label(?: for="(\w*)")?>([^<]*)</label>', body)


def test_token_form_is_laid_out_as_the_apps_forms(world, client_for):
    client = client_for(world.coordinator)
    for url in ("/api/tokens/", "/accounts/password/"):
        page = client.get(url).content.decode()
        body = page[page.index('class="card api-tokens"') :]
        assert _fields(body) == [("id_name", "名称"), ("", "权限"), ("id_expires_on", "有效期至")]
        assert not re.search(r"<label>[^<]*<input", body), url  # no input inside its label line
    errors = client.post("/api/tokens/", {"name": "", "scope": "read"}).content.decode()
    assert "请修改下面标出的问题后再创建。" in errors
    field = errors[errors.index('<label for="id_name">') :]
    assert field.index('class="errorlist') < field.index('<div class="field">')


def test_webhook_pages_are_called_data_push_and_laid_out_as_the_apps_forms(world, client_for):
    subscription, _secret = webhook_create(
        by=world.coordinator,
        name="12345平台",
        url="https://example.com/hook",
        events=["progress.filed"],
    )
    client = client_for(world.coordinator)
    listing = client.get("/api/webhooks/").content.decode()
    detail = client.get(f"/api/webhooks/{subscription.pk}/").content.decode()
    assert "<title>数据推送" in listing and "<h1>数据推送</h1>" in listing
    assert "· 数据推送" in detail and ">数据推送</a> ›" in detail
    for body in (listing, detail):
        assert "Webhook推送" not in body
        assert [label for _id, label in _fields(body)][:3] == ["名称", "推送地址", "推送事件"]
        assert ("id_name", "名称") in _fields(body) and ("id_url", "推送地址") in _fields(body)


@pytest.mark.parametrize("who", ["leader", "reporter_a"])
def test_refusal_names_data_push(world, client_for, who):
    response = client_for(getattr(world, who)).get("/api/webhooks/")
    assert response.status_code == 403 and "数据推送" in response.content.decode()


def test_a_token_shown_once_wraps_on_a_phone(world, client_for):
    in_a_month = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    body = client_for(world.coordinator).post(
        "/api/tokens/", {"name": "大屏", "scope": "read", "expires_on": in_a_month}
    )
    html = body.content.decode()
    assert '<code class="token-value">' in html and "api/api.css" in html
    css = (Path(__file__).parents[1] / "static/api/api.css").read_text()
    assert re.search(r"\.token-value \{[^}]*overflow-wrap: anywhere", css)
