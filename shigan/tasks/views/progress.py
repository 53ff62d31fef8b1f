"""Progress corrections and evidence downloads (the unit's monthly report is shigan.monthly's)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ..access import get_task_for_user
from ..evidence import ACCEPTED_LABEL
from ..forms.progress import ProgressCorrectForm
from ..models import Evidence, ProgressReport
from ..services.progress import progress_submit


@login_required
@require_http_methods(["GET", "POST"])
def progress_correct(request, pk):
    report = get_object_or_404(ProgressReport.objects.select_related("submitted_by"), pk=pk)
    task = get_task_for_user(request.user, report.task_id, write=True)
    posted = request.method == "POST"
    form = ProgressCorrectForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"text": report.text},
    )
    if posted and form.is_valid():
        try:
            progress_submit(
                task=task,
                unit=task.lead_unit,
                period=report.period,
                by=request.user,
                text=form.cleaned_data["text"],
                milestones_reached={},
                uploads=form.cleaned_data["evidence"],
                corrects=report,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "更正已提交，原报告保留备查。")
            return redirect(task)
    context = {"form": form, "report": report, "task": task}
    context |= {"accepted_label": ACCEPTED_LABEL, "max_upload_mb": settings.MAX_UPLOAD_MB}
    return render(request, "tasks/progress_correct.html", context)


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence, pk=pk)
    get_task_for_user(request.user, evidence.task_id)
    return evidence.download()
