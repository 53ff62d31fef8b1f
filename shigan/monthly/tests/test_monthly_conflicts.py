"""Two people filing the same unit's monthly report at once (a reporter and a coordinator, two
sessions each holding the form): a card the second did not change is compared with what it
showed and left out, so a colleague's figure on another card never refuses his submission; a
card both changed is a conflict on that card — who filed what, when — nothing is saved (the
report is all or nothing), every typed value is shown again, and a second submission after
comparing goes through."""

from decimal import Decimal

import pytest

from shigan.core.crawl import UNSUBMITTED, _Parser, parse_forms
from shigan.indicators.models import Actual, IndicatorYear, KeyProject, ProjectFigure
from shigan.tasks.models import ProgressReport

from .test_monthly_indicators import add_actual, make_indicator

URL = "/tasks/report/?period=2023-07"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit_a(world):
    """Unit A's two indicators, both filed for July by its reporter, and a key project."""
    investment = make_indicator("固定资产投资", world.unit_a, sort_order=1)
    output = make_indicator("规上工业产值", world.unit_a, sort_order=2)
    for ind in (investment, output):
        IndicatorYear.objects.create(indicator=ind, year=2023, annual_target=Decimal(90000))
        add_actual(ind, 6, 30000, by=world.reporter_a)
    project = KeyProject.objects.create(
        name="零傲新材料", responsible_unit=world.unit_a, year=2023,
        planned_investment_this_year=10000, contracted_investment=20000,
    )  # fmt: skip
    return {
        "investment": investment,
        "output": output,
        "investment_july": add_actual(investment, 7, 33000, by=world.reporter_a),
        "output_july": add_actual(output, 7, 31000, by=world.reporter_a),
        "project": project,
    }


def form_data(html: str, url: str) -> dict[str, list[str]]:
    """The monthly report form as the browser sends it unchanged."""
    parser = _Parser()
    parser.feed(html)
    form = next(f for f in parse_forms(parser, url) if "mr-form" in f.action or f.enctype)
    data: dict[str, list[str]] = {}
    for field in form.fields:
        if field.kind in UNSUBMITTED or (field.kind == "checkbox" and not field.checked):
            continue
        data.setdefault(field.name, []).append(field.value)
    return data


def shown(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), url)


def typed(data: dict, **values: str) -> dict:
    """`data` with fields set: ind_<pk>_value=… → ind-<pk>-value."""
    return dict(data) | {"-".join(name.split("_", 2)): [v] for name, v in values.items()}


def ind(indicator, field: str) -> str:
    return f"ind_{indicator.pk}_{field}"


def july(indicator) -> list[Actual]:
    return list(Actual.objects.filter(indicator=indicator, month=7).order_by("id"))


def coordinator_url(world) -> str:
    return f"/tasks/report/?unit={world.unit_a.pk}&period=2023-07"


def test_a_colleagues_figure_on_a_card_he_did_not_touch_does_not_refuse_his_report(
    world, client_for, unit_a
):
    """The review's case: the coordinator corrects 规上工业产值 while the reporter, holding the
    form, corrects 固定资产投资 and reports a task's progress. Both are saved."""
    reporter, coordinator = client_for(world.reporter_a), client_for(world.coordinator)
    mine = shown(reporter, URL)
    theirs = shown(coordinator, coordinator_url(world))
    output, investment = unit_a["output"], unit_a["investment"]
    theirs = typed(theirs, **{ind(output, "value"): "31500", ind(output, "reason"): "统计局核定"})
    assert coordinator.post(coordinator_url(world), theirs).status_code == 302

    mine = typed(
        mine,
        **{ind(investment, "value"): "33800", ind(investment, "reason"): "补录一笔"},
        **{f"task_{world.task_a.pk}_text": "7月完成征拆"},
    )
    response = reporter.post(URL, mine)
    assert response.status_code == 302, response.content.decode()
    assert [a.value for a in july(output)] == [31000, 31500]  # the coordinator's stands
    assert [a.value for a in july(investment)] == [33000, 33800]
    assert ProgressReport.objects.get(task=world.task_a).text == "7月完成征拆"


def test_a_card_both_changed_is_a_conflict_on_that_card_and_nothing_is_lost(
    world, client_for, unit_a
):
    reporter, coordinator = client_for(world.reporter_a), client_for(world.coordinator)
    mine = shown(reporter, URL)
    theirs = shown(coordinator, coordinator_url(world))
    output = unit_a["output"]
    theirs = typed(theirs, **{ind(output, "value"): "31500", ind(output, "reason"): "统计局核定"})
    assert coordinator.post(coordinator_url(world), theirs).status_code == 302

    mine = typed(
        mine,
        **{ind(output, "value"): "32000", ind(output, "reason"): "企业补报"},
        **{f"task_{world.task_a.pk}_text": "7月完成征拆"},
    )
    response = reporter.post(URL, mine)
    assert response.status_code == 200
    html = response.content.decode()
    # On the card it concerns: who, the figure now and when shown, his value not saved.
    card = html.split(f'id="ind-{output.pk}"')[1].split("</article>")[0]
    assert "“规上工业产值”：您打开表单后，周专班于" in card
    assert "已将本月完成填报为31500（您打开表单时为31000）；您填写的32000未保存" in card
    assert "提交未成功，未保存任何内容" in html
    # Nothing saved, and every typed value is shown again.
    assert [a.value for a in july(output)] == [31000, 31500]
    assert not ProgressReport.objects.exists()
    assert f'name="ind-{output.pk}-value" value="32000"' in html
    assert "7月完成征拆" in html and "企业补报" in html
    # The form now carries the current figure: his second submission, after comparing, is
    # a correction of the coordinator's figure.
    latest = july(output)[-1]
    assert f'name="ind-{output.pk}-seen" value="{latest.pk}"' in html
    assert reporter.post(URL, form_data(html, URL)).status_code == 302
    assert [a.value for a in july(output)] == [31000, 31500, 32000]
    assert july(output)[-1].corrects == latest


