"""Two coordinators edit the same record (core.editing): both open the edit form, the first
saves, the second's save is refused with a Chinese message naming who changed what, his typed
values are shown again, and nothing of his overwrote the first's. One case per edit form."""

import re

import pytest
from django.urls import reverse

from shigan.core.crawl import UNSUBMITTED, _Parser, parse_forms
from shigan.core.editing import FIELD
from shigan.indicators.models import IndicatorYear
from shigan.orgs.models import Role
from shigan.testing import make_user

from .test_permission_matrix import build_records

# (URL name, record key in build_records, form field = model field, what the message calls it)
CASES = [
    ("campaigns:campaign_edit", "campaign", "slogan", "活动"),
    ("campaigns:section_edit", "section", "body", "实施方案章节"),
    ("campaigns:phase_edit", "phase", "name", "活动阶段"),
    ("tasks:task_edit", "task_a", "title", "任务"),
    ("tasks:category_edit", "category", "name", "任务类别"),
    ("indicators:indicator_edit", "indicator_a", "name", "指标"),
    ("indicators:project_edit", "project_a", "name", "重点项目"),
    ("indicators:enterprise_edit", "enterprise_a", "name", "重点企业"),
    ("indicators:trip_edit", "trip", "destination", "外出招商"),
    ("indicators:agreement_edit", "agreement", "project_name", "招商"),
    ("meetings:meeting_edit", "meeting", "title", "会议"),
    ("meetings:series_edit", "series", "name", "会议系列"),
    ("supervision:inspection_edit", "inspection_a", "topic", "督查"),
    ("supervision:finding_edit", "finding_a", "problem", "督查发现的问题"),
    ("supervision:notice_edit", "notice", "title", "通报"),
    ("publicity:report_edit", "media_report", "title", "媒体报道"),
    ("grassroots:pairing_edit", "pairing_a", "target_name", "结对帮扶"),
    ("grassroots:practice_activity_edit", "practice_activity", "name", "实践活动"),
    ("grassroots:category_edit", "concern_category", "name", "诉求类别"),
    ("grassroots:reception_edit", "reception_day", "place", "信访接待日"),
    ("orgs:workday_edit", "workday_override", "reason", "工作日调整"),
    ("meetings:study_correct", "study", "topic", "学习"),
    ("directives:directive_edit", "directive", "title", "上级文件"),
]


def form_data(html: str, url: str) -> dict[str, list[str]]:
    """The edit form (the one carrying the version) as a browser sends it unchanged: a
    multiple choice with nothing chosen sends nothing."""
    parser = _Parser()
    parser.feed(html)
    form = next(f for f in parse_forms(parser, url) if any(x.name == FIELD for x in f.fields))
    data: dict[str, list[str]] = {}
    for field in form.fields:
        if field.kind in UNSUBMITTED or (field.kind == "checkbox" and not field.checked):
            continue
        if field.kind == "select" and field.multiple and field.value == "":
            continue
        data.setdefault(field.name, []).append(field.value)
    return data


def shown_form(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return form_data(response.content.decode(), url)


def edited(data: dict, field: str, value: str) -> dict:
    data = dict(data) | {field: [value]}
    if "reason" in data and field != "reason":  # corrections after entry need a reason
        data["reason"] = [f"核对后更正：{value}"]
    return data


@pytest.mark.parametrize(("url_name", "key", "field", "what"), CASES)
def test_the_second_of_two_concurrent_edits_is_refused(db, client_for, url_name, key, field, what):
    records = build_records()
    world, record = records["world"], records[key]
    other, _ = make_user(
        "coordinator2", unit=world.coordinator.person.unit, role=Role.COORDINATOR, name="吴专班"
    )
    url = reverse(url_name, args=[record.pk])
    first, second = client_for(world.coordinator), client_for(other)
    shown_first, shown_second = shown_form(first, url), shown_form(second, url)
    label = str(type(record)._meta.get_field(field).verbose_name)

    saved = first.post(url, edited(shown_first, field, "甲修改后的内容"))
    assert saved.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", saved.content.decode(), re.S
    )
    refused = second.post(url, edited(shown_second, field, "乙修改后的内容"))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "您打开此页后，周专班于" in page and f"修改了该{what}" in page
    assert label in page.split("您打开此页后")[1].split("。")[0]  # the field is named
    assert "您这次的修改没有保存" in page
    assert "乙修改后的内容" in page  # his typed value is kept
    record.refresh_from_db()
    assert getattr(record, field) == "甲修改后的内容"

    # Shown again with the current version: his second save, after comparing, goes through.
    again = form_data(page, url)
    assert second.post(url, edited(again, field, "乙核对后的内容")).status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "乙核对后的内容"


def test_a_save_without_a_competing_edit_is_not_refused(db, client_for):
    records = build_records()
    world = records["world"]
    url = reverse("campaigns:campaign_edit", args=[world.campaign.pk])
    client = client_for(world.coordinator)
    for slogan in ("第一次", "第二次"):
        data = edited(shown_form(client, url), "slogan", slogan)
        assert client.post(url, data).status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.slogan == "第二次"


def test_the_second_of_two_year_target_edits_is_refused(db, client_for):
    """年度目标 (indicators:indicator_year): the year's target and same-period figures have no row
    of their own; the version is that of their rows (indicators.year_guard)."""
    records = build_records()
    world, indicator = records["world"], records["indicator_a"]
    other, _ = make_user(
        "coordinator2", unit=world.coordinator.person.unit, role=Role.COORDINATOR, name="吴专班"
    )
    url = reverse("indicators:indicator_year", args=[indicator.pk]) + "?year=2023"
    first, second = client_for(world.coordinator), client_for(other)
    shown_first, shown_second = shown_form(first, url), shown_form(second, url)
    assert first.post(url, edited(shown_first, "annual_target", "120")).status_code == 302
    refused = second.post(url, edited(shown_second, "annual_target", "150"))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "您打开此页后，周专班于" in page and "修改了该年度目标" in page
    assert "您这次的修改没有保存" in page and 'value="150"' in page
    assert IndicatorYear.objects.get(indicator=indicator, year=2023).annual_target == 120
    again = form_data(page, url)
    assert second.post(url, edited(again, "annual_target", "150")).status_code == 302
    assert IndicatorYear.objects.get(indicator=indicator, year=2023).annual_target == 150
