import datetime
import re
from decimal import Decimal as D

import pytest

from .page_data import enterprise, project

PROJECTS = "/indicators/projects/"


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def projects(world, today):
    lingao = enterprise("零傲", world.unit_a, figures=[(5, 8000, 300), (6, 9800, 360)])
    jialun = enterprise("佳仑", world.unit_b, figures=[(6, 5000, 120)])
    enterprise("楚汉源", world.unit_b)
    started = project(
        "零傲新材料", world.unit_a, enterprise=lingao, task=world.task_a,
        actual_start=datetime.date(2023, 3, 10),
    )  # fmt: skip
    late = project(
        "佳仑智能制造", world.unit_b, enterprise=jialun, task=world.task_b,
        planned_investment_this_year=D(6000), completed_investment_this_year=D(4000),
        funds_in_place=D(3000), contracted_investment=D(20000),
    )  # fmt: skip
    return started, late


def rates_of(response) -> dict:
    return {rate.name: rate.pct for rate in response.context["rates"]}


def test_project_list_shows_figures_and_the_four_rates(projects, world, client_for):
    response = client_for(world.coordinator).get(PROJECTS)
    rates = rates_of(response)
    assert rates["履约率"] == D("60.0")  # (2000 + 4000) ÷ (4000 + 6000)
    assert rates["资金到位率"] == D("26.7")  # (5000 + 3000) ÷ (10000 + 20000)
    assert rates["开工率"] == D("50.0")  # one of the two due by 7-31 has started
    assert rates["竣工投产率"] is None  # none due yet
    text = text_of(response)
    for definition in (
        "本年完成投资之和 ÷ 本年计划投资之和 × 100%",
        "到位资金之和 ÷ 合同投资之和 × 100%",
        "截至统计日已开工项目数",
        "截至统计日已竣工投产项目数",
    ):
        assert definition in text
    assert "零傲新材料" in text and "20000" in text and "2023-03-10" in text
    assert "未开工" in text  # 佳仑 was due to start on 3-01


def test_rates_follow_the_filters(projects, world, client_for):
    client = client_for(world.coordinator)
    started = client.get(PROJECTS + "?started=yes")
    assert [p.name for p in started.context["rows"]] == ["零傲新材料"]
    assert rates_of(started)["开工率"] == D("100.0")
    not_started = client.get(PROJECTS + "?started=no")
    assert [p.name for p in not_started.context["rows"]] == ["佳仑智能制造"]
    by_enterprise = client.get(f"{PROJECTS}?enterprise={projects[1].enterprise_id}")
    assert [p.name for p in by_enterprise.context["rows"]] == ["佳仑智能制造"]
    by_unit = client.get(f"{PROJECTS}?unit={world.unit_a.pk}")
    assert rates_of(by_unit)["履约率"] == D("50.0")


def test_project_nodes_come_from_its_tasks_milestones(projects, world, client_for):
    text = text_of(client_for(world.coordinator).get(PROJECTS))
    assert "已完成1/2" in text and "完成规划设计" in text and "完成整体方案" in text
    assert f"/tasks/{world.task_a.pk}/" in text


def test_reporter_sees_his_units_projects_and_enterprises_only(projects, world, client_for):
    response = client_for(world.reporter_b).get(PROJECTS)
    assert [p.name for p in response.context["rows"]] == ["佳仑智能制造"]
    assert {e.name for e in response.context["enterprises"]} == {"佳仑", "楚汉源"}
    assert [name for _, name in response.context["unit_options"]] == ["区水务局"]
    assert "零傲" not in text_of(response)


def test_leader_sees_overseen_units_projects(projects, world, client_for):
    response = client_for(world.leader).get(PROJECTS)
    assert [p.name for p in response.context["rows"]] == ["零傲新材料"]


def test_task_link_only_when_the_user_reads_the_task(world, client_for, today):
    project("交通局承建的水务项目", world.unit_a, task=world.task_b)
    text = text_of(client_for(world.reporter_a).get(PROJECTS))
    assert "已完成0/1" in text and f"/tasks/{world.task_b.pk}/" not in text


def test_enterprises_show_their_latest_figures(projects, world, client_for):
    response = client_for(world.coordinator).get(PROJECTS)
    latest = {e.name: e for e in response.context["enterprises"]}
    assert (latest["零傲"].figure_month, latest["零傲"].output_value) == (6, 9800)
    assert latest["楚汉源"].figure_month is None
    text = text_of(response)
    assert "2023年1-6月" in text and "9800" in text and "暂无数据" in text


def test_past_year_is_measured_at_its_end(world, client_for, today):
    project("旧项目", world.unit_a, year=2022, planned_start=datetime.date(2022, 3, 1),
            actual_start=datetime.date(2022, 4, 1), planned_completion=datetime.date(2022, 12, 1))  # fmt: skip
    response = client_for(world.coordinator).get(PROJECTS + "?year=2022")
    assert response.context["as_of"] == datetime.date(2022, 12, 31)
    assert rates_of(response)["竣工投产率"] == D("0.0")


def test_only_coordinators_see_the_add_project_link(projects, world, client_for):
    assert "/indicators/projects/new/" in text_of(client_for(world.coordinator).get(PROJECTS))
    for who in ("leader", "inspector", "reporter_a"):
        text = text_of(client_for(getattr(world, who)).get(PROJECTS))
        assert "/admin/" not in text
        assert "/indicators/export/projects.xlsx?year=2023" in text


def test_project_list_refuses_post(world, client_for):
    assert client_for(world.coordinator).post(PROJECTS).status_code == 405
