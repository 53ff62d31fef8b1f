"""Large imports run by a worker, with their progress shown on the job page (/jobs/<id>/).

An import whose workbook has more than THRESHOLD_ROWS rows in its largest worksheet (header
rows included; counted from the sheet's XML, no parsing) is not written in the request: its
confirmation calls `job_submit`, which keeps the bytes under DATA_DIR/jobs/ (0600), records an
ImportJob (排队中) and enqueues `import_job_task` on the django-tasks backend (settings.TASKS:
the database by default, run by `shigan worker`, which `shigan serve` starts; the tests' immediate
backend runs it at once). Smaller imports stay in the request as before.

The worker runs the very import service the request would have run (all or nothing, audited as
the job's owner) through the runner its app registered for the job's kind (`runner`, from the
app's AppConfig.ready), so core imports no app. Progress: the workbook readers tick every data
row (core.progress); every PROGRESS_EVERY rows the row reached is written to DATA_DIR/jobs/<id>.
progress — not to the job row, because the import's own transaction holds SQLite's write lock
until it commits, so no other connection could write the row meanwhile. When the import ends the
job row gets its state (已完成 or 失败), done = total, and the result: the runner's summary lines,
or its errors by row and column as the synchronous page shows them.
"""

import io
import logging
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .models import ImportJob, JobState
from .ooxml import count, windows
from .progress import listening

THRESHOLD_ROWS = 2000
PROGRESS_EVERY = 100
STALE_AFTER = timedelta(seconds=30)
NOT_STARTED = "后台任务尚未开始：请确认 shigan worker 正在运行。"
INTERNAL = "导入时发生内部错误，未导入任何内容：请联系管理员查看服务器日志。"
WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a runner reports: whether everything was saved, what (lines) or why not (errors)."""

    ok: bool
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


Runner = Callable[..., Outcome]
RUNNERS: dict[str, Runner] = {}


def runner(kind: str) -> Callable[[Runner], Runner]:
    """Register `fn(*, job, data) -> Outcome` as the import run for jobs of `kind`."""

    def register(fn: Runner) -> Runner:
        RUNNERS[kind] = fn
        return fn

    return register


def workbook_rows(data: bytes) -> int:
    """The rows of the workbook's largest worksheet (0 for anything that is not a workbook: the
    import itself then says what is wrong, in the request)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if WORKSHEET.fullmatch(m.filename)]
        return max((_rows(archive, m) for m in members), default=0)
    except Exception:  # a damaged package: left to the importer's own message
        return 0


def _rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    return sum(count(ROW, text, limit) for text, limit in windows(archive, member, "Excel"))


def is_large(data: bytes) -> bool:
    return workbook_rows(data) > THRESHOLD_ROWS


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "jobs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _upload(job_id: int) -> Path:
    return _folder() / f"{job_id}.upload"


def _progress_file(job_id: int) -> Path:
    return _folder() / f"{job_id}.progress"


def job_submit(
    *, kind: str, by, data: bytes, title: str, params: dict, district_id: int | None, back_url: str
) -> ImportJob:
    """Record the job (排队中), keep its file and enqueue it; returns the job."""
    if kind not in RUNNERS:
        raise LookupError(f"no runner registered for {kind}")
    job = ImportJob.objects.create(
        owner=by, kind=kind, title=title, params=params, district_id=district_id,
        back_url=back_url, total=workbook_rows(data),
    )  # fmt: skip
    path = _upload(job.pk)
    path.touch(mode=0o600)
    path.write_bytes(data)
    import_job_task.enqueue(job.pk)
    job.refresh_from_db()
    return job


@task()
def import_job_task(job_id: int) -> str:
    """The worker's side: run the job's import; returns its final state."""
    return job_run(job_id)


def job_run(job_id: int) -> str:
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.state != JobState.QUEUED:
        return job.state if job else "missing"
    job.state, job.started_at = JobState.RUNNING, timezone.now()
    job.save(update_fields=["state", "started_at"])
    reporter = _Reporter(job.pk)
    try:
        data = _upload(job.pk).read_bytes()
        with listening(reporter):
            outcome = RUNNERS[job.kind](job=job, data=data)
    except Exception:
        log.exception("import job %s failed", job.pk)
        outcome = Outcome(ok=False, errors=[INTERNAL])
    _finish(job, outcome, reached=reporter.reached)
    return job.state


def _finish(job: ImportJob, outcome: Outcome, *, reached: int) -> None:
    """Saved: every row is done (done = total). Failed: done is the last row read."""
    job.state = JobState.DONE if outcome.ok else JobState.FAILED
    job.done = job.total if outcome.ok else min(reached, job.total)
    job.lines, job.errors = outcome.lines, outcome.errors
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "done", "lines", "errors", "finished_at"])
    _upload(job.pk).unlink(missing_ok=True)
    _progress_file(job.pk).unlink(missing_ok=True)


class _Reporter:
    """Writes the highest row reached every PROGRESS_EVERY rows (tmp file, then rename)."""

    def __init__(self, job_id: int):
        self.path, self.reached, self.written = _progress_file(job_id), 0, 0

    def __call__(self, row: int) -> None:
        self.reached = max(self.reached, row)
        if self.reached - self.written >= PROGRESS_EVERY:
            partial = self.path.with_suffix(".tmp")
            partial.write_text(str(self.reached))
            os.replace(partial, self.path)
            self.written = self.reached


def job_progress(job: ImportJob) -> int:
    """Rows done: the last reported row while the job runs, the job row's count after."""
    if job.state != JobState.RUNNING:
        return job.done
    try:
        return min(int(_progress_file(job.pk).read_text() or 0), job.total)
    except (FileNotFoundError, ValueError):
        return 0


def job_not_started(job: ImportJob, *, now=None) -> bool:
    """Still 排队中 STALE_AFTER after it was queued: no worker has picked it up."""
    return job.state == JobState.QUEUED and (now or timezone.now()) - job.created_at > STALE_AFTER
