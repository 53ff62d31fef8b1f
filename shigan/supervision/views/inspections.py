"""Inspections: the list with finding counts by status, recording one, its page with findings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shigan.core import clock
from shigan.core.editing import EditGuard
from shigan.core.history import history_of
from shigan.orgs.scope import person_of

from ..access import (
    can_correct_inspection,
    can_record_supervision,
    findings_visible_to,
    get_inspection_for_user,
    inspections_visible_to,
)
from ..forms import FindingForm, InspectionEditForm, InspectionFilterForm, InspectionForm
from ..models import Finding, Inspection
from ..queries import finding_rows, inspection_rows, inspections_listed
from ..services import finding_record, inspection_correct, inspection_record
from ..status import FindingStatus

PAGE_SIZE = 30


@login_required
def inspection_list(request):
    """Inspections concerning the user's units, newest first, with finding counts by status."""
    filter_form = InspectionFilterForm(request.GET or None, user=request.user)
    lookups = filter_form.lookups() if request.GET else {}
    inspections = inspections_visible_to(request.user, Inspection.objects.filter(**lookups))
    page = Paginator(inspections_listed(inspections), PAGE_SIZE).get_page(request.GET.get("page"))
    findings = findings_visible_to(request.user, Finding.objects.all())
    context = {
        "filter_form": filter_form,
        "page": page,
        "rows": inspection_rows(list(page), findings, clock.today()),
        "statuses": list(FindingStatus),
        "can_record": can_record_supervision(request.user),
    }
    return render(request, "supervision/inspection_list.html", context)


@login_required
def inspection_create(request):
    if not can_record_supervision(request.user):
        raise PermissionDenied("只有督查人员或专班可以录入督查记录。")
    person = person_of(request.user)
    form = InspectionForm(request.POST or None, person=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = inspection_record(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"督查“{inspection.topic}”已录入，请逐条录入发现的问题。")
            return redirect(inspection)
    return render(request, "supervision/inspection_form.html", {"form": form})


@login_required
def inspection_edit(request, pk):
    """Correct an inspection after entry (更正), with a reason; its findings hold it in place."""
    inspection = get_inspection_for_user(request.user, pk, write=True, queryset=_detail_queryset())
    form = InspectionEditForm(request.POST or None, inspection=inspection, user=request.user)
    guard = EditGuard(form, inspection, what="督查")
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            inspection = guard.save(
                lambda: inspection_correct(inspection=inspection, by=request.user, **data)
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"督查“{inspection.topic}”已更正，更正原因记入历史记录。")
            return redirect(inspection)
    context = {"form": form, "inspection": inspection}
    return render(request, "supervision/inspection_form.html", context)


def _detail_queryset():
    return Inspection.objects.select_related("campaign").prefetch_related("units", "inspectors")


def render_inspection_detail(request, inspection: Inspection, *, finding_form=None):
    findings = findings_visible_to(request.user, inspection.findings.all())
    may_record = can_correct_inspection(request.user, inspection)
    if may_record and finding_form is None:
        finding_form = FindingForm(inspection=inspection)
    context = {
        "inspection": inspection,
        "rows": finding_rows(findings, clock.today()),
        "finding_form": finding_form,
        "may_correct": may_record,
        "history": history_of(inspection),
    }
    return render(request, "supervision/inspection_detail.html", context)


@login_required
def inspection_detail(request, pk):
    inspection = get_inspection_for_user(request.user, pk, queryset=_detail_queryset())
    return render_inspection_detail(request, inspection)


@login_required
@require_POST
def finding_create(request, pk):
    """Record a finding of the inspection; on bad input its page is shown again with messages."""
    inspection = get_inspection_for_user(request.user, pk, write=True, queryset=_detail_queryset())
    form = FindingForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            finding = finding_record(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"已录入问题并生成整改事项，责任单位：{finding.unit.name}。")
            return redirect(f"{inspection.get_absolute_url()}#finding-{finding.pk}")
    return render_inspection_detail(request, inspection, finding_form=form)