def test_a_task_reported_meanwhile_is_a_conflict_naming_who(world, client_for, unit_a):
    reporter, coordinator = client_for(world.reporter_a), client_for(world.coordinator)
    mine = shown(reporter, URL)
    theirs = shown(coordinator, coordinator_url(world))
    task = f"task_{world.task_a.pk}_text"
    assert (
        coordinator.post(coordinator_url(world), typed(theirs, **{task: "专班代报"})).status_code
        == 302
    )

    response = reporter.post(URL, typed(mine, **{task: "我的进展"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "“兴业大道建设”：您打开表单后，周专班于" in html
    assert "已提交了该任务的新进展；您填写的进展未保存" in html
    assert "我的进展" in html
    assert list(ProgressReport.objects.values_list("text", flat=True)) == ["专班代报"]


def test_a_project_card_he_did_not_touch_is_left_out(world, client_for, unit_a):
    reporter, coordinator = client_for(world.reporter_a), client_for(world.coordinator)
    mine = shown(reporter, URL)
    theirs = shown(coordinator, coordinator_url(world))
    project, investment = unit_a["project"], unit_a["investment"]
    prj = f"prj_{project.pk}"
    theirs = typed(
        theirs, **{f"{prj}_completed_investment": "4000", f"{prj}_funds_in_place": "3000"}
    )
    assert coordinator.post(coordinator_url(world), theirs).status_code == 302

    mine = typed(mine, **{ind(investment, "value"): "33800", ind(investment, "reason"): "补录"})
    assert reporter.post(URL, mine).status_code == 302
    assert ProjectFigure.objects.get().completed_investment == 4000
    assert [a.value for a in july(investment)] == [33000, 33800]


def test_a_project_card_both_changed_is_a_conflict(world, client_for, unit_a):
    reporter, coordinator = client_for(world.reporter_a), client_for(world.coordinator)
    mine = shown(reporter, URL)
    theirs = shown(coordinator, coordinator_url(world))
    prj = f"prj_{unit_a['project'].pk}"
    theirs = typed(
        theirs, **{f"{prj}_completed_investment": "4000", f"{prj}_funds_in_place": "3000"}
    )
    assert coordinator.post(coordinator_url(world), theirs).status_code == 302
    mine = typed(mine, **{f"{prj}_completed_investment": "4200", f"{prj}_funds_in_place": "3100"})
    html = reporter.post(URL, mine).content.decode()
    assert "“零傲新材料”：您打开表单后，周专班于" in html
    assert "已填报本月数据（完成投资4000，到位3000）；您填写的内容未保存" in html
    assert 'value="4200"' in html
    assert ProjectFigure.objects.get().completed_investment == 4000


def test_twenty_sessions_each_changing_its_own_card_all_save(world, client_for):
    """The review's measurement: twenty sessions hold the form of a unit with twenty filed
    indicators, each corrects its own; all twenty are saved (3 of 20 were refused)."""
    indicators = [make_indicator(f"指标{i:02d}", world.unit_a, sort_order=i) for i in range(20)]
    for indicator in indicators:
        add_actual(indicator, 7, 1000, by=world.reporter_a)
    sessions = [
        (client_for(world.coordinator), coordinator_url(world))
        if i % 2
        else (client_for(world.reporter_a), URL)
        for i in range(20)
    ]
    held = [shown(client, url) for client, url in sessions]
    codes = []
    for i, ((client, url), data) in enumerate(zip(sessions, held, strict=True)):
        mine = {ind(indicators[i], "value"): str(2000 + i), ind(indicators[i], "reason"): "核定"}
        codes.append(client.post(url, typed(data, **mine)).status_code)
    assert codes == [302] * 20
    assert [july(ind_)[-1].value for ind_ in indicators] == [2000 + i for i in range(20)]


def test_a_forged_seen_does_not_show_another_units_figure(world, client_for, unit_a):
    # `seen` is the id of the figure the card was shown with; naming a figure of another
    # unit's indicator must not put its value in the conflict message.
    other = make_indicator("夏油产量", world.unit_b)
    secret = add_actual(other, 7, 4321, by=world.reporter_b)
    reporter = client_for(world.reporter_a)
    investment = unit_a["investment"]
    forged = typed(
        shown(reporter, URL),
        **{ind(investment, "value"): "33800", ind(investment, "seen"): str(secret.pk)},
    )
    html = reporter.post(URL, forged).content.decode()
    assert "4321" not in html
    assert [a.value for a in july(investment)] == [33000]
    assert list(Actual.objects.filter(indicator=other)) == [secret]
