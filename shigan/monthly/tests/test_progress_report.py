"""The unit's monthly report (one prefilled form for all of a unit's tasks), through HTTP."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.tasks.models import Evidence, Milestone, ProgressReport
from shigan.testing import make_task

URL = "/tasks/report/"
PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_in(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def pdf(name="现场照片.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def open_milestone(task) -> Milestone:
    return task.milestones.get(done_on__isnull=True)


def report_data(task, text="", *, seen="", period="2023-07", **fields):
    """POST data for one task's card; extra fields by suffix, e.g. reason=…, evidence=…"""
    data = {"period": period, f"task-{task.pk}-text": text, f"task-{task.pk}-seen": seen}
    data.update({f"task-{task.pk}-{key.replace('_', '-')}": value for key, value in fields.items()})
    return data


def ms_key(task, ms) -> str:
    return f"task-{task.pk}-ms-{ms.pk}"


def add_report(task, by, *, period=datetime.date(2023, 7, 1), text="已完成项目勘察"):
    return ProgressReport.objects.create(
        task=task, unit=task.lead_unit, period=period, text=text, submitted_by=by
    )


def assert_nothing_saved(media):
    assert ProgressReport.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert not Milestone.objects.filter(done_on__gte=datetime.date(2023, 6, 1)).exists()
    assert not AuditEntry.objects.exists()
    assert files_in(media) == []


def test_reporter_gets_prefilled_form_for_his_unit(world, client_for):
    earlier = add_report(world.task_a, world.reporter_a, period=datetime.date(2023, 6, 1))
    ms = open_milestone(world.task_a)
    response = client_for(world.reporter_a).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    a = world.task_a.pk
    assert "兴业大道建设" in html and "清凉河治理二期" not in html
    assert "已完成项目勘察" in html  # the latest progress, shown as context
    assert "已于2023-05-20完成" in html  # a done milestone with its date
    for name in (f"task-{a}-text", f"task-{a}-ms-{ms.pk}", f"task-{a}-evidence"):
        assert f'name="{name}"' in html
    assert f'name="task-{a}-seen" value="{earlier.pk}"' in html
    assert 'name="period" value="2023-07"' in html
    assert "完成日期" in html and "提交月报" in html
    assert f'name="task-{a}-reason"' not in html  # not reported this month yet


def test_period_parameter_chooses_the_month(world, client_for):
    add_report(world.task_a, world.reporter_a, period=datetime.date(2023, 6, 1))
    html = client_for(world.reporter_a).get(URL + "?period=2023-06").content.decode()
    assert 'name="period" value="2023-06"' in html
    assert f'name="task-{world.task_a.pk}-reason"' in html  # June is reported: a correction


def test_future_or_malformed_period_falls_back_to_this_month(world, client_for):
    c = client_for(world.reporter_a)
    for period in ("2023-09", "garbage"):
        html = c.get(URL + f"?period={period}").content.decode()
        assert 'name="period" value="2023-07"' in html


def test_reporter_files_progress_milestone_and_evidence(world, client_for, media):
    task, ms = world.task_a, open_milestone(world.task_a)
    data = report_data(task, "整体方案已完成并报审", evidence=[pdf(), pdf("会议纪要.pdf")])
    data[ms_key(task, ms)] = "2023-07-10"
    response = client_for(world.reporter_a).post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == URL + "?period=2023-07"
    report = ProgressReport.objects.get()
    assert (report.task, report.unit, report.period) == (
        task,
        world.unit_a,
        datetime.date(2023, 7, 1),
    )
    assert report.text == "整体方案已完成并报审" and report.corrects is None
    assert report.milestones_reached == [
        {"id": ms.pk, "title": "完成整体方案", "done_on": "2023-07-10"}
    ]
    ms.refresh_from_db()
    assert ms.done_on == datetime.date(2023, 7, 10)
    names = sorted(report.evidence.values_list("original_name", flat=True))
    assert names == ["会议纪要.pdf", "现场照片.pdf"] and len(files_in(media)) == 2
    actions = sorted(
        AuditEntry.objects.filter(task_id=task.pk).values_list("record_type", "action")
    )
    assert actions == [
        ("tasks.evidence", "create"),
        ("tasks.evidence", "create"),
        ("tasks.milestone", "update"),
        ("tasks.progressreport", "submit"),
    ]
    ms_entry = AuditEntry.objects.get(record_type="tasks.milestone")
    assert ms_entry.changes["实际完成日期"] == [None, "2023-07-10"]


