"""A page's first GET renders its form without error messages, also on a fresh install (one
coordinator, no campaign): nothing was submitted, so nothing is 必填 yet."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from shigan.orgs.models import Person

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def fresh(db, monkeypatch):
    """The install a new user has after migrate and createcoordinator, logged in."""
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    monkeypatch.setenv("SHIGAN_PASSWORD", "Lanqiao-river-2023")
    call_command(
        "createcoordinator", "--username", "zhuanban", "--name", "张专班",
        "--unit-name", "示范区党委政府", "--noinput", stdout=io.StringIO(),
    )  # fmt: skip
    client = Client()
    client.force_login(Person.objects.get().user)
    return client


ERROR_MARKS = ("这个字段是必填项", "errorlist", '<span class="error">')
FIRST_PAGES = [
    "reports:report_page", "tasks:task_list_import", "campaigns:campaign_create",
    "orgs:account_list",
]  # fmt: skip


def errors_in(html: str) -> list[str]:
    return [mark for mark in ERROR_MARKS if mark in html]


@pytest.mark.parametrize("name", FIRST_PAGES)
def test_first_get_on_a_fresh_install_shows_no_error(fresh, name):
    page = fresh.get(reverse(name))
    assert page.status_code == 200
    assert errors_in(page.content.decode()) == []


def test_the_report_page_without_a_campaign_says_so(fresh):
    html = fresh.get(reverse("reports:report_page")).content.decode()
    assert "还没有活动：请先" in html and 'href="/campaigns/new/"' in html


def test_the_import_page_without_a_campaign_offers_no_upload_and_refuses_one(fresh):
    url = reverse("tasks:task_list_import")
    html = fresh.get(url).content.decode()
    assert "还没有活动：请先" in html and "上传并预览" not in html
    posted = fresh.post(url, {"file": io.BytesIO(b"x")})
    html = posted.content.decode()
    assert posted.status_code == 200 and "还没有活动：请先" in html and errors_in(html) == []
    assert not posted.context["form"].is_bound  # nothing checked: there is nowhere to import


def test_a_new_campaign_starts_as_this_years(fresh):
    form = fresh.get(reverse("campaigns:campaign_create")).context["form"]
    assert (form["year"].value(), form["start_date"].value(), form["end_date"].value()) == (
        2023,
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
    )
    html = fresh.get(reverse("campaigns:campaign_create")).content.decode()
    assert 'value="2023"' in html and 'value="2023-01-01"' in html and 'value="2023-12-31"' in html
