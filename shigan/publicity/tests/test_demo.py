"""The publicity demo: the seed's 13 reports at mixed levels, February to July 2023."""

import datetime
from collections import Counter

from shigan.demo.publicity import load_publicity_demo
from shigan.publicity.models import MediaReport
from shigan.publicity.queries import media_report_counts


def test_demo_creates_the_13_reports_at_mixed_levels(world):
    reports = load_publicity_demo(campaign=world.campaign, tasks=[world.task_a, world.task_b])
    assert len(reports) == MediaReport.objects.count() == 13
    levels = Counter(MediaReport.objects.values_list("level", flat=True))
    assert levels == {"central": 1, "province": 2, "city": 4, "county": 6}
    dates = MediaReport.objects.values_list("date", flat=True)
    assert min(dates) >= datetime.date(2023, 2, 1) and max(dates) <= datetime.date(2023, 7, 31)
    assert MediaReport.objects.filter(task=world.task_a).count() == 1
    assert MediaReport.objects.filter(task=world.task_b).count() == 1
    assert MediaReport.objects.filter(task=None).exclude(activity="").count() == 11
    counts = media_report_counts(MediaReport.objects.all(), as_of=datetime.date(2023, 7, 31))
    assert counts.total == 13


def test_demo_without_tasks_names_each_subject_as_an_activity(world):
    load_publicity_demo(campaign=world.campaign, tasks=[])
    assert not MediaReport.objects.filter(activity="").exists()


def test_the_demo_on_an_earlier_day_records_the_reports_appeared_by_then(world, monkeypatch):
    """`SHIGAN_TODAY=2023-05-31 shigan demo`: a report is registered once it has appeared, so
    the 13 reports of the year are those dated by May's end (8), none refused."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-05-31")
    reports = load_publicity_demo(campaign=world.campaign, tasks=[world.task_a, world.task_b])
    assert len(reports) == 8
    assert max(r.date for r in reports).isoformat() <= "2023-05-31"
