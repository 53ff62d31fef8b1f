"""What every demo loader shares: the demo's date, the note on its audit entries, and when a
month's report was filed. The loaders (district, indicators, meetings, supervision, publicity,
reports) import this module; it imports none of them."""

import datetime

from django.utils import timezone

from .data import campaign as campaign_data
from .data.tasks import REPORT_DAY

DEMO_TODAY = datetime.date(2023, 7, 31)
AUDIT_NOTE = "演示数据"


def report_time(month: int) -> datetime.datetime:
    """When the demo's monthly report for `month` was filed (afternoon of REPORT_DAY)."""
    day = datetime.datetime(campaign_data.YEAR, month, REPORT_DAY, 16, 30)
    return timezone.make_aware(day)
