"""指标数据导入 of a workbook over core.jobs.THRESHOLD_ROWS goes to a background job (the number
itself, 2,000 rows, is tested on the hotline and task-list imports: here it is lowered to 3 rows
so a small template crosses it) and saves the same figures, as the reporter."""

from shigan.core import jobs
from shigan.core.models import AuditEntry, ImportJob, JobState
from shigan.indicators.models import Actual

from .sheets import actuals_file
from .test_views import VALUE, upload


def test_a_large_actuals_workbook_is_imported_by_a_job(
    ind, world, client_for, tmp_path, monkeypatch
):
    monkeypatch.setattr(jobs, "THRESHOLD_ROWS", 3)
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 33000)
    response = upload(client_for(world.reporter_a), sheet.save())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.state, job.kind, job.owner) == (JobState.DONE, "indicators", world.reporter_a)
    assert job.done == job.total > 3 and job.lines[0].startswith("已导入指标完成值")
    assert Actual.objects.get(indicator=ind.investment).value == 33000
    assert AuditEntry.objects.filter(
        actor=world.reporter_a, record_type="indicators.actual"
    ).exists()


def test_a_large_workbook_with_an_error_fails_and_saves_nothing(
    ind, world, client_for, tmp_path, monkeypatch
):
    monkeypatch.setattr(jobs, "THRESHOLD_ROWS", 3)
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, "很多")
    upload(client_for(world.reporter_a), sheet.save())
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED and job.errors and "“很多”" in job.errors[0]
    assert not Actual.objects.exists()
