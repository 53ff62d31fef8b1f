"""Key projects' monthly figures in the unit's monthly report: filed by the project's unit in the
same form, append-only with corrections, and the project's figures (what the rates read) follow
the latest filed month."""

import datetime
from decimal import Decimal

import pytest

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.indicators.models import KeyProject, ProjectFigure
from shigan.indicators.queries import project_rates
from shigan.tasks.models import ProgressReport

URL = "/tasks/report/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_project(name, unit, **fields) -> KeyProject:
    defaults = {"year": 2023, "planned_investment_this_year": 10000, "contracted_investment": 20000}
    fields = defaults | fields
    return KeyProject.objects.create(name=name, responsible_unit=unit, **fields)


@pytest.fixture
def project(world) -> KeyProject:
    return make_project("零傲新材料", world.unit_a)


def prj(project, *, seen="", **fields) -> dict:
    data = {f"prj-{project.pk}-seen": seen}
    return data | {f"prj-{project.pk}-{key}": value for key, value in fields.items()}


def post(client, *parts, period="2023-07"):
    data = {"period": period}
    for part in parts:
        data |= part
    return client.post(URL, data)


def test_reporter_sees_his_units_projects_of_the_year_only(world, client_for, project):
    make_project("水务项目", world.unit_b)
    make_project("去年的项目", world.unit_a, year=2022)
    html = client_for(world.reporter_a).get(URL).content.decode()
    assert "零傲新材料" in html and "水务项目" not in html and "去年的项目" not in html
    for name in ("completed_investment", "funds_in_place", "started_on", "completed_on", "note"):
        assert f'name="prj-{project.pk}-{name}"' in html


def test_reporter_files_figures_and_the_project_follows(world, client_for, project):
    c = client_for(world.reporter_a)
    data = prj(project, completed_investment="4,000", funds_in_place="3000",
               started_on="2023-03-10")  # fmt: skip
    response = post(c, data)
    assert response.status_code == 302, response.content.decode()
    figure = ProjectFigure.objects.get()
    assert (figure.month, figure.completed_investment, figure.funds_in_place) == (7, 4000, 3000)
    assert (figure.unit, figure.submitted_by) == (world.unit_a, world.reporter_a)
    project.refresh_from_db()
    assert project.completed_investment_this_year == 4000 and project.funds_in_place == 3000
    assert project.actual_start == datetime.date(2023, 3, 10)
    rates = {r.definition.key: r for r in project_rates(KeyProject.objects.all(), world_day())}
    assert rates["contract_fulfilment"].numerator == 4000  # the rates read the filed figure
    actions = set(AuditEntry.objects.values_list("record_type", "action"))
    assert actions == {("indicators.projectfigure", "submit"), ("indicators.keyproject", "update")}
    assert "1个重点项目的2023年7月数据" in c.get(response["Location"]).content.decode()
    assert ProgressReport.objects.count() == 0


def world_day():
    return datetime.date(2023, 7, 20)


def test_refiling_is_a_correction_with_a_reason(world, client_for, project):
    c = client_for(world.reporter_a)
    post(c, prj(project, completed_investment="4000", funds_in_place="3000"))
    first = ProjectFigure.objects.get()
    response = post(c, prj(project, seen=first.pk, completed_investment="4500",
                           funds_in_place="3000"))  # fmt: skip
    assert response.status_code == 200
    assert "再次填报即为更正，请填写更正原因" in response.content.decode()
    assert ProjectFigure.objects.count() == 1
    response = post(c, prj(project, seen=first.pk, completed_investment="4500",
                           funds_in_place="3000", reason="统计口径调整"))  # fmt: skip
    assert response.status_code == 302
    second = ProjectFigure.objects.latest("id")
    assert second.corrects == first and second.correction_reason == "统计口径调整"
    first.refresh_from_db()
    assert first.completed_investment == 4000  # the earlier entry is kept as it was
    project.refresh_from_db()
    assert project.completed_investment_this_year == 4500


def test_an_unchanged_card_is_not_submitted(world, client_for, project):
    c = client_for(world.reporter_a)
    response = post(c, prj(project, completed_investment="", funds_in_place=""))
    assert response.status_code == 200
    assert "未填写任何进展" in response.content.decode()
    assert not ProjectFigure.objects.exists()


def test_bad_figures_are_named_and_nothing_is_saved(world, client_for, project):
    c = client_for(world.reporter_a)
    bad = prj(project, completed_investment="三万", funds_in_place="100",
              started_on="2023-06-01", completed_on="2023-05-01")  # fmt: skip
    html = post(c, bad, {f"task-{world.task_a.pk}-text": "进展"}).content.decode()
    assert "本年累计完成投资（万元）“三万”不是数字" in html
    assert not ProjectFigure.objects.exists() and not ProgressReport.objects.exists()
    bad = prj(project, completed_investment="100", funds_in_place="100",
              started_on="2023-06-01", completed_on="2023-05-01")  # fmt: skip
    html = post(c, bad).content.decode()
    assert "实际竣工投产日期早于实际开工日期" in html
    html = post(c, prj(project, completed_investment="100")).content.decode()
    assert "请填写累计到位资金（万元）" in html
    assert not ProjectFigure.objects.exists()


def test_lower_than_last_month_needs_a_note(world, client_for, project):
    ProjectFigure.objects.create(
        project=project, month=6, completed_investment=5000, funds_in_place=100,
        unit=world.unit_a,
    )  # fmt: skip
    c = client_for(world.reporter_a)
    html = post(c, prj(project, completed_investment="4000", funds_in_place="100")).content
    assert "低于上月的5000，请填写说明" in html.decode()
    response = post(c, prj(project, completed_investment="4000", funds_in_place="100",
                           note="核减重复统计"))  # fmt: skip
    assert response.status_code == 302


def test_reporter_cannot_file_another_units_project(world, client_for, project):
    other = make_project("水务项目", world.unit_b)
    c = client_for(world.reporter_a)
    response = post(c, prj(other, completed_investment="1", funds_in_place="1"))
    assert response.status_code == 404
    assert not ProjectFigure.objects.exists()
    c = client_for(world.reporter_b)
    assert post(c, prj(other, completed_investment="1", funds_in_place="1")).status_code == 302
    assert ProjectFigure.objects.get().project == other


def test_form_queries_do_not_grow_with_projects(world, client_for, project):
    c = client_for(world.reporter_a)
    count = iter(range(100))

    def grow():
        for _ in range(5):
            p = make_project(f"项目{next(count)}", world.unit_a)
            ProjectFigure.objects.create(
                project=p, month=7, completed_investment=1, funds_in_place=1, unit=world.unit_a
            )

    assert_same_queries(get_page(c, URL), grow, warm_up=True)


def test_full_width_project_figures_are_read_superscripts_refused(world, client_for, project):
    c = client_for(world.reporter_a)
    html = post(c, prj(project, completed_investment="¹²³", funds_in_place="100")).content.decode()
    assert "本年累计完成投资（万元）“¹²³”不是数字，请填写阿拉伯数字，如30000" in html
    assert not ProjectFigure.objects.exists()
    response = post(
        c, prj(project, completed_investment="４，０００", funds_in_place="３０００．５")
    )
    assert response.status_code == 302
    figure = ProjectFigure.objects.get()
    assert (figure.completed_investment, figure.funds_in_place) == (4000, Decimal("3000.5"))
