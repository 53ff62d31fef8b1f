"""A progress text of a zero-width space alone is empty, on the page and through the API:
refused with the page's message, nothing filed (core.text.clean_text)."""

import pytest

from shigan.indicators.tests.conftest import make_indicator
from shigan.tasks.models import ProgressReport


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.mark.parametrize("text", ["\u200b", "\ufeff", "\u2060 \u200b"])
def test_an_invisible_progress_text_is_refused_on_the_page_and_the_api(
    world, token_client, client_for, text
):
    api, _ = token_client(world.reporter_a)
    url = f"/api/v1/tasks/{world.task_a.pk}/progress"
    response = api.post(url, {"period": "2023-07", "text": text}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "未填写任何进展"
    page = client_for(world.reporter_a).post(
        "/tasks/report/",
        {
            "period": "2023-07",
            f"task-{world.task_a.pk}-text": text,
            f"task-{world.task_a.pk}-seen": "",
        },
    )
    assert page.status_code == 200 and "未填写任何进展" in page.content.decode()
    assert ProgressReport.objects.count() == 0


def test_visible_text_is_filed_without_its_invisible_edges(world, token_client):
    api, _ = token_client(world.reporter_a)
    url = f"/api/v1/tasks/{world.task_a.pk}/progress"
    body = {"period": "2023-07", "text": "\ufeff完成路基施工\u200b"}
    assert api.post(url, body, content_type="application/json").status_code == 201
    assert ProgressReport.objects.get().text == "完成路基施工"


def test_a_bidi_override_inside_a_text_is_dropped_not_filed(world, token_client):
    """ "道路\u202e硬化工程" would be listed and exported reading 道路程工化硬."""
    api, _ = token_client(world.reporter_a)
    url = f"/api/v1/tasks/{world.task_a.pk}/progress"
    body = {"period": "2023-07", "text": "道路\u202e硬化工程\u2066完成\u200b80%"}
    assert api.post(url, body, content_type="application/json").status_code == 201
    assert ProgressReport.objects.get().text == "道路硬化工程完成80%"


@pytest.mark.parametrize("raw", ["1e-999999", "1e999", "3.7e4", "-0e0"])
def test_a_figure_in_exponent_form_is_refused_with_the_number_rule(world, token_client, raw):
    """JSON's 1e-999999 (0.0 as a float) is refused as the monthly form refuses "1e-999999"."""
    indicator = make_indicator("固定资产投资", world.unit_a)
    api, _ = token_client(world.reporter_a)
    body = f'{{"period": "2023-06", "value": {raw}}}'
    response = api.post(
        f"/api/v1/indicators/{indicator.pk}/actuals", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    message = f"“{raw}”不是数字，请填写阿拉伯数字，如30000"
    assert response.json()["errors"] == [{"field": "value", "detail": message}]
