import logging
import sys

import pytest
from django.test import Client

from shigan.core.log import ForbiddenInOneLine

FRAME = '<nav class="mainnav">'


def _page(response) -> str:
    body = response.content.decode()
    assert '<html lang="zh-Hans">' in body
    assert FRAME in body
    return body


def test_missing_page_is_a_chinese_404_inside_the_site(world, client_for):
    response = client_for(world.reporter_a).get("/tasks/999999/")
    assert response.status_code == 404
    body = _page(response)
    assert "页面不存在" in body and "Not Found" not in body
    assert "任务清单" in body  # the navigation is there


def test_outsider_gets_the_same_404_for_another_units_task(world, client_for):
    response = client_for(world.reporter_b).get(f"/tasks/{world.task_a.pk}/")
    assert response.status_code == 404
    assert "页面不存在" in _page(response)


def test_forbidden_write_is_a_chinese_403_with_its_reason(world, client_for):
    response = client_for(world.leader).get("/indicators/templates/targets.xlsx")
    assert response.status_code == 403
    body = _page(response)
    assert "无权操作" in body and "403 Forbidden" not in body


def test_bad_host_is_a_chinese_400(world):
    client = Client(raise_request_exception=False)
    response = client.get("/accounts/login/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    body = _page(response)
    assert "请求有误" in body and "Bad Request" not in body


def test_csrf_failure_is_a_chinese_403(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.reporter_a)
    response = client.post("/tasks/report/", {})
    assert response.status_code == 403
    body = _page(response)
    assert "提交未被接受" in body and "CSRF" not in body


@pytest.mark.urls("shigan.core.tests.urls_boom")
def test_server_error_is_a_chinese_500_from_a_static_page(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.reporter_a)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = _page(response)
    assert "服务器出错" in body and "Server Error" not in body
    assert "{%" not in body and "{{" not in body


def test_favicon_is_served_to_anyone():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_pages_link_the_icon(world, client_for):
    body = client_for(world.reporter_a).get("/tasks/").content.decode()
    assert 'rel="icon"' in body


def test_a_form_address_opened_directly_is_a_chinese_405_inside_the_site(world, client_for):
    """A POST-only address reopened from the address bar: Django answers 405 with an empty body,
    which the browser shows as its own English error page."""
    response = client_for(world.coordinator).get("/tasks/requests/1/decide/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    body = _page(response)
    assert "不能直接打开（405）" in body


def test_a_403_is_logged_in_one_line_without_a_traceback(world, client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(world.leader).get("/indicators/templates/targets.xlsx")
    assert response.status_code == 403
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in logged] == [
        "Forbidden (Permission denied): /indicators/templates/targets.xlsx"
    ]
    assert "Traceback" not in caplog.text and "PermissionDenied" not in caplog.text


def test_the_one_line_filter_keeps_the_traceback_of_anything_but_a_403():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("django.request", 40, "", 0, "Internal", (), sys.exc_info())
    record.status_code = 500
    assert ForbiddenInOneLine().filter(record) and record.exc_info is not None
