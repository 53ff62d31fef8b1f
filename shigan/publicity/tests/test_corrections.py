"""Media reports corrected after entry (更正): the reason required, a correction that would make a
duplicate refused with the other report named, the change and its reason on the report's page
(which runs a fixed number of queries), coordinators only, within the user's district."""

import datetime
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.publicity.services import media_report_correct, media_report_record
from shigan.testing import make_user

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def record(world, title="示范区召开“实干年”动员会", outlet="市日报", **kw):
    kw.setdefault("level", MediaLevel.CITY)
    kw.setdefault("date", D(2023, 2, 10))
    return media_report_record(
        campaign=world.campaign, title=title, outlet=outlet, by=world.coordinator, **kw
    )


def fields(report: MediaReport, **changes) -> dict:
    found = {
        "campaign": report.campaign,
        "title": report.title,
        "outlet": report.outlet,
        "level": report.level,
        "date": report.date,
        "link": report.link,
        "task": report.task,
        "activity": report.activity,
        "reason": "级别录错",
    }
    return found | changes


def post_data(report: MediaReport, **changes) -> dict:
    data = {
        "campaign": report.campaign_id,
        "title": report.title,
        "outlet": report.outlet,
        "level": report.level,
        "date": report.date.isoformat(),
        "link": report.link,
        "task": report.task_id or "",
        "activity": report.activity,
        "reason": "级别录错",
    }
    return data | changes


def edit_url(report) -> str:
    return reverse("publicity:report_edit", args=[report.pk])


def detail_url(report) -> str:
    return reverse("publicity:report_detail", args=[report.pk])


# --- the service ---------------------------------------------------------------------------


def test_correction_is_audited_with_before_after_and_reason(world):
    report = record(world, task=world.task_a)
    media_report_correct(
        report=report, by=world.coordinator, **fields(report, level=MediaLevel.PROVINCE)
    )
    report.refresh_from_db()
    assert report.level == MediaLevel.PROVINCE
    entry = AuditEntry.objects.get(record_type="publicity.mediareport", action=AuditAction.UPDATE)
    assert entry.changes == {"媒体级别": ["city", "province"]}
    assert entry.note == "更正原因：级别录错"
    assert entry.task_id == world.task_a.pk


def test_correction_needs_a_reason(world):
    report = record(world)
    with pytest.raises(ValidationError) as e:
        media_report_correct(
            report=report, by=world.coordinator, **fields(report, level="province", reason=" ")
        )
    assert e.value.message_dict["reason"] == ["请填写更正原因。"]
    assert MediaReport.objects.get().level == MediaLevel.CITY


def test_correction_that_changes_nothing_is_refused(world):
    report = record(world)
    with pytest.raises(ValidationError, match="没有修改任何内容"):
        media_report_correct(report=report, by=world.coordinator, **fields(report))


def test_correction_to_another_reports_title_is_refused(world):
    record(world, title="实干年见闻", outlet="省日报", date=D(2023, 3, 1))
    report = record(world)
    with pytest.raises(ValidationError) as e:
        media_report_correct(
            report=report,
            by=world.coordinator,
            **fields(report, title="实干年 见闻", outlet="省日报"),
        )
    assert "省日报《实干年见闻》已于2023-03-01登记" in str(e.value)
    report.refresh_from_db()
    assert report.title == "示范区召开“实干年”动员会"


def test_correction_to_another_reports_link_is_refused(world):
    record(world, title="另一篇", link="https://news.example.cn/a/1")
    report = record(world)
    with pytest.raises(ValidationError, match="该链接已登记为2023-02-10 市日报《另一篇》"):
        media_report_correct(
            report=report,
            by=world.coordinator,
            **fields(report, link="https://NEWS.example.cn/a/1/"),
        )


def test_a_report_keeps_its_own_link_and_title(world):
    report = record(world, link="https://news.example.cn/a/1")
    media_report_correct(report=report, by=world.coordinator, **fields(report, date=D(2023, 2, 11)))
    assert MediaReport.objects.get().date == D(2023, 2, 11)