def test_success_message_counts_the_tasks(world, client_for):
    response = client_for(world.reporter_a).post(
        URL, report_data(world.task_a, "推进中"), follow=True
    )
    assert "已提交1项任务的2023年7月进展" in response.content.decode()


def test_task_with_empty_text_is_skipped(world, client_for):
    second = make_task(
        campaign=world.campaign, category=world.category, unit=world.unit_a, title="兴业大道绿化"
    )
    data = report_data(world.task_a, "推进中") | report_data(second, "   ")
    assert client_for(world.reporter_a).post(URL, data).status_code == 302
    assert list(ProgressReport.objects.values_list("task_id", flat=True)) == [world.task_a.pk]


def test_resubmission_needs_a_reason_and_becomes_a_correction(world, client_for):
    original = add_report(world.task_a, world.reporter_a, text="7月首报")
    c = client_for(world.reporter_a)
    data = report_data(world.task_a, "7月更正稿", seen=str(original.pk))
    html = c.post(URL, data).content.decode()
    assert "再次提交即为更正，请填写更正原因" in html
    assert ProgressReport.objects.count() == 1
    response = c.post(URL, data | {f"task-{world.task_a.pk}-reason": "首报数字有误"})
    assert response.status_code == 302
    correction = ProgressReport.objects.exclude(pk=original.pk).get()
    assert correction.corrects == original and correction.correction_reason == "首报数字有误"
    original.refresh_from_db()
    assert original.text == "7月首报"  # the earlier report is kept as it was


def test_report_filed_meanwhile_is_refused_as_stale(world, client_for, media):
    c = client_for(world.reporter_a)
    html = c.get(URL).content.decode()
    assert f'name="task-{world.task_a.pk}-seen" value=""' in html
    add_report(world.task_a, world.coordinator, period=datetime.date(2023, 6, 1))
    html = c.post(URL, report_data(world.task_a, "我的进展", seen="")).content.decode()
    assert "“兴业大道建设”：您打开表单后，周专班于" in html
    assert "已提交了该任务的新进展；您填写的进展未保存" in html and "我的进展" in html
    assert ProgressReport.objects.count() == 1


@pytest.mark.parametrize(
    "day, message",
    [
        ("2023-07-21", "节点“完成整体方案”的完成日期2023-07-21晚于今天"),
        ("2022-12-31", "节点“完成整体方案”的完成日期2022-12-31早于任务开始日期2023-01-01"),
        ("2023-13-45", "节点“完成整体方案”的完成日期“2023-13-45”不是存在的日期"),
        ("２０２３-07-01", "节点“完成整体方案”的完成日期“２０２３-07-01”不是有效的日期"),
        ("0001-07-01", "节点“完成整体方案”的完成日期“0001-07-01”超出允许的年份范围"),
    ],
)
def test_bad_milestone_date_is_refused_and_nothing_saved(world, client_for, media, day, message):
    task = world.task_a
    data = report_data(task, "节点完成", evidence=pdf())
    data[ms_key(task, open_milestone(task))] = day
    response = client_for(world.reporter_a).post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "未保存任何内容" in html
    assert "节点完成" in html  # the user's input is kept
    assert_nothing_saved(media)


def test_milestone_date_without_text_is_refused(world, client_for, media):
    data = report_data(world.task_a, "")
    data[ms_key(world.task_a, open_milestone(world.task_a))] = "2023-07-01"
    html = client_for(world.reporter_a).post(URL, data).content.decode()
    assert "节点“完成整体方案”填写了完成日期，请同时填写本月进展" in html
    assert_nothing_saved(media)


def test_oversized_evidence_is_refused(world, client_for, media, settings):
    settings.MAX_UPLOAD_MB = 1
    big = pdf("大文件.pdf", PDF + b"0" * (1024 * 1024))
    data = report_data(world.task_a, "附大文件", evidence=big)
    html = client_for(world.reporter_a).post(URL, data).content.decode()
    assert "文件“大文件.pdf”大小为1.0 MB，超过1 MB 的上限" in html
    assert_nothing_saved(media)


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "文件“tool.exe”的类型不支持"),
        (
            SimpleUploadedFile("假.pdf", b"MZ\x90\x00 not a pdf"),
            "文件“假.pdf”的内容与扩展名 .pdf 不符",
        ),
    ],
)
def test_wrong_type_evidence_is_refused(world, client_for, media, upload, message):
    data = report_data(world.task_a, "附材料", evidence=[pdf(), upload])
    html = client_for(world.reporter_a).post(URL, data).content.decode()
    assert message in html
    assert_nothing_saved(media)


