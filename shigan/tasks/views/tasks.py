"""Task list, task detail with its full history, and task create/edit by coordinators."""

from array import array

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from shigan.campaigns.queries import campaign_current
from shigan.core import clock, prepared
from shigan.core.chain_verify import verify_task
from shigan.core.editing import EditGuard
from shigan.core.history import task_history
from shigan.core.models import AuditAction, AuditEntry
from shigan.orgs.scope import LOWER_LEVEL_READ_ONLY

from ..access import (
    can_decide_change_requests,
    can_edit_task,
    can_manage_tasks,
    can_write_task,
    get_task_for_user,
    tasks_visible_to,
)
from ..changes import last_change
from ..forms.changes import ChangeRequestForm
from ..forms.tasks import TaskFilterForm, task_forms
from ..list_cache import ListPass, campaign_statuses, list_filter_options, list_pass, list_rows
from ..models import (
    ChangeRequest,
    ChangeState,
    Evidence,
    Milestone,
    ProgressReport,
    Task,
    TaskState,
)
from ..queries import (
    FilterOptions,
    campaign_choices,
    child_task_rows,
    row_for,
    task_row,
    tasks_annotated,
)
from ..services.tasks import task_save

PAGE_SIZE = 50


ORDERING = ("category__sort_order", "number", "id")


@login_required
def task_list(request):
    """Tasks of one campaign the user may read, with computed status; filtered, then paginated.

    The campaign is `?campaign=` or else the current one among those the user reads (as the
    battle map picks it); an id naming none of them is a 404. The database counts, filters by
    status (tasks.status_sql) and paginates; only the rows shown are read whole. A fixed number of
    queries whatever the task count.
    """
    campaigns = campaign_choices(request.user)
    raw = request.GET.get("campaign")
    campaign = campaign_current(raw, among=campaigns)
    today = clock.today()
    if campaign is None:
        visible, options = Task.objects.none(), FilterOptions([], [], [])
    else:
        # Read before the figures it keys (tasks.changes): the campaign-wide figures below are
        # cached under it (tasks.list_cache), never stale.
        change = last_change(campaign)
        # The campaign's statuses, brought up to the change (only the tasks written since it was
        # last read are computed again): what the other figures are keyed on.
        known = campaign_statuses(campaign, change, today)
        visible = tasks_visible_to(request.user, Task.objects.filter(campaign=campaign))
        options = list_filter_options(request.user, campaign, change, today, visible, known)
    data = request.GET.copy()
    if campaign is not None:
        data["campaign"] = str(campaign.pk)
    filter_form = TaskFilterForm(data, campaigns=campaigns, options=options)
    lookups, statuses = filter_form.filters()
    tasks = visible.filter(**lookups).order_by(*ORDERING)
    # One pass of the database over the filtered list (tasks.status_sql), cached: each task's id
    # and status in the list's order. The status band counts them (worst first, so a phone shows
    # 逾期n before any card), a status filter keeps its ids, the page is a slice of them, and only
    # the page's rows are read whole.
    if campaign is None:
        listed = ListPass(array("q"), "")
    else:
        listed = list_pass(request.user, campaign, change, today, tasks, lookups, known)
    counts = listed.counts()
    ids = listed.ids_with(statuses)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = ""
    if page.object_list:
        # The page's rows, rendered, cached under the list's key (tasks.list_cache.list_rows).
        shown = list(page.object_list)
        rows = list_rows(campaign, change, today, shown, _rows_html(today), known)
    tiles = [
        {"status": status, "count": n, "active": status in (statuses or ())}
        for status, n in counts.items()
        if n or status.value in {"overdue", "behind", "nearing"}
    ]
    context = {
        "filter_form": filter_form,
        "campaign": campaign,
        "page": page,
        "rows_html": mark_safe(rows),  # rendered by the template of the rows, escaped there
        "total": page.paginator.count,
        "tiles": tiles,
        "all_count": len(listed.ids),
        "can_create": can_manage_tasks(request.user),
    }
    return render(request, "tasks/task_list.html", context)


