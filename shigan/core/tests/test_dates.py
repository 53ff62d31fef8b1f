import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.datetime import to_excel

from shigan.core.clock import month_end
from shigan.core.dates import Deadline, leading_deadline, parse_deadline
from shigan.core.params import BadValue

D = datetime.date
YEAR = 2023
HINT = "（可写如“2023年8月31日”“2023.8.31”“8月底前”“三季度末”“年底”“长期坚持”）"
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
CN = "一二三四五六七八九十"


def cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else "十" + CN[n - 11]


@pytest.mark.parametrize(
    "written,day",
    [
        ("2023年8月底", D(2023, 8, 31)),
        ("2023.8.31", D(2023, 8, 31)),
        ("2023-08-31", D(2023, 8, 31)),
        ("2023/8/31前", D(2023, 8, 31)),
        ("8月31日前", D(2023, 8, 31)),
        ("8月31号", D(2023, 8, 31)),
        ("8月底前", D(2023, 8, 31)),
        ("8月末", D(2023, 8, 31)),
        ("2月底", D(2023, 2, 28)),
        ("八月底前", D(2023, 8, 31)),
        ("6月", D(2023, 6, 30)),
        ("6月份", D(2023, 6, 30)),
        ("6月上旬", D(2023, 6, 10)),
        ("6月中旬", D(2023, 6, 20)),
        ("6月下旬", D(2023, 6, 30)),
        ("3-8月", D(2023, 8, 31)),
        ("3月至8月底前", D(2023, 8, 31)),
        ("三季度末", D(2023, 9, 30)),
        ("第一季度", D(2023, 3, 31)),
        ("2024年二季度末", D(2024, 6, 30)),
        ("年底", D(2023, 12, 31)),
        ("年底前完成", D(2023, 12, 31)),
        ("年内", D(2023, 12, 31)),
        ("全年", D(2023, 12, 31)),
        ("上半年", D(2023, 6, 30)),
        ("年中", D(2023, 6, 30)),
        ("下半年", D(2023, 12, 31)),
        ("2023年底", D(2023, 12, 31)),
        ("2024年内", D(2024, 12, 31)),
        ("2023年", D(2023, 12, 31)),
        ("8.31", D(2023, 8, 31)),
        ("２０２３年８月３１日", D(2023, 8, 31)),
        (" 2023年 8月 31日 ", D(2023, 8, 31)),
        (D(2023, 8, 31), D(2023, 8, 31)),
        (datetime.datetime(2023, 8, 31, 0, 0), D(2023, 8, 31)),
        (45169, D(2023, 8, 31)),
        (45169.0, D(2023, 8, 31)),
    ],
)
def test_deadline_phrases_of_district_lists_are_read(written, day):
    assert parse_deadline(written, year=YEAR) == Deadline(day)


@pytest.mark.parametrize("written", ["长期坚持", "持续推进", "常态化", "长期", "持续开展"])
def test_a_phrase_without_a_fixed_date_is_ongoing(written):
    assert parse_deadline(written, year=YEAR) == Deadline(None, ongoing=True)


@pytest.mark.parametrize(
    "written,message",
    [
        ("", f"未填写完成时限{HINT}"),
        ("   ", f"未填写完成时限{HINT}"),
        (None, f"未填写完成时限{HINT}"),
        ("尽快", f"“尽快”不是可识别的完成时限{HINT}"),
        ("十十月", f"“十十月”不是可识别的完成时限{HINT}"),
        ("2023年2月30日", "“2023年2月30日”不是存在的日期"),
        ("13月底", "“13月底”不是有效的日期（月份应为1—12）"),
        ("2200年底", "“2200年底”超出允许的年份范围（1990—2100年）"),
        ("8月前", "“8月前”含义不明确：是该月1日前还是该月底前？请写作“M月底前”或“M月D日前”"),
        (8, "“8”是数字，不是日期（日期请写作“2023年8月31日”或设为日期格式）"),
        (D(2300, 1, 1), "“2300-01-01”超出允许的年份范围（1990—2100年）"),
    ],
)
def test_what_is_not_a_deadline_is_named_in_the_message(written, message):
    with pytest.raises(BadValue) as raised:
        parse_deadline(written, year=YEAR)
    assert str(raised.value) == message


@given(days)
def test_every_date_written_in_full_reads_back(day):
    for written in (
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}.{day.month}.{day.day}",
        f"{day:%Y-%m-%d}",
        f"{day.year}年{day.month}月{day.day}日前",
    ):
        assert parse_deadline(written, year=YEAR).day == day


@given(days)
def test_a_month_end_phrase_is_the_months_last_day(day):
    end = month_end(day)
    for written in (
        f"{day.month}月底",
        f"{day.month}月底前",
        f"{cn(day.month)}月底",
        f"{day.month}月",
    ):
        assert parse_deadline(written, year=day.year).day == end
    assert parse_deadline(f"{day.year}年{day.month}月底", year=YEAR).day == end


@given(days)
def test_a_date_serial_reads_as_its_date(day):
    if D(1950, 1, 1) <= day <= D(2099, 12, 31):
        assert parse_deadline(to_excel(day), year=YEAR).day == day


@given(st.text(max_size=12))
def test_any_text_is_a_deadline_or_a_message_naming_it(text):
    try:
        found = parse_deadline(text, year=YEAR)
    except BadValue as bad:
        assert str(bad).startswith(("“", "未填写"))
    else:
        assert found.ongoing or D(1990, 1, 1) <= found.day <= D(2100, 12, 31)


@pytest.mark.parametrize(
    "line,expected",
    [
        ("8月底前完成整体方案", (D(2023, 8, 31), "完成整体方案")),
        ("9月进入申报", (D(2023, 9, 30), "进入申报")),
        ("2023年8月31日：完成整体方案", (D(2023, 8, 31), "完成整体方案")),
        ("2023年8月31日：前期工作", (D(2023, 8, 31), "前期工作")),
        ("一季度外出招商不少于2次", (D(2023, 3, 31), "外出招商不少于2次")),
        ("年底取得治理成效", (D(2023, 12, 31), "取得治理成效")),
        ("12月40个村完成改造", (D(2023, 12, 31), "40个村完成改造")),
        ("8.31完成验收", (D(2023, 8, 31), "完成验收")),
        ("完成规划设计", None),
        ("长期坚持每月调度", None),
    ],
)
def test_a_milestone_line_opens_with_its_date(line, expected):
    assert leading_deadline(line, year=YEAR) == expected


def test_a_milestone_line_opening_with_a_malformed_date_is_refused():
    with pytest.raises(BadValue, match="“13月底前”不是有效的日期"):
        leading_deadline("13月底前完成", year=YEAR)


@given(days, st.text(min_size=1, max_size=30).filter(lambda t: t.strip()))
def test_a_dated_line_as_the_export_writes_it_reads_back(day, title):
    written = f"{day.year}年{day.month}月{day.day}日：{title}"
    found = leading_deadline(written, year=YEAR)
    assert found is not None and found[0] == day
