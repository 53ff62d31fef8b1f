"""任务清单导入 of a list over core.jobs.THRESHOLD_ROWS (2,000 rows): the preview stays in the
request (bounded at 20,000 rows), the confirmation is saved by a background job whose page shows
the outcome; a list changed after the preview ends 失败 and saves nothing."""

import pytest

from shigan.core import jobs
from shigan.core.models import AuditEntry, ImportJob, JobState
from shigan.tasks.import_jobs import STALE
from shigan.tasks.models import Task

from .task_sheets import TEMPLATE_HEADER, ListSheet
from .test_task_list_pages import PAGE, confirmation, preview, upload

pytestmark = pytest.mark.django_db


def big_list(rows: int) -> ListSheet:
    """A title row, the header, one category row and task rows down to sheet row `rows`."""
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、全面完善路网体系")
    for number in range(1, rows - 2):
        sheet.task(序号=number, 任务名称=f"第{number}项任务", 牵头单位="区交通局", 完成时限="年底")
    return sheet


def test_a_list_over_2000_rows_is_confirmed_by_a_job_as_the_coordinator(world, client_for):
    client = client_for(world.coordinator)
    sheet = big_list(2001)
    before = Task.objects.count()
    page = preview(client, sheet, world.campaign)
    assert "文件超过2000行：确认后在后台导入，并转到进度页面。" in page
    fields = confirmation(page)
    assert Task.objects.count() == before and not ImportJob.objects.exists()
    response = client.post(PAGE, fields)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.state, job.kind, job.done, job.total) == (JobState.DONE, "task_list", 2001, 2001)
    assert Task.objects.count() == before + 1998
    created = AuditEntry.objects.filter(actor=world.coordinator, action="create")
    assert created.filter(record_type="tasks.task").count() == 1998
    assert (
        job.lines[0] == "已导入任务清单：共1998项任务，新增1998项，更新0项，0项未变，新建类别1个。"
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert "已完成" in page and "新增：第1998项任务（序号1998）" in page


def test_a_large_list_changed_after_its_preview_fails_and_saves_nothing(world, client_for):
    client = client_for(world.coordinator)
    fields = confirmation(preview(client, big_list(2001), world.campaign))
    # Meanwhile a task of the file's is entered: the plan previewed no longer holds.
    task = Task.objects.get(pk=world.task_a.pk)
    task.pk, task.title, task.number = None, "第1项任务", 99
    task.save()
    before = Task.objects.count()
    client.post(PAGE, fields)
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED and job.errors == [STALE]
    assert Task.objects.count() == before


def test_a_list_of_2000_rows_is_still_confirmed_in_the_request(world, client_for):
    client = client_for(world.coordinator)
    page = preview(client, big_list(2000), world.campaign)
    assert "确认后在后台导入" not in page
    fields = confirmation(page)
    page = client.post(PAGE, fields).content.decode()
    assert "导入成功" in page and not ImportJob.objects.exists()


def test_the_upload_is_the_same_size_the_job_counts(world):
    assert jobs.workbook_rows(upload(big_list(2001)).read()) == 2001
