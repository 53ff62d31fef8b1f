"""A correction is filed for the month of the report it corrects: refused once that month is
closed (the monthly report's months: shigan/monthly/tests/test_report_period_pages.py)."""

import datetime

import pytest

from shigan.tasks.models import ProgressReport

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def test_correcting_a_report_of_a_closed_month_is_refused(world, client_for):
    report = ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=D(2023, 4, 1),
        text="四月进展",
        submitted_by=world.reporter_a,
    )
    url = f"/tasks/reports/{report.pk}/correct/"
    data = {"text": "更正", "reason": "数字有误"}
    response = client_for(world.reporter_a).post(url, data)
    assert response.status_code == 200
    assert "2023年4月已过填报期" in response.content.decode()
    assert ProgressReport.objects.count() == 1