def test_empty_report_is_refused(world, client_for, media):
    html = client_for(world.reporter_a).post(URL, report_data(world.task_a, "")).content.decode()
    assert "未填写任何进展" in html
    assert_nothing_saved(media)


def test_one_bad_task_saves_nothing_for_the_others(world, client_for, media):
    second = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="兴业大道绿化",
        milestones=[("苗木进场", datetime.date(2023, 9, 1), None)],
    )
    data = report_data(world.task_a, "主线推进", evidence=pdf()) | report_data(second, "绿化推进")
    data[ms_key(second, second.milestones.get())] = "2023-08-01"
    html = client_for(world.reporter_a).post(URL, data).content.decode()
    assert "节点“苗木进场”的完成日期2023-08-01晚于今天" in html
    assert "主线推进" in html and "绿化推进" in html
    assert_nothing_saved(media)


def test_future_period_is_refused(world, client_for, media):
    data = report_data(world.task_a, "提前填报", period="2023-08")
    html = client_for(world.reporter_a).post(URL, data).content.decode()
    assert "不能填报未来月份（2023年8月）的进展" in html
    assert_nothing_saved(media)


def test_posting_a_task_of_another_unit_is_refused(world, client_for, media):
    data = report_data(world.task_a, "本单位") | report_data(world.task_b, "冒填他单位")
    assert client_for(world.reporter_a).post(URL, data).status_code == 404
    assert_nothing_saved(media)


def test_reporter_guessing_another_unit_gets_404(world, client_for):
    c = client_for(world.reporter_b)
    assert c.get(URL + f"?unit={world.unit_a.pk}").status_code == 404
    data = report_data(world.task_a, "冒填")
    assert c.post(URL + f"?unit={world.unit_a.pk}", data).status_code == 404
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize("persona", ["leader", "inspector"])
@pytest.mark.parametrize("query", ["", "?unit={unit_a}"])
def test_read_only_roles_cannot_open_the_form(world, client_for, persona, query):
    c = client_for(world.users()[persona])
    url = URL + query.format(unit_a=world.unit_a.pk)
    assert c.get(url).status_code == 403
    assert c.post(url, report_data(world.task_a, "领导代填")).status_code == 403
    assert ProgressReport.objects.count() == 0


def test_coordinator_chooses_a_unit_then_files_for_it(world, client_for):
    c = client_for(world.coordinator)
    html = c.get(URL).content.decode()
    assert f"?unit={world.unit_a.pk}" in html and "区交通局" in html
    url = URL + f"?unit={world.unit_a.pk}"
    assert "兴业大道建设" in c.get(url).content.decode()
    response = c.post(url, report_data(world.task_a, "专班代填"))
    assert response.status_code == 302
    assert response["Location"] == URL + f"?period=2023-07&unit={world.unit_a.pk}"
    assert ProgressReport.objects.get().submitted_by == world.coordinator


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _add_tasks(world, count: int) -> None:
    for i in range(count):
        task = make_task(
            campaign=world.campaign,
            category=world.category,
            unit=world.unit_a,
            title=f"任务{i}",
            milestones=[
                ("节点一", datetime.date(2023, 3, 31), datetime.date(2023, 3, 30)),
                ("节点二", datetime.date(2023, 9, 30), None),
            ],
        )
        add_report(task, world.reporter_a, text=f"任务{i}本月进展")


def test_form_runs_the_same_queries_for_3_and_60_tasks(world, client_for):
    c = client_for(world.reporter_a)
    _add_tasks(world, 2)
    response = assert_same_queries(get_page(c, URL), lambda: _add_tasks(world, 57), warm_up=True)
    html = response.content.decode()
    assert html.count('class="card mr-card') == 60


def test_progress_longer_than_3000_characters_is_refused_and_nothing_saved(
    world, client_for, media
):
    response = client_for(world.reporter_a).post(URL, report_data(world.task_a, "进" * 3001))
    assert response.status_code == 200
    assert "3000" in response.content.decode()
    assert_nothing_saved(media)
    assert (
        client_for(world.reporter_a).post(URL, report_data(world.task_a, "进" * 3000)).status_code
        == 302
    )
