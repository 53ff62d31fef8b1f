"""服务记录导入 of a sheet over core.jobs.THRESHOLD_ROWS goes to a background job (the number
itself, 2,000 rows, is tested on the hotline and task-list imports: here it is lowered to 3 rows)
and enters the same records (待确认), as the reporter, into the unit he chose."""

import pytest

from shigan.core import jobs
from shigan.core.models import ImportJob, JobState
from shigan.timebank.models import ServiceRecord, ServiceState

from .factories import volunteer
from .test_pages import _sheet, _url

pytestmark = pytest.mark.django_db

ROWS = [
    ["张志愿", "", "2023-05-10", 2, "", "孤寡老人", "打扫卫生"],
    ["张志愿", "", "2023-05-11", 1, "", "留守儿童", "辅导作业"],
]


def test_a_large_sheet_is_entered_by_a_job(world, client_for, monkeypatch):
    monkeypatch.setattr(jobs, "THRESHOLD_ROWS", 3)
    volunteer(world, "张志愿")
    client = client_for(world.reporter_a)
    response = client.post(_url("service_import"), {"unit": world.unit_a.pk, "file": _sheet(ROWS)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.state, job.done, job.total) == (JobState.DONE, 4, 4)
    assert job.lines == ["区交通局：已导入2条服务记录（待确认），经他人确认后计入存折。"]
    records = ServiceRecord.objects.all()
    assert [r.state for r in records] == [ServiceState.PENDING] * 2
    assert {r.entered_by for r in records} == {world.reporter_a}


def test_a_large_sheet_with_a_bad_row_fails_and_enters_nothing(world, client_for, monkeypatch):
    monkeypatch.setattr(jobs, "THRESHOLD_ROWS", 3)
    volunteer(world, "张志愿")
    rows = [*ROWS, ["王不在", "", "2023-05-12", 1, "", "邻居", "修水管"]]
    client_for(world.reporter_a).post(
        _url("service_import"), {"unit": world.unit_a.pk, "file": _sheet(rows)}
    )
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED and not ServiceRecord.objects.exists()
    assert job.errors == ["第5行“姓名”列：“王不在”不是本村（社区）已开户的志愿者"]
