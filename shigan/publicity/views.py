"""Media reports: the list with counts by level and period, recording one, a report's page with
its history, and correcting one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shigan.core import clock
from shigan.core.editing import EditGuard
from shigan.core.history import history_of

from .access import (
    can_correct_media_report,
    can_read_media_reports,
    can_record_media_report,
    get_media_report_for_user,
    media_reports_visible_to,
)
from .forms import MediaReportEditForm, MediaReportFilterForm, MediaReportForm
from .models import MediaLevel, MediaReport
from .queries import media_report_counts, media_reports_listed
from .services import media_report_correct, media_report_record

PAGE_SIZE = 50


def render_report_list(request, *, form=None):
    if not can_read_media_reports(request.user):
        raise PermissionDenied("无权查看宣传报道。")
    filter_form = MediaReportFilterForm(request.GET or None, user=request.user)
    chosen = filter_form.values() if request.GET else {}
    as_of = chosen.get("date_to") or clock.today()
    reports = media_reports_visible_to(request.user, MediaReport.objects.all())
    if chosen.get("campaign"):
        reports = reports.filter(campaign=chosen["campaign"])
    counts = media_report_counts(
        reports, as_of=as_of, period=chosen.get("period", "month"), since=chosen.get("date_from")
    )
    listed = reports.filter(date__gte=counts.since, date__lte=as_of)
    if chosen.get("level"):
        listed = listed.filter(level=chosen["level"])
    page = Paginator(media_reports_listed(listed, request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    may_record = can_record_media_report(request.user)
    context = {
        "filter_form": filter_form,
        "counts": counts,
        "levels": MediaLevel.choices,
        "page": page,
        "form": form or (MediaReportForm(user=request.user) if may_record else None),
    }
    return render(request, "publicity/mediareport_list.html", context)


@login_required
def report_list(request):
    return render_report_list(request)


@login_required
@require_POST
def report_create(request):
    """Record a report; a duplicate or bad input shows the list again with the message."""
    if not can_record_media_report(request.user):
        raise PermissionDenied("只有专班可以登记宣传报道。")
    form = MediaReportForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            report = media_report_record(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"已登记 {report.outlet}《{report.title}》。")
            return redirect(reverse("publicity:report_list"))
    return render_report_list(request, form=form)


def _report(request, pk, *, write: bool = False) -> MediaReport:
    queryset = media_reports_listed(MediaReport.objects.all(), request.user)
    return get_media_report_for_user(request.user, pk, write=write, queryset=queryset)


@login_required
def report_detail(request, pk):
    """One report as recorded, with its history (corrections and their reasons)."""
    report = _report(request, pk)
    context = {
        "report": report,
        "history": history_of(report),
        "may_correct": can_correct_media_report(request.user, report),
    }
    return render(request, "publicity/mediareport_detail.html", context)


@login_required
def report_edit(request, pk):
    """Correct a report after entry (更正), with a reason; a duplicate is refused as at entry."""
    report = _report(request, pk, write=True)
    form = MediaReportEditForm(request.POST or None, report=report, user=request.user)
    guard = EditGuard(form, report, what="媒体报道")
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            report = guard.save(
                lambda: media_report_correct(report=report, by=request.user, **data)
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, f"已更正 {report.outlet}《{report.title}》，更正原因记入历史记录。"
            )
            return redirect(reverse("publicity:report_detail", args=[report.pk]))
    return render(request, "publicity/mediareport_form.html", {"form": form, "report": report})
