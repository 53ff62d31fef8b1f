import datetime
import re

import pytest

from shigan.dashboards.timeline import Span, campaign_span, month_cells
from shigan.testing import make_task

URL = "/map/?view=timeline"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def spring_task(world):
    """1 April to 30 June 2023 in a 365-day campaign: day 90 to day 180."""
    return make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="春季攻坚",
        start=datetime.date(2023, 4, 1),
        due=datetime.date(2023, 6, 30),
        milestones=[
            ("方案批复", datetime.date(2023, 5, 15), datetime.date(2023, 5, 14)),
            ("主体完工", datetime.date(2023, 6, 20), None),
        ],
        number=3,
    )


def pct(value: float) -> str:
    return f"{value:.3f}%"


def test_timeline_bar_spans_start_to_due(world, client_for, spring_task):
    html = client_for(world.coordinator).get(URL).content.decode()
    left, width = pct(90 * 100 / 365), pct(91 * 100 / 365)
    assert left == "24.658%" and width == "24.932%"
    assert f'class="bar bar-overdue" style="left:{left};width:{width}"' in html
    assert 'class="bar bar-on_track" style="left:0.000%;width:100.000%"' in html


def test_timeline_places_milestones_filled_when_done(world, client_for, spring_task):
    html = client_for(world.coordinator).get(URL).content.decode()
    done = pct((134 + 0.5) * 100 / 365)  # 15 May is day 134
    open_ = pct((170 + 0.5) * 100 / 365)  # 20 June is day 170
    assert (
        f'class="ms ms-done" style="left:{done}" title="方案批复：计划2023-05-15，已于2023-05-14完成"'
        in html
    )
    assert (
        f'class="ms ms-open" style="left:{open_}" title="主体完工：计划2023-06-20，未完成"' in html
    )


def test_timeline_has_month_header_and_today_line(world, client_for, spring_task):
    html = client_for(world.coordinator).get(URL).content.decode()
    assert '<span class="month" style="left:0.000%;width:8.493%">2023年1月</span>' in html
    assert (
        f'<span class="month" style="left:{pct(334 * 100 / 365)};width:{pct(31 * 100 / 365)}">12月</span>'
        in html
    )
    today = pct((200 + 0.5) * 100 / 365)  # 20 July is day 200
    assert f'class="today-line" style="left:{today}"' in html


def test_timeline_hides_today_line_outside_the_campaign(world, client_for):
    html = client_for(world.coordinator).get(URL + "&as_of=2024-03-01").content.decode()
    assert 'class="today-line"' not in html
    assert "bar-overdue" in html


def test_timeline_clips_tasks_reaching_beyond_the_campaign(world, client_for):
    make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="跨年任务",
        start=datetime.date(2022, 10, 1),
        due=datetime.date(2024, 3, 31),
    )
    html = client_for(world.coordinator).get(URL).content.decode()
    assert "cut-start cut-end" in html


def test_timeline_respects_visibility_and_filters(world, client_for):
    html = client_for(world.reporter_a).get(URL).content.decode()
    assert "兴业大道建设" in html and "清凉河治理二期" not in html
    html = client_for(world.coordinator).get(URL + "&status=behind").content.decode()
    assert "清凉河治理二期" in html and "兴业大道建设" not in html


def test_month_cells_cover_a_partial_campaign():
    span = Span(datetime.date(2023, 2, 1), datetime.date(2023, 3, 31))
    cells = month_cells(span)
    assert [c.label for c in cells] == ["2023年2月", "3月"]
    assert cells[1].left == round(28 * 100 / 59, 3)


def test_campaign_span_extends_to_whole_months(world):
    world.campaign.start_date = datetime.date(2023, 2, 8)
    world.campaign.end_date = datetime.date(2023, 11, 20)
    span = campaign_span(world.campaign)
    assert (span.start, span.end) == (datetime.date(2023, 2, 1), datetime.date(2023, 11, 30))


def test_timeline_bar_is_filled_by_the_share_of_milestones_done(world, client_for, spring_task):
    html = client_for(world.coordinator).get(URL).content.decode()
    row = html.split(f'data-task="{spring_task.pk}"')[1].split("</tr>")[0]
    assert '<span class="bar-fill" style="width:50.000%"></span>' in row  # 1 of 2 done
    assert re.search(r'<span class="bar-text" style="left:[0-9.]+%">节点1/2</span>', row)


def test_timeline_shows_whole_titles_without_a_tooltip_copy(world, client_for):
    title = "推进清凉河治理二期工程纳入全县重点项目建设并启动堤防建设及沿线环境整治工作方案"
    task = make_task(
        campaign=world.campaign, category=world.category, unit=world.unit_a, title=title
    )
    html = client_for(world.coordinator).get(URL).content.decode()
    label = html.split(f'data-task="{task.pk}"')[1].split("</td>")[0]
    assert f">{title}</a>" in label and "…" not in label