def test_task_of_another_campaign_is_refused(world):
    report = record(world)
    other = Campaign.objects.create(
        year=2024, name="2024年", organiser=world.district, start_date=D(2024, 1, 1),
        end_date=D(2024, 12, 31),
    )  # fmt: skip
    with pytest.raises(ValidationError) as e:
        media_report_correct(
            report=report, by=world.coordinator, **fields(report, campaign=other, task=world.task_a)
        )
    assert "任务“兴业大道建设”不属于" in e.value.message_dict["task"][0]


# --- the pages -----------------------------------------------------------------------------


def test_pages_answer_each_role(world, client_for):
    report = record(world)
    personas = ["coordinator", "leader", "reporter_a", "reporter_b", "inspector"]
    users = world.users()
    read = [client_for(users[p]).get(detail_url(report)).status_code for p in personas]
    write = [client_for(users[p]).get(edit_url(report)).status_code for p in personas]
    posted = [client_for(users[p]).post(edit_url(report), {}).status_code for p in personas]
    assert read == [200, 200, 200, 200, 200]
    assert write == [200, 403, 403, 403, 403]
    assert posted == [200, 403, 403, 403, 403]


def test_another_districts_coordinator_finds_no_report(world, client_for):
    report = record(world)
    district = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    office = Unit.objects.create(name="乙县作风办", kind=UnitKind.TASK_FORCE, parent=district)
    coordinator, _ = make_user("yi_zhuanban", unit=office, role=Role.COORDINATOR, name="乙专班")
    client = client_for(coordinator)
    assert client.get(detail_url(report)).status_code == 404
    assert client.get(edit_url(report)).status_code == 404
    assert client.post(edit_url(report), post_data(report, level="province")).status_code == 404
    assert MediaReport.objects.get().level == MediaLevel.CITY


def test_coordinator_corrects_a_report_and_its_page_shows_why(world, client_for):
    report = record(world)
    client = client_for(world.coordinator)
    page = client.get(edit_url(report)).content.decode()
    assert "更正原因" in page and 'value="市日报"' in page
    response = client.post(edit_url(report), post_data(report, level="province"))
    assert response.status_code == 302 and response.url == detail_url(report)
    page = client.get(response.url).content.decode()
    history = page[page.index('id="history"') :]
    assert "更正原因：级别录错" in history
    assert "市" in history and "省" in history


def test_page_refuses_a_duplicate_and_a_missing_reason(world, client_for):
    record(world, title="实干年见闻", outlet="省日报", date=D(2023, 3, 1))
    report = record(world)
    client = client_for(world.coordinator)
    duplicate = client.post(
        edit_url(report), post_data(report, title="实干年见闻", outlet="省日报")
    )
    assert duplicate.status_code == 200
    assert "省日报《实干年见闻》已于2023-03-01登记" in duplicate.content.decode()
    no_reason = client.post(edit_url(report), post_data(report, level="province", reason=""))
    assert "请填写更正原因。" in no_reason.content.decode()
    assert MediaReport.objects.get(pk=report.pk).level == MediaLevel.CITY


def test_list_links_each_report_to_its_page(world, client_for):
    report = record(world)
    page = client_for(world.reporter_b).get(reverse("publicity:report_list")).content.decode()
    assert detail_url(report) in page
    detail = client_for(world.reporter_b).get(detail_url(report)).content.decode()
    assert edit_url(report) not in detail


def _correct_many(world, report, numbers: range):
    for i in numbers:
        report.refresh_from_db()
        media_report_correct(
            report=report,
            by=world.coordinator,
            **fields(report, title=f"标题{i}", reason=f"第{i}次"),
        )


def test_report_page_with_history_runs_a_fixed_number_of_queries(world, client_for):
    report = record(world, task=world.task_a)
    _correct_many(world, report, range(1))
    response = assert_same_queries(
        get_page(client_for(world.coordinator), detail_url(report)),
        partial(_correct_many, world, report, range(1, 8)),
        at_most=15,
        warm_up=True,
    )
    assert "第7次" in response.content.decode()
