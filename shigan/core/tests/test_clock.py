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
