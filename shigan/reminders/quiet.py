"""Quiet hours (免打扰): the span of the day during which no email or robot message is sent.

A span is (start, end) in local time (settings.TIME_ZONE); start later than end crosses
midnight (22:00-08:00 is 22:00 to 08:00 the next morning); start equal to end is no quiet
hours. The start is inside the span, the end is not."""

import datetime
import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

QuietSpan = tuple[datetime.time, datetime.time]
SPAN_TEXT = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})\s*$")


def parse_quiet_hours(text: str) -> QuietSpan | None:
    """ "22:00-08:00" as a span; "" as none; a ValueError for anything else."""
    if not text.strip():
        return None
    found = SPAN_TEXT.match(text)
    if not found:
        raise ValueError(f"免打扰时段“{text}”应写作 HH:MM-HH:MM，如22:00-08:00")
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    try:
        return datetime.time(h1, m1), datetime.time(h2, m2)
    except ValueError:
        raise ValueError(
            f"免打扰时段“{text}”的时间不存在，应写作 HH:MM-HH:MM（00:00至23:59），如22:00-08:00"
        ) from None


def default_quiet_hours() -> QuietSpan | None:
    """settings.SHIGAN_QUIET_HOURS (22:00-08:00 unless set otherwise)."""
    try:
        return parse_quiet_hours(settings.SHIGAN_QUIET_HOURS)
    except ValueError as error:
        raise ImproperlyConfigured(f"SHIGAN_QUIET_HOURS：{error}。") from None


def quiet_hours_of(preference) -> QuietSpan | None:
    """A person's quiet hours: his own when he set both ends, else the default."""
    if preference is not None and preference.quiet_start and preference.quiet_end:
        return preference.quiet_start, preference.quiet_end
    return default_quiet_hours()


def quiet_until(moment: datetime.datetime, span: QuietSpan | None) -> datetime.datetime | None:
    """The end of the quiet span `moment` falls in (an aware datetime), or None outside it."""
    if span is None or span[0] == span[1]:
        return None
    start, end = span
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = moment.astimezone(zone)
    at = local.time()
    if start < end:
        inside, end_day = start <= at < end, local.date()
    else:  # across midnight: the evening part ends tomorrow, the morning part today
        inside = at >= start or at < end
        end_day = local.date() + datetime.timedelta(days=1 if at >= start else 0)
    if not inside:
        return None
    return datetime.datetime.combine(end_day, end, tzinfo=zone)


def outside_quiet_hours(moment: datetime.datetime, span: QuietSpan | None) -> datetime.datetime:
    """`moment`, or the end of the quiet span it falls in."""
    return quiet_until(moment, span) or moment
