"""The report page and downloads (coordinators, inspectors, the leading group's members; other
leaders and reporters 403 — test_report_readers) and the narrative page (coordinators only),
with history."""

import pytest

from shigan.reports.forms import NARRATIVE_BODY_MAX_CHARS
from shigan.reports.models import NarrativeText

from .reportdata import add_indicator
from .test_report_readers import seat_in_leading_group

REPORT = "/reports/?campaign={pk}&as_of=2023-07-31&percent=％"
NARRATIVE = "/reports/narrative/?campaign={pk}&period=2023-07"
GENERATORS = ["coordinator", "leader", "inspector"]


@pytest.fixture
def figures(world):
    """An indicator's figures; the world's leader a member of the campaign's leading group."""
    add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000})
    seat_in_leading_group(world.campaign, world.leader_person)
    return world


@pytest.mark.parametrize("persona", GENERATORS)
def test_generators_see_the_preview_with_traceable_figures(figures, client_for, persona):
    response = client_for(figures.users()[persona]).get(REPORT.format(pk=figures.campaign.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "关于示范区党委政府作风建设“实干年”活动总结及下一步工作计划" in page
    assert 'class="fig"' in page and "指标“工业总产值”2023年7月完成值" in page
    assert "/reports/download/docx/?" in page


def test_the_page_previews_the_latest_campaign_without_a_query(figures, client_for):
    response = client_for(figures.coordinator).get("/reports/")
    assert response.status_code == 200 and 'class="report-doc"' in response.content.decode()


@pytest.mark.parametrize("persona", ["reporter_a", "reporter_b"])
def test_reporters_may_not_generate_the_districts_report(figures, client_for, persona):
    client = client_for(figures.users()[persona])
    assert client.get(REPORT.format(pk=figures.campaign.pk)).status_code == 403
    assert (
        client.get(
            f"/reports/download/md/?campaign={figures.campaign.pk}&as_of=2023-07-31"
        ).status_code
        == 403
    )


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get("/reports/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_appendix_lists_every_figure_with_its_record(figures, client_for):
    url = REPORT.format(pk=figures.campaign.pk) + "&appendix=on"
    page = client_for(figures.leader).get(url).content.decode()
    assert "附：数据来源" in page and "indicators.actual:" in page


@pytest.mark.parametrize(
    ("fmt", "marker"), [("md", "# 关于"), ("html", "<!DOCTYPE html>"), ("txt", "关于")]
)
def test_downloads_are_files_named_after_the_report(figures, client_for, fmt, marker):
    url = f"/reports/download/{fmt}/?campaign={figures.campaign.pk}&as_of=2023-07-31"
    response = client_for(figures.inspector).get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().startswith(marker)
    assert "22000万元" in response.content.decode()


def test_docx_download_is_a_word_file(figures, client_for):
    url = f"/reports/download/docx/?campaign={figures.campaign.pk}&as_of=2023-07-31"
    response = client_for(figures.coordinator).get(url)
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_unknown_formats_do_not_exist(figures, client_for):
    url = f"/reports/download/exe/?campaign={figures.campaign.pk}&as_of=2023-07-31"
    assert client_for(figures.coordinator).get(url).status_code == 404


def test_downloads_refuse_post(figures, client_for):
    url = f"/reports/download/md/?campaign={figures.campaign.pk}&as_of=2023-07-31"
    assert client_for(figures.coordinator).post(url).status_code == 405


def test_coordinators_write_narrative_and_see_its_history(world, client_for):
    client = client_for(world.coordinator)
    url = NARRATIVE.format(pk=world.campaign.pk)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data |= {"opening_0_body": "年初以来，各项工作扎实推进。", "note": "初稿"}
    response = client.post(url, data)
    assert response.status_code == 302
    version = NarrativeText.objects.get()
    assert (version.slot, version.period.isoformat()) == ("opening", "2023-07-01")
    data["opening_0_body"] = "年初以来，各项工作有序推进。"
    client.post(url, data)
    assert NarrativeText.objects.count() == 2
    history = client.get(url).content.decode()
    assert "年初以来，各项工作扎实推进。" in history and "年初以来，各项工作有序推进。" in history
    assert "初稿" in history


def test_an_unknown_placeholder_is_shown_as_an_error(world, client_for):
    client = client_for(world.coordinator)
    url = NARRATIVE.format(pk=world.campaign.pk)
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["economy_0_body"] = "实现【不存在的指标】全覆盖。"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "无法识别的占位符【不存在的指标】" in response.content.decode()
    assert not NarrativeText.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "inspector", "reporter_a", "reporter_b"])
def test_only_coordinators_write_the_narrative(world, client_for, persona):
    client = client_for(world.users()[persona])
    url = NARRATIVE.format(pk=world.campaign.pk)
    assert client.get(url).status_code == 403
    assert client.post(url, {"opening_0_body": "改写"}).status_code == 403
    assert not NarrativeText.objects.exists()


def test_nav_links_to_the_report_page(world, client_for):
    seat_in_leading_group(world.campaign, world.leader_person)
    page = client_for(world.leader).get("/reports/?campaign=999").content.decode()
    assert 'href="/reports/"' in page


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2023-13", "月份“2023-13”无效，应为YYYY-MM，如2023-07"),
        ("９９９９-07", "月份“９９９９-07”无效，应为YYYY-MM，如2023-07"),
        ("0001-01", "月份“0001-01”无效，应为YYYY-MM，如2023-07"),
        ("2031-07", "月份“2031-07”超出范围"),
        ("2021-12", "月份“2021-12”超出范围"),
    ],
)
def test_a_post_for_an_invalid_month_is_refused_and_writes_nothing(world, client_for, raw, message):
    """A write is never retargeted to the current month: the bad month is named, nothing saved."""
    client = client_for(world.coordinator)
    form = client.get(NARRATIVE.format(pk=world.campaign.pk)).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["opening_0_body"] = "年初以来，各项工作扎实推进。"
    response = client.post(f"/reports/narrative/?campaign={world.campaign.pk}&period={raw}", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "未保存任何修改" in page
    assert "月份无效，未保存" in page and "起适用" not in page.split("</h1>")[0]
    assert "年初以来，各项工作扎实推进。" in page  # what was typed is kept on the page
    assert not NarrativeText.objects.exists()


def test_a_month_at_the_edge_of_the_campaign_years_is_written(world, client_for):
    """The campaign's year ± 1 is accepted (a test that fails if the margin shrinks)."""
    client = client_for(world.coordinator)
    for raw in (f"{world.campaign.year - 1}-01", f"{world.campaign.year + 1}-12"):
        url = f"/reports/narrative/?campaign={world.campaign.pk}&period={raw}"
        form = client.get(url).context["form"]
        data = {name: form.initial.get(name, "") for name in form.fields}
        data["opening_0_body"] = f"{raw}的开头。"
        assert client.post(url, data).status_code == 302
    periods = sorted(v.period.isoformat()[:7] for v in NarrativeText.objects.all())
    assert periods == [f"{world.campaign.year - 1}-01", f"{world.campaign.year + 1}-12"]


def test_an_invalid_month_on_get_shows_the_current_month_with_a_warning(world, client_for):
    url = f"/reports/narrative/?campaign={world.campaign.pk}&period=2023-13"
    response = client_for(world.coordinator).get(url)
    assert response.status_code == 200
    assert "月份“2023-13”无效，应为YYYY-MM，如2023-07，已按" in response.content.decode()


def _posted(client, world, **changes):
    url = NARRATIVE.format(pk=world.campaign.pk)
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields} | changes
    return client.post(url, data)


