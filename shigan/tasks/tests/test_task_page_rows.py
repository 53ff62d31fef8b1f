"""The task page's report rows, their labels worked out in the view (issue 18): the same text
as the template's filters gave — the month, the time entered in the page's time zone — and each
report's own 更正 link."""

import datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from shigan.tasks.models import ProgressReport


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def test_each_report_row_shows_its_month_its_local_time_and_its_own_correct_link(world, client_for):
    reports = [
        ProgressReport.objects.create(
            task=world.task_a,
            unit=world.unit_a,
            period=datetime.date(2023, month, 1),
            text=f"{month}月进展",
            submitted_by=world.reporter_a,
        )  # fmt: skip
        for month in (6, 10)
    ]
    # 23:30 UTC is the next morning in Asia/Shanghai: the page shows the local day and hour
    late = datetime.datetime(2023, 6, 30, 23, 30, tzinfo=datetime.UTC)
    ProgressReport.objects.filter(pk=reports[0].pk).update(submitted_at=late)
    page = client_for(world.reporter_a).get(f"/tasks/{world.task_a.pk}/").content.decode()
    assert "录入于2023-07-01 07:30" in page
    assert date_filter(timezone.localtime(late), "Y-m-d H:i") == "2023-07-01 07:30"
    assert "2023年6月进展" in page and "2023年10月进展" in page
    for report in reports:
        assert f'href="/tasks/reports/{report.pk}/correct/">更正</a>' in page
