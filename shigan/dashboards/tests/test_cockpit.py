"""The cockpit (工作总览): every role's cards scoped through orgs.access, the unit filter, the
date, empty states, links, and the demo district."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from shigan.campaigns.models import Campaign
from shigan.dashboards.views.cockpit import optional_url
from shigan.orgs.models import Oversight, Role, Unit, UnitKind
from shigan.testing import make_user

from .cockpit_data import activities, indicator

URL = "/map/cockpit/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def data(world):
    activities(world)
    return world


def cards_of(response) -> dict:
    return {card.key: card for card in response.context["data"].cards}


def items_of(card) -> dict[str, str]:
    return {item.label: item.value for item in card.items}


def get_cards(client, query: str = "") -> dict:
    response = client.get(URL + query)
    assert response.status_code == 200
    return cards_of(response)


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_cockpit_is_the_first_link_of_the_navigation(world, client_for):
    # Where `/` and logging in land each role is shigan/views.py's (orgs/tests/test_account_rules).
    html = client_for(world.reporter_a).get("/tasks/").content.decode()
    nav = html[html.index('<nav class="mainnav">') :]
    assert nav.index('href="/map/cockpit/"') < nav.index('href="/tasks/"')


def test_coordinator_sees_every_card_for_the_whole_district(data, client_for):
    response = client_for(data.coordinator).get(URL)
    html = response.content.decode()
    cards = cards_of(response)
    assert list(cards) == [
        "tasks",
        "indicators",
        "decisions",
        "findings",
        "service",  # 马上就办: the people's concerns
        "meetings",
        "inspections",
        "spot_checks",
        "notices",
        "media_reports",
        "investment",
        "study",
        "escalations",  # 督办事项: none escalated, so last
    ]
    # Decisions and rectifications are tracked items too, as on the battle map.
    assert items_of(cards["tasks"]) == {"逾期": "2", "滞后": "1", "正常": "3"}
    assert cards["findings"].value == 2
    assert items_of(cards["findings"]) == {"逾期": "1", "待整改": "1"}
    assert cards["decisions"].value == 2 and cards["media_reports"].value == 2
    assert items_of(cards["investment"])["外出招商"] == "1次"
    assert "范围：<b data-scope>全区</b>" in html
    assert "截至 <b>2023年7月20日</b>" in html


def test_reporter_counts_only_his_units_tasks_findings_decisions_and_indicators(data, client_for):
    cards = get_cards(client_for(data.reporter_a))
    assert items_of(cards["tasks"]) == {"逾期": "2", "正常": "1"}  # list task, finding, decision
    assert items_of(cards["findings"]) == {"逾期": "1"}
    assert cards["decisions"].value == 1
    # the district's headline figures behind time progress, not only his unit's (issue 15)
    assert [i.label for i in cards["indicators"].items] == ["固定资产投资", "规模以上工业总产值"]
    assert "spot_checks" not in cards  # they pick the items checked on site
    assert cards["media_reports"].value == 2  # district-wide, tagged as such
    assert cards["media_reports"].scope_tag == cards["investment"].scope_tag == "全区"

    other = get_cards(client_for(data.reporter_b))
    assert items_of(other["tasks"]) == {"滞后": "1", "正常": "2"}
    assert items_of(other["findings"]) == {"待整改": "1"}
    assert [i.label for i in other["indicators"].items] == ["固定资产投资", "规模以上工业总产值"]


def test_leader_sees_his_overseen_units_rolled_up(data, client_for):
    sub_unit = Unit.objects.create(name="区交通局养护站", kind=UnitKind.OFFICE, parent=data.unit_a)
    indicator(data, "农村公路养护里程", sub_unit, 100, 10, sort_order=4)
    response = client_for(data.leader).get(URL)
    cards = cards_of(response)
    # unit A's three items, and unit B's decision whose responsible leader he is
    assert cards["tasks"].value == 4 and items_of(cards["tasks"]) == {"逾期": "2", "正常": "2"}
    assert items_of(cards["findings"]) == {"逾期": "1"}
    # The headline figures are the district's (unit B's 工业总产值 too), his own marked 分管.
    headline = cards["indicators"]
    assert [i.label for i in headline.items] == [
        "固定资产投资",
        "农村公路养护里程",
        "规模以上工业总产值",
    ]
    assert {f.name: f.mine for f in headline.figures} == {
        "固定资产投资": True,
        "农村公路养护里程": True,
        "规模以上工业总产值": False,
        "生猪存栏": True,  # on track: listed, not counted behind
    }
    assert headline.scope_tag == "全区"
    assert "spot_checks" in cards
    assert "分管单位（区交通局、区交通局养护站）" in response.content.decode()


def test_unit_filter_narrows_the_unit_cards_and_tags_the_others(data, client_for):
    response = client_for(data.coordinator).get(f"{URL}?unit={data.unit_b.pk}")
    cards = cards_of(response)
    assert items_of(cards["tasks"]) == {"滞后": "1", "正常": "2"}
    assert items_of(cards["findings"]) == {"待整改": "1"}
    assert cards["decisions"].value == 1
    assert [i.label for i in cards["indicators"].items] == ["规模以上工业总产值"]
    assert cards["inspections"].scope_tag == "未按单位筛选"
    assert cards["media_reports"].scope_tag == "全区"
    assert cards["tasks"].scope_tag == "" and cards["findings"].scope_tag == ""
    assert f"unit={data.unit_b.pk}" in cards["tasks"].url
    assert "范围：<b data-scope>区水务局</b>" in response.content.decode()


def test_inspector_may_filter_by_any_unit(data, client_for):
    cards = get_cards(client_for(data.inspector), f"?unit={data.unit_a.pk}")
    assert items_of(cards["tasks"]) == {"逾期": "2", "正常": "1"}


@pytest.mark.parametrize("persona", ["reporter_a", "leader"])
def test_unit_outside_the_users_scope_is_not_found(data, client_for, persona):
    client = client_for(data.users()[persona])
    assert client.get(f"{URL}?unit={data.unit_b.pk}").status_code == 404
    assert client.get(f"{URL}?unit=999999").status_code == 404
    assert client.get(f"{URL}?unit={data.unit_a.pk}").status_code == 200


def test_leader_may_filter_among_his_units_and_reporter_gets_no_unit_menu(data, client_for):
    leader_html = client_for(data.leader).get(URL).content.decode()
    reporter_html = client_for(data.reporter_a).get(URL).content.decode()
    assert "全部分管单位" not in leader_html  # one overseen unit: nothing to choose
    Oversight.objects.create(leader=data.leader_person, unit=data.unit_b)
    assert "全部分管单位" in client_for(data.leader).get(URL).content.decode()
    assert 'name="unit"' not in reporter_html


def test_as_of_changes_the_counts(data, client_for):
    client = client_for(data.coordinator)
    now = get_cards(client)
    april = get_cards(client, "?as_of=2023-04-01")
    assert now["media_reports"].value == 2 and april["media_reports"].value == 1
    assert now["meetings"].value == 2 and april["meetings"].value == 1
    assert now["findings"].value == 2 and april["findings"].empty  # inspected on 16 May
    assert items_of(april["tasks"]) != items_of(now["tasks"])
    assert "as_of=2023-04-01" in april["tasks"].url
    assert "as_of" not in now["tasks"].url


def test_bad_date_is_reported_and_today_used(data, client_for):
    response = client_for(data.coordinator).get(f"{URL}?as_of=2023-13-01")
    assert response.status_code == 200
    assert "不是存在的日期" in response.content.decode()
    assert response.context["data"].as_of == datetime.date(2023, 7, 20)


def test_unknown_campaign_is_not_found(world, client_for):
    assert client_for(world.coordinator).get(f"{URL}?campaign=999").status_code == 404


def test_campaign_without_records_shows_no_data_on_every_card(world, client_for):
    empty = Campaign.objects.create(
        year=2024,
        name="空活动",
        organiser=world.district,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    response = client_for(world.coordinator).get(f"{URL}?campaign={empty.pk}&as_of=2024-03-01")
    cards = cards_of(response)
    assert all(card.empty for card in cards.values()), [k for k, c in cards.items() if not c.empty]
    html = response.content.decode()
    assert html.count('class="ck-none"') == len(cards)
    assert "暂无任务" in html and "暂无指标数据" in html and "暂无宣传报道" in html
    assert "data-value" not in html and "完成率" not in html


def test_user_without_any_campaign_sees_a_plain_message(world, client_for):
    unit = Unit.objects.create(name="区档案馆", kind=UnitKind.BUREAU, parent=world.district)
    user, _ = make_user("reporter_c", unit=unit, role=Role.REPORTER, name="孙填报")
    html = client_for(user).get(URL).content.decode()
    assert "暂无可查看的活动" in html


def test_task_status_lines_link_to_the_battle_map_filtered_by_that_status(data, client_for):
    client = client_for(data.coordinator)
    behind = next(i for i in get_cards(client)["tasks"].items if i.tone == "behind")
    assert behind.url.startswith("/map/?") and "status=behind" in behind.url
    rows = client.get(behind.url).context["data"].rows
    assert [r.task.title for r in rows] == ["清凉河治理二期"]


def test_finding_status_lines_link_to_the_filtered_finding_list(data, client_for):
    client = client_for(data.coordinator)
    overdue = next(i for i in get_cards(client)["findings"].items if i.label == "逾期")
    assert "status=overdue" in overdue.url and overdue.tone == "overdue"
    assert client.get(overdue.url).status_code == 200


def test_indicators_behind_time_progress_red_first_with_their_gap(data, client_for):
    card = get_cards(client_for(data.coordinator))["indicators"]
    assert card.value == 2 and card.tone == "red"
    assert [(i.label, i.value, i.tone) for i in card.items] == [
        ("固定资产投资", "差23.0个百分点", "red"),
        ("规模以上工业总产值", "差3.2个百分点", "yellow"),
    ]
    assert card.note == "2023年6月，共3项指标"
    dashboard = optional_url("indicators:dashboard")
    assert card.url == (f"{dashboard}?period=2023-06" if dashboard else "")


def test_optional_url_is_empty_for_a_page_that_does_not_exist():
    assert optional_url("indicators:no_such_page") == ""
    assert optional_url("dashboards:battle_map") == "/map/"


@pytest.mark.django_db
def test_demo_cockpit_shows_the_13_media_reports_and_the_meeting_numbers(client_for):
    from shigan.demo.district import load_demo

    load_demo()
    user = get_user_model().objects.get(username="zhuanban")
    response = client_for(user).get(f"{URL}?as_of=2023-07-31")
    cards = cards_of(response)
    assert cards["media_reports"].value == 13
    assert items_of(cards["media_reports"]) == {"中央": "1", "省": "2", "市": "4", "县": "6"}
    decisions = cards["decisions"]
    assert decisions.value == 9 and decisions.note == "完成率 44.4%"
    assert items_of(decisions)["已完成"] == "4" and items_of(decisions)["推进中"] == "5"
    assert cards["meetings"].value == 9 and cards["meetings"].note == "各会议系列均按频次召开"
    assert cards["study"].value == 5
    html = response.content.decode()
    assert "<b data-value>13</b>" in html and "完成率 44.4%" in html
