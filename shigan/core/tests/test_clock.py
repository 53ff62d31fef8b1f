import datetime

import pytest

from shigan.core import clock

D = datetime.date


@pytest.mark.parametrize(
    "day,end",
    [
        (D(2023, 2, 8), D(2023, 2, 28)),
        (D(2024, 2, 1), D(2024, 2, 29)),
        (D(2023, 7, 31), D(2023, 7, 31)),
        (D(2023, 12, 1), D(2023, 12, 31)),
    ],
)
def test_month_end_is_the_last_day_of_the_month(day, end):
    assert clock.month_end(day) == end
    assert clock.month_start(day) == day.replace(day=1)


# --- the demo's clock ----------------------------------------------------------------------

UTC = datetime.UTC


def test_demo_now_is_the_pinned_day_at_the_real_local_time_of_day(monkeypatch):
    from django.utils import timezone

    real = datetime.datetime(2026, 12, 8, 3, 19, 42, 5, tzinfo=UTC)  # 11:19 in Shanghai
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    moment = clock.demo_now(lambda: real)
    local = timezone.localtime(moment)
    assert (local.date(), local.time()) == (D(2023, 7, 31), datetime.time(11, 19, 42, 5))
    # late in the local day (after 16:00 UTC it is the next local day): still the pinned day
    late = datetime.datetime(2026, 12, 8, 17, 30, tzinfo=UTC)  # 01:30 on 9 December locally
    assert timezone.localtime(clock.demo_now(lambda: late)).date() == D(2023, 7, 31)
    monkeypatch.delenv("SHIGAN_TODAY")
    assert clock.demo_now(lambda: real) == real


@pytest.mark.django_db
def test_the_demo_clock_dates_what_is_saved_only_in_a_demo(monkeypatch):
    from django.utils import timezone

    from shigan.orgs.models import Unit

    monkeypatch.setattr(timezone, "now", timezone.now)  # restored after the test
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    monkeypatch.delenv(clock.DEMO_CLOCK_ENV, raising=False)
    assert clock.install_demo_clock() is False  # a pinned date alone: the rules' date only
    assert timezone.localdate() != D(2023, 7, 31)
    monkeypatch.setenv(clock.DEMO_CLOCK_ENV, "1")
    assert clock.install_demo_clock() is True
    assert clock.install_demo_clock() is True  # once: not wrapped twice
    assert timezone.localdate() == D(2023, 7, 31)
    unit = Unit.objects.create(name="演示单位", short_name="演示")
    unit.refresh_from_db()
    for stamp in (unit.created_at, unit.updated_at):  # auto_now_add, auto_now
        assert timezone.localtime(stamp).date() == D(2023, 7, 31)


def test_a_pinned_day_is_the_first_word_of_shigan_today(monkeypatch):
    """Tools export a demo folder's whole demo_today file (its date, then campaign=ID)."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31\ncampaign=1\n")
    assert clock.today() == D(2023, 7, 31)
    monkeypatch.setenv("SHIGAN_TODAY", "  ")
    assert clock.pinned_day() is None