def test_a_control_character_is_refused_naming_the_field_and_paragraph(world, client_for):
    """Not Django's 不允许是用空字符串: the field, its paragraph, and what to do."""
    client = client_for(world.coordinator)
    response = _posted(client, world, opening_0_body="第一段。\n第二段\x00。", note="说明\x07")
    assert response.status_code == 200
    page = response.content.decode()
    assert "“开头段 · 正文”第2段含有不可见的控制字符，请删除后再保存。" in page
    assert "“修改说明”含有不可见的控制字符" in page
    assert "空字符" not in page and "每栏正文最多5000字，标题最多200字" in page
    assert not NarrativeText.objects.exists()


def test_a_narrative_over_its_limit_is_refused_naming_the_field_and_the_limit(world, client_for):
    """5000 characters of body are saved, 5001 are refused with the limit and the count."""
    assert NARRATIVE_BODY_MAX_CHARS == 5000
    client = client_for(world.coordinator)
    response = _posted(client, world, opening_0_body="实" * 5001)
    assert response.status_code == 200
    assert "“开头段 · 正文”最多5000字，现有5001字，请精简。" in response.content.decode()
    assert 'maxlength="5000"' in response.content.decode()
    assert not NarrativeText.objects.exists()
    assert _posted(client, world, opening_0_body="实" * 5000).status_code == 302
    assert len(NarrativeText.objects.get().body) == 5000
