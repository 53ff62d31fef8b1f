"""后台导入's page (/jobs/<id>/, orgs.access.job_for_user): its owner and his district's
coordinators read it, nobody else (404); while it runs it refreshes itself and shows the rows
reached; a job no worker has started after core.jobs.STALE_AFTER says to start `shigan worker`."""

import datetime

import pytest
from django.utils import timezone

from shigan.core import jobs
from shigan.core.models import ImportJob, JobState
from shigan.orgs.access import job_for_user

pytestmark = pytest.mark.django_db


def job_of(user, world, **fields) -> ImportJob:
    values = {"kind": "timebank", "title": "导入服务记录（区交通局）", "total": 2400}
    values["district_id"] = world.district.pk
    return ImportJob.objects.create(owner=user, **values | fields)


def test_the_owner_and_his_district_coordinator_read_the_job_nobody_else(world, client_for):
    job = job_of(world.reporter_a, world)
    assert job_for_user(world.reporter_a, job.pk) == job
    assert job_for_user(world.coordinator, job.pk) == job
    for user in (world.reporter_b, world.leader, world.inspector):
        assert client_for(user).get(job.get_absolute_url()).status_code == 404
    elsewhere = job_of(world.reporter_a, world, district_id=world.district.pk + 1000)
    assert client_for(world.coordinator).get(elsewhere.get_absolute_url()).status_code == 404
    assert client_for(world.reporter_a).get("/jobs/999999/").status_code == 404


def test_a_running_job_refreshes_and_shows_the_rows_reached(world, client_for, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    job = job_of(world.reporter_a, world, state=JobState.RUNNING)
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / f"{job.pk}.progress").write_text("1200")
    page = client_for(world.reporter_a).get(job.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "进行中" in page and "1200/2400" in page and "（50%）" in page
    assert jobs.NOT_STARTED not in page and "正在保存" not in page
    (tmp_path / "jobs" / f"{job.pk}.progress").write_text("2400")
    page = client_for(world.reporter_a).get(job.get_absolute_url()).content.decode()
    assert "2400/2400" in page and "已全部读取，正在保存……" in page


def test_a_job_no_worker_started_says_to_run_the_worker(world, client_for):
    job = job_of(world.reporter_a, world)
    client = client_for(world.reporter_a)
    assert jobs.NOT_STARTED not in client.get(job.get_absolute_url()).content.decode()
    earlier = timezone.now() - jobs.STALE_AFTER - datetime.timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(created_at=earlier)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "后台任务尚未开始：请确认 shigan worker 正在运行" in page and "排队中" in page


def test_the_job_page_runs_the_same_queries_for_ten_or_two_thousand_errors(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.reporter_a)
    few = job_of(world.reporter_a, world, state=JobState.FAILED, errors=["第5行"] * 10)
    many = job_of(world.reporter_a, world, state=JobState.FAILED, errors=["第5行"] * 2000)
    client.get(few.get_absolute_url())
    with django_assert_num_queries(5) as small:
        client.get(few.get_absolute_url())
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(many.get_absolute_url()).content.decode()
    assert "发现2000处问题，未导入任何内容" in page


def test_a_job_without_its_runner_cannot_be_submitted(world):
    with pytest.raises(LookupError):
        jobs.job_submit(kind="nothing", by=world.coordinator, data=b"", title="x", params={},
                        district_id=None, back_url="")  # fmt: skip
    assert not ImportJob.objects.exists()
