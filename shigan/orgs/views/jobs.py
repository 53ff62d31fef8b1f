"""后台导入 — the page of one background import (core.jobs): state, rows done of the total,
then what was imported or every error by row and column. While the job is queued or running the
page refreshes itself every two seconds (a meta refresh: the CSP allows no inline script)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shigan.core.jobs import NOT_STARTED, THRESHOLD_ROWS, job_not_started, job_progress

from ..access import job_for_user


@login_required
@require_GET
def job_detail(request, pk: int):
    job = job_for_user(request.user, pk)
    done = job_progress(job)
    context = {
        "job": job,
        "done": done,
        "percent": done * 100 // job.total if job.total else 0,
        "not_started": NOT_STARTED if job_not_started(job) else "",
        "threshold": THRESHOLD_ROWS,
    }
    return render(request, "core/job.html", context)
