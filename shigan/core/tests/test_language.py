"""The site speaks Simplified Chinese whatever language the browser asks for: Django's own pages
and messages (the admin, form errors) included."""

import pytest


@pytest.mark.django_db
def test_django_pages_stay_chinese_for_an_english_browser(client):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = page.content.decode()
    assert page.status_code == 200
    assert "用户名" in text and "Username" not in text


@pytest.mark.django_db
def test_django_form_errors_stay_chinese_for_an_english_browser(client):
    page = client.post("/admin/login/", {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "这个字段是必填项" in text and "This field is required" not in text
