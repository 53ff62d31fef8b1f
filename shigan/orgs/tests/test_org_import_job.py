"""组织架构导入's confirmation of a workbook over core.jobs.THRESHOLD_ROWS goes to a background
job (the number itself, 2,000 rows, is tested on the hotline and task-list imports: here it is
lowered to 3 rows): the preview stays in the request and writes nothing; the job applies exactly
the previewed file with the removals ticked, as the coordinator."""

import pytest
from django.urls import reverse

from shigan.core import jobs
from shigan.core.models import ImportJob, JobState
from shigan.orgs.models import Unit, UnitKind

from .org_sheets import world_book
from .test_org_import import URL, book_bytes, upload

pytestmark = pytest.mark.django_db


def test_a_large_organisation_is_applied_by_a_job_with_the_ticked_removals(
    world, client_for, monkeypatch
):
    monkeypatch.setattr(jobs, "THRESHOLD_ROWS", 3)
    spare = Unit.objects.create(
        name="区档案馆", code="190", kind=UnitKind.BUREAU, parent=world.district
    )
    client = client_for(world.coordinator)
    response = client.post(URL, {"file": upload(book_bytes(world_book()))})
    removal = next(r for r in response.context["plan"].removals if r.label == "区档案馆")
    assert not ImportJob.objects.exists()
    assert "文件超过3行：确认后在后台导入，并转到进度页面。" in response.content.decode()
    confirm = {"token": response.context["token"], "remove": [removal.key]}
    response = client.post(reverse("orgs:org_import_confirm"), confirm)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.state, job.kind, job.params) == (JobState.DONE, "org", {"remove": [removal.key]})
    assert job.lines[0].startswith("已导入组织架构：") and "删除1项" in job.lines[0]
    assert not Unit.objects.filter(pk=spare.pk).exists()
    # The staged file is spent: confirming again asks for the file.
    again = client.post(reverse("orgs:org_import_confirm"), confirm).content.decode()
    assert "预览已过期或已导入" in again and ImportJob.objects.count() == 1