def _rows_html(today):
    """The page's rows of `ids`, in that order, read and rendered (two queries)."""

    def render(ids) -> str:
        shown = {t.pk: t for t in tasks_annotated(Task.objects.filter(pk__in=ids), today)}
        rows = [row_for(shown[pk], today) for pk in ids]
        return render_to_string("tasks/_task_list_rows.html", {"rows": rows})

    return render


def _detail_task(user, pk) -> Task:
    queryset = Task.objects.select_related(
        "campaign", "category", "lead_unit", "leader", "upper_task__lead_unit"
    ).prefetch_related("supporting_units")
    return get_task_for_user(user, pk, queryset=queryset, prepared_as="task_detail")


def _of_task(task: Task, name: str, build) -> list:
    """`build(task id)`'s records of the task (a queryset of a model with a `task` foreign key),
    by a statement compiled once per process (core.prepared), each holding `task` as the task's
    related manager would have given it."""
    records = prepared.rows((f"task_detail:{name}",), build, task.pk)
    for record in records:
        type(record).task.field.set_cached_value(record, task)
    return records


def _task_reports(task_pk: int):
    reports = ProgressReport.objects.filter(task_id=task_pk)
    return reports.select_related("unit", "submitted_by__person")


def _task_change_requests(task_pk: int):
    requests = ChangeRequest.objects.filter(task_id=task_pk)
    return requests.select_related("requested_by__person", "decided_by__person")


def _task_evidence(task_pk: int):
    return Evidence.objects.filter(Q(report__task_id=task_pk) | Q(change_request__task_id=task_pk))


def _attach_evidence(task: Task, reports: list, change_requests: list) -> None:
    """Each report's and change request's evidence, as prefetch_related("evidence") leaves it
    (`x.evidence.all()` reads no more), from one statement compiled once per process."""
    evidence = prepared.rows(("task_detail:evidence",), _task_evidence, task.pk)
    for records, attname, field in (
        (reports, "report_id", Evidence.report.field),
        (change_requests, "change_request_id", Evidence.change_request.field),
    ):
        by_record: dict[int, list] = {}
        for item in evidence:
            if (owner := getattr(item, attname)) is not None:
                by_record.setdefault(owner, []).append(item)
        for record in records:
            found = by_record.get(record.pk, [])
            for item in found:
                field.set_cached_value(item, record)
            queryset = record.evidence.all()
            queryset._result_cache, queryset._prefetch_done = found, True
            record._prefetched_objects_cache = {
                **getattr(record, "_prefetched_objects_cache", {}),
                field.remote_field.cache_name: queryset,
            }


def _task_milestones(task_pk: int):
    return Milestone.objects.filter(task_id=task_pk)


def _carried_into(task_pk: int):
    return Task.objects.filter(carried_from_id=task_pk).select_related("campaign")


# A report's 更正 link: reversed once, each report's id put in place of this one's.
_SOME_ID = 918_273_645


def _reports(task: Task) -> list:
    """The task's reports, each with what its row shows worked out once here rather than per row
    by the template's filters and {% url %} (issue 18): the same text as `date:"Y年n月"`,
    `date:"Y-m-d H:i"` (in the current time zone) and the 更正 link."""
    reports = _of_task(task, "reports", _task_reports)
    corrected_by: dict[int, list[int]] = {}
    for report in reports:
        if report.corrects_id:
            corrected_by.setdefault(report.corrects_id, []).append(report.pk)
    correct_url = reverse("tasks:progress_correct", args=[_SOME_ID])
    for report in reports:
        report.corrected_by_ids = sorted(corrected_by.get(report.pk, []))
        report.period_label = f"{report.period.year}年{report.period.month}月"
        at = timezone.localtime(report.submitted_at)
        report.submitted_label = f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at:%H:%M}"
        report.correct_url = correct_url.replace(str(_SOME_ID), str(report.pk))
    return reports


_UNBOUND_CHANGE_FIELDS: list[str] = []


