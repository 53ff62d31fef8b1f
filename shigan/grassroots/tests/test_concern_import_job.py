"""诉求导入 over core.jobs.THRESHOLD_ROWS (2,000 rows) runs as a background job: its page shows
state and progress, then what was imported or every error; a smaller sheet stays in the request."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shigan.core import jobs
from shigan.core.models import ImportJob, JobState
from shigan.grassroots.models import Concern

from .concern_helpers import category
from .test_concern_import import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def _rows_sheet(client, total_rows: int, *, bad_row: int | None = None) -> io.BytesIO:
    """The template with data rows down to sheet row `total_rows` (the sheet then holds exactly
    `total_rows` rows); `bad_row` gets an invalid date."""
    wb = load_workbook(io.BytesIO(client.get(reverse("grassroots:concern_template")).content))
    ws = wb.active
    first = ws.max_row + 1
    for row in range(first, total_rows + 1):
        values = list(GOOD[0])
        values[0] = "2023-02-30" if row == bad_row else datetime.date(2023, 7, 3)
        for column, value in enumerate(values, start=1):
            ws.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    assert jobs.workbook_rows(buffer.getvalue()) == total_rows
    buffer.name = "热线.xlsx"
    buffer.seek(0)
    return buffer


@pytest.fixture
def progress_writes(monkeypatch):
    seen = []
    replace = jobs.os.replace

    def recording(src, dst):
        seen.append(int(open(src).read()))
        replace(src, dst)

    monkeypatch.setattr(jobs.os, "replace", recording)
    return seen


def test_a_sheet_over_2000_rows_is_imported_by_a_job_with_progress(
    world, client_for, progress_writes
):
    assert jobs.THRESHOLD_ROWS == 2000
    category(world, name="道路交通", days=5)
    client = client_for(world.coordinator)
    upload = _rows_sheet(client, 2001)
    response = client.post(reverse("grassroots:concern_import"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    assert (job.state, job.owner, job.total, job.done) == (
        JobState.DONE,
        world.coordinator,
        2001,
        2001,
    )
    assert Concern.objects.count() == 2001 - 4  # the template's four heading rows
    assert (
        progress_writes == sorted(progress_writes)
        and progress_writes[-1] >= 2000 - jobs.PROGRESS_EVERY
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert "已完成" in page and "2001/2001" in page and "已导入诉求1997件" in page
    assert 'http-equiv="refresh"' not in page


def test_a_failing_large_sheet_ends_failed_with_its_errors_and_saves_nothing(world, client_for):
    category(world, name="道路交通", days=5)
    client = client_for(world.coordinator)
    client.post(
        reverse("grassroots:concern_import"), {"file": _rows_sheet(client, 2001, bad_row=1500)}
    )
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED and not Concern.objects.exists()
    assert (job.done, job.total) == (2001, 2001)  # every row was read, the errors collected
    assert job.errors == ["第1500行“受理日期”列：“2023-02-30”不是有效日期（应如2023-07-31）"]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "失败" in page and "第1500行“受理日期”列：“2023-02-30”不是有效日期" in page


def test_a_sheet_of_2000_rows_is_still_imported_in_the_request(world, client_for):
    category(world, name="道路交通", days=5)
    client = client_for(world.coordinator)
    response = client.post(
        reverse("grassroots:concern_import"), {"file": _rows_sheet(client, 2000)}
    )
    assert response.status_code == 302 and response.url == reverse("grassroots:concern_list")
    assert Concern.objects.count() == 1996 and not ImportJob.objects.exists()
