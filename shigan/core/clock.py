"""Today's date for every rule that reads it.

SHIGAN_TODAY (YYYY-MM-DD) pins the date for the whole process — used by `shigan demo`, whose data
is the 2023 campaign as of 2023-07-31, and for training set-ups. Unset, it is the local date.

A demo's processes (SHIGAN_DEMO_CLOCK=1, set by `shigan` for a demo's data folder) also record
their moments on that day: `django.utils.timezone.now` answers the pinned day at the real time of
day (install_demo_clock), so what is filed in the demo reads 7月31日 14:05, not the real date.
Elsewhere (a real installation, the tests) only the date of the rules is pinned.
"""

import calendar
import datetime
import os

from django.utils import timezone


def pinned_day() -> datetime.date | None:
    """SHIGAN_TODAY's date, or None. Its first word only: a demo folder's `demo_today` file holds
    the date and then `campaign=ID`, and tools export the file's whole text."""
    words = os.environ.get("SHIGAN_TODAY", "").split()
    return datetime.date.fromisoformat(words[0]) if words else None


def today() -> datetime.date:
    return pinned_day() or timezone.localdate()


DEMO_CLOCK_ENV = "SHIGAN_DEMO_CLOCK"


def demo_now(real_now=timezone.now) -> datetime.datetime:
    """The moment on the pinned day: the real local time of day on SHIGAN_TODAY's date (the real
    moment when nothing is pinned)."""
    moment = real_now()
    pinned = pinned_day()
    if pinned is None:
        return moment
    local = timezone.localtime(moment)
    shifted = local.replace(tzinfo=None) + (pinned - local.date())
    return timezone.make_aware(shifted, local.tzinfo).astimezone(moment.tzinfo)


def install_demo_clock() -> bool:
    """With SHIGAN_DEMO_CLOCK=1 and SHIGAN_TODAY set, make `timezone.now` the demo's clock for
    this process (every auto_now field and every `timezone.now()` reads it); True when installed."""
    if os.environ.get(DEMO_CLOCK_ENV) != "1" or pinned_day() is None:
        return False
    if getattr(timezone.now, "demo_clock", False):
        return True
    real_now = timezone.now

    def now() -> datetime.datetime:
        return demo_now(real_now)

    now.demo_clock = True  # type: ignore[attr-defined]
    timezone.now = now
    return True


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