def _change_fields_html(change_form) -> str:
    """The change request form's fields, rendered. An unbound form's are the same on every task
    page (no initial value, choice or attribute depends on the task or the viewer): rendered
    once per process — its widgets' templates were a quarter of the page's rendering (issue 18).
    A bound form (shown again with its errors) is rendered each time."""
    if change_form.is_bound:
        return render_to_string("tasks/_change_request_fields.html", {"change_form": change_form})
    if not _UNBOUND_CHANGE_FIELDS:
        html = render_to_string("tasks/_change_request_fields.html", {"change_form": change_form})
        _UNBOUND_CHANGE_FIELDS.append(html)
    return _UNBOUND_CHANGE_FIELDS[0]


def render_task_detail(request, task: Task, *, change_form=None, status: int = 200):
    """The detail page; `change_form` is a bound ChangeRequestForm to show with its errors."""
    # Its records are read by statements compiled once per process (core.prepared): building
    # and compiling them cost more than the database spent answering them (issue 18).
    change_requests = _of_task(task, "change_requests", _task_change_requests)
    pending = next((cr for cr in change_requests if cr.state == ChangeState.PENDING), None)
    may_write = can_write_task(request.user, task)
    may_request = may_write and task.state == TaskState.ACTIVE and pending is None
    history = task_history(task.pk)
    reports = _reports(task)
    _attach_evidence(task, reports, change_requests)
    today = clock.today()
    change_form = change_form or (ChangeRequestForm(task=task) if may_request else None)
    context = {
        "task": task,
        "row": task_row(task.pk, today),
        # 下级落实情况: the tasks districts answered its hand-downs with, each with its own status.
        "children": child_task_rows(task, today),
        "milestones": _of_task(task, "milestones", _task_milestones),
        "carried_into": prepared.rows(("task_detail:carried_into",), _carried_into, task.pk),
        "reports": reports,
        "change_requests": change_requests,
        "pending": pending,
        "history": history,
        # 已催办 N 次 and 督办: the item's history is their record (newest first).
        "chases": [e for e in history if e.action == AuditAction.CHASE],
        "escalations": [e for e in history if e.action == AuditAction.ESCALATE],
        "may_write": may_write,
        "may_request": may_request,
        "may_edit_task": can_edit_task(request.user, task),
        "may_decide": can_decide_change_requests(request.user),
        "change_form": change_form,
        "change_fields_html": mark_safe(_change_fields_html(change_form)) if change_form else "",
        # What of the task's records does not match the tamper-evident chain (a few queries).
        # Its entries, reports and change requests as read above: not read again.
        "tampered": verify_task(
            task.pk,
            read={
                AuditEntry._meta.label_lower: history,
                ProgressReport._meta.label_lower: reports,
                ChangeRequest._meta.label_lower: change_requests,
            },
        ),
    }
    return render(request, "tasks/task_detail.html", context, status=status)


@login_required
def task_detail(request, pk):
    return render_task_detail(request, _detail_task(request.user, pk))


def _task_form_page(request, task: Task | None):
    form, formset = task_forms(
        request.POST if request.method == "POST" else None, task, user=request.user
    )
    # Editing: a save by someone else since the form was shown (the task or its milestones)
    # refuses this one (core.editing).
    guard = EditGuard(form, task, what="任务", parts=["tasks.milestone"]) if task else None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            fields, milestones = form.task_fields(), formset.milestone_inputs()

            def save():
                return task_save(task=task, by=request.user, milestones=milestones, **fields)

            saved = guard.save(save) if guard else save()
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"任务“{saved.title}”已保存。")
            return redirect(saved)
    context = {"task": task, "form": form, "formset": formset}
    return render(request, "tasks/task_form.html", context)


@login_required
def task_create(request):
    if not can_manage_tasks(request.user):
        raise PermissionDenied("只有专班可以新建任务。")
    return _task_form_page(request, None)


@login_required
def task_edit(request, pk):
    task = get_task_for_user(request.user, pk)
    if not can_manage_tasks(request.user):
        raise PermissionDenied("只有专班可以修改任务。")
    if not can_edit_task(request.user, task):
        raise PermissionDenied(LOWER_LEVEL_READ_ONLY)
    return _task_form_page(request, task)
