"""Today's date for every rule that reads it.

SHIGAN_TODAY (YYYY-MM-DD) pins the date for the whole process — used by `shigan demo`, whose data
is the 2023 campaign as of 2023-07-31, and for training set-ups. Unset, it is the local date.
"""

import calendar
import datetime
import os

from django.utils import timezone


def today() -> datetime.date:
    pinned = os.environ.get("SHIGAN_TODAY", "").strip()
    if pinned:
        return datetime.date.fromisoformat(pinned)
    return timezone.localdate()


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
