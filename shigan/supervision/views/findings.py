"""Findings: the list, a finding's page (status, rectification, verifications, closure), and
recording a verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from shigan.core import clock
from shigan.core.editing import EditGuard
from shigan.core.history import history_of
from shigan.orgs.scope import person_of
from shigan.tasks.models import ChangeKind, ChangeState

from ..access import can_correct_finding, findings_visible_to, get_finding_for_user
from ..forms import FindingEditForm, FindingFilterForm, VerificationForm
from ..models import Finding
from ..queries import finding_row, finding_rows, status_counts
from ..services import finding_correct, verification_record
from ..status import FindingStatus

PAGE_SIZE = 50


@login_required
def finding_list(request):
    """Findings of the units the user may read, with derived status; filtered, paginated."""
    filter_form = FindingFilterForm(request.GET or None, user=request.user)
    lookups, statuses = filter_form.lookups() if request.GET else ({}, None)
    findings = findings_visible_to(request.user, Finding.objects.filter(**lookups))
    all_rows = finding_rows(findings, clock.today())
    rows = [r for r in all_rows if not statuses or r.status in statuses]
    context = {
        "filter_form": filter_form,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "total": len(rows),
        "counts": status_counts(all_rows),
    }
    return render(request, "supervision/finding_list.html", context)


def _finding(user, pk, *, write=False) -> Finding:
    queryset = Finding.objects.select_related(
        "inspection__campaign", "unit", "task__leader", "task__lead_unit"
    )
    return get_finding_for_user(user, pk, write=write, queryset=queryset)


def _closure(finding: Finding):
    requests = finding.task.change_requests.filter(kind=ChangeKind.COMPLETE).select_related(
        "requested_by__person", "decided_by__person"
    )
    requests = list(requests)
    approved = next((r for r in requests if r.state == ChangeState.APPROVED), None)
    pending = next((r for r in requests if r.state == ChangeState.PENDING), None)
    return approved, pending


@login_required
def finding_detail(request, pk):
    finding = _finding(request.user, pk)
    row = finding_row(finding.pk, clock.today())
    approved, pending = _closure(finding)
    verifications = list(finding.verifications.select_related("verified_by", "recorded_by__person"))
    reports = finding.task.progress_reports.select_related("unit", "submitted_by__person")
    context = {
        "finding": finding,
        "row": row,
        "verifications": verifications,
        "history": history_of(finding, *verifications),
        "may_correct": can_correct_finding(request.user, finding),
        "reports": list(reports[:5]),
        "closure": approved,
        "pending_closure": pending,
        "may_verify": can_correct_finding(request.user, finding)
        and row.status not in {FindingStatus.CLOSED, FindingStatus.CANCELLED},
    }
    return render(request, "supervision/finding_detail.html", context)


@login_required
def verification_create(request, pk):
    """An inspector records whether the rectification passed verification (核查)."""
    finding = _finding(request.user, pk, write=True)
    form = VerificationForm(request.POST or None, person=person_of(request.user), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            verification = verification_record(
                finding=finding, by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"核查结果“{verification.get_result_display()}”已录入。")
            return redirect(finding)
    context = {"finding": finding, "form": form, "row": finding_row(finding.pk, clock.today())}
    return render(request, "supervision/verification_form.html", context)


def _corrected_message(finding: Finding, moved: bool) -> str:
    task = finding.task
    parts = ["督查问题已更正，更正原因记入历史记录。"]
    if moved:
        parts.append(
            f"整改事项随之改由“{task.lead_unit.name}”牵头，责任领导：{task.leader or '—'}。"
        )
    if task.due_date != finding.deadline:
        parts.append(f"整改事项的时限已经审批调整为{task.due_date}，未随整改时限改变。")
    return "".join(parts)


@login_required
def finding_edit(request, pk):
    """Correct a finding after entry (更正), with a reason; its rectification task follows."""
    finding = _finding(request.user, pk, write=True)
    form = FindingEditForm(request.POST or None, finding=finding)
    guard = EditGuard(form, finding, what="督查发现的问题")
    if request.method == "POST" and form.is_valid():
        unit_before = finding.unit_id
        try:
            data = form.cleaned_data
            finding = guard.save(lambda: finding_correct(finding=finding, by=request.user, **data))
        except ValidationError as e:
            form.add_error(None, e)
        else:
            finding = _finding(request.user, finding.pk)
            messages.success(request, _corrected_message(finding, finding.unit_id != unit_before))
            return redirect(finding)
    context = {"finding": finding, "form": form, "row": finding_row(finding.pk, clock.today())}
    return render(request, "supervision/finding_form.html", context)
