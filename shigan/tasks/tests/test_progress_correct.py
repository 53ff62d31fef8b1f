"""Correcting one progress report from the task page: a new report with a reason."""

import datetime

import pytest

from shigan.core.models import AuditEntry
from shigan.tasks.models import ProgressReport


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def original(world):
    return ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 6, 1),
        text="6月完成勘察80%",
        submitted_by=world.reporter_a,
    )


def url(report) -> str:
    return f"/tasks/reports/{report.pk}/correct/"


def test_form_shows_the_original_prefilled(world, client_for, original):
    response = client_for(world.reporter_a).get(url(original))
    assert response.status_code == 200
    html = response.content.decode()
    assert "6月完成勘察80%" in html and 'name="reason"' in html


@pytest.mark.parametrize("persona", ["reporter_a", "coordinator"])
def test_correction_is_a_new_report_and_the_original_is_kept(world, client_for, original, persona):
    data = {"text": "6月完成勘察90%", "reason": "统计口径有误"}
    response = client_for(world.users()[persona]).post(url(original), data)
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{world.task_a.pk}/"
    correction = ProgressReport.objects.exclude(pk=original.pk).get()
    assert correction.corrects == original and correction.correction_reason == "统计口径有误"
    assert correction.period == original.period and correction.text == "6月完成勘察90%"
    original.refresh_from_db()
    assert original.text == "6月完成勘察80%"
    assert (
        AuditEntry.objects.filter(record_type="tasks.progressreport", action="submit").count() == 1
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "改后", "reason": ""}, "请填写更正原因"),
        ({"text": "", "reason": "原因"}, "请填写更正后的进展"),
    ],
)
def test_reason_and_text_are_required(world, client_for, original, data, message):
    response = client_for(world.reporter_a).post(url(original), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ProgressReport.objects.count() == 1


def test_superseded_report_cannot_be_corrected_again(world, client_for, original):
    c = client_for(world.reporter_a)
    c.post(url(original), {"text": "第一次更正", "reason": "口径"})
    html = c.post(url(original), {"text": "第二次更正", "reason": "又改"}).content.decode()
    assert "所更正的报告已有更新的报告" in html
    assert ProgressReport.objects.count() == 2


def test_outsider_gets_404(world, client_for, original):
    c = client_for(world.reporter_b)
    assert c.get(url(original)).status_code == 404
    assert c.post(url(original), {"text": "冒改", "reason": "冒改"}).status_code == 404
    assert c.get("/tasks/reports/999999/correct/").status_code == 404


@pytest.mark.parametrize("persona", ["leader", "inspector"])
def test_read_only_roles_get_403(world, client_for, original, persona):
    c = client_for(world.users()[persona])
    assert c.get(url(original)).status_code == 403
    assert c.post(url(original), {"text": "改", "reason": "改"}).status_code == 403
    assert ProgressReport.objects.count() == 1


def test_anonymous_is_sent_to_login(client, original):
    response = client.get(url(original))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
