"""Directive pages, the hand-down form, the receiving district's inbox and the upper task's
下级落实情况. Thin: access (directives.access), one service or query, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shigan.campaigns.queries import campaign_current
from shigan.core import clock
from shigan.core.params import id_or_none
from shigan.orgs.scope import get_visible
from shigan.tasks.access import get_task_for_user
from shigan.tasks.models import Task
from shigan.tasks.queries import task_rows
from shigan.tasks.rollup import ACCEPT_DAYS

from .access import (
    NO_SUBORDINATES,
    can_edit_directive,
    can_hand_down,
    can_hand_down_directive,
    can_manage_directives,
    can_read_directives,
    directives_title,
    directives_visible_to,
    get_directive_for_user,
    get_directive_to_edit,
    get_file_for_user,
    get_handdown_to_answer,
    get_handdown_to_withdraw,
    get_upper_task_for_user,
    handdown_scope_q,
    handdowns_received,
    handdowns_seen_by,
    has_level_above,
    has_subordinates,
    own_campaigns,
    pending_count,
    upper_task_targets,
)
from .editing import DirectiveGuard
from .forms import (
    AcceptForm,
    DirectiveEditForm,
    DirectiveForm,
    HandDownForm,
    ReturnForm,
    WithdrawForm,
)
from .models import Directive, DirectivePoint, HandDown, HandDownState
from .queries import (
    directive_points,
    directive_rows,
    inbox_handdowns,
    upper_task_view,
    used_point_ids,
)
from .services import (
    directive_create,
    directive_update,
    handdown_accept_existing,
    handdown_accept_new,
    handdown_create,
    handdown_create_with_task,
    handdown_return,
    handdown_withdraw,
    not_pending_message,
)


def _require_reader(user) -> None:
    if not can_read_directives(user):
        raise PermissionDenied("只有专班和督查可以查看上级文件。")


def _require_manager(user) -> None:
    if not can_manage_directives(user):
        raise PermissionDenied("只有专班可以录入文件和办理交办。")


@login_required
def directive_list(request):
    """The directives the user reads, newest first (one query, plus the inbox count)."""
    _require_reader(request.user)
    rows = directive_rows(directives_visible_to(request.user, Directive.objects.all())).annotate(
        seen_handdowns=Count(
            "points__handdowns",
            filter=handdown_scope_q(request.user, "points__handdowns__"),
            distinct=True,
        )
    )
    may_create = can_manage_directives(request.user)
    context = {
        "directives": list(rows),
        "title": directives_title(request.user),
        "may_receive": may_create and has_level_above(request.user),
        "may_create": may_create,
        "may_hand_down": may_create and has_subordinates(request.user),
        "pending": pending_count(request.user),
    }
    return render(request, "directives/directive_list.html", context)


@login_required
def directive_create_page(request):
    _require_manager(request.user)
    post = request.method == "POST"
    form = DirectiveForm(request.POST if post else None, request.FILES if post else None,
                         user=request.user)  # fmt: skip
    if post and form.is_valid():
        data = form.cleaned_data
        try:
            directive = directive_create(
                by=request.user, issuer=data["issuer"], issuer_name=data["issuer_name"],
                number=data["number"],
                title=data["title"], issued_on=data["issued_on"], points=form.point_lines(),
                files=data["files"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"文件“{directive.number}”已录入。")
            return redirect(directive)
    return render(request, "directives/directive_form.html", {"form": form})


@login_required
def directive_edit_page(request, pk):
    """修改文件: its fields, points and attachments, by its level's coordinator; all or nothing."""
    directive = get_directive_to_edit(request.user, pk)
    post = request.method == "POST"
    form = DirectiveEditForm(request.POST if post else None, request.FILES if post else None,
                             user=request.user, directive=directive,
                             used_point_ids=used_point_ids(directive))  # fmt: skip
    # The directive's version (with its points and attachments): a save by someone else since
    # the form was shown refuses this one (directives.editing.DirectiveGuard).
    guard = DirectiveGuard(form, directive)
    if post and form.is_valid():
        data = form.cleaned_data
        try:
            guard.save(lambda: directive_update(
                by=request.user, directive=directive, issuer=data["issuer"],
                issuer_name=data["issuer_name"], number=data["number"], title=data["title"],
                issued_on=data["issued_on"], points=form.edited_points(),
                remove_files=[f.pk for f in data["remove_files"]], files=data["files"],
            ))  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"文件“{directive.number}”已修改。")
            return redirect(directive)
    return render(request, "directives/directive_edit.html", {"form": form, "directive": directive})


@login_required
def directive_detail(request, pk):
    directive = get_directive_for_user(request.user, pk)
    context = {
        "directive": directive,
        "points": _points_seen_by(request.user, directive),
        "files": list(directive.files.all()),
        "may_hand_down": can_hand_down_directive(request.user, directive)
        and has_subordinates(request.user),
        "may_edit": can_edit_directive(request.user, directive),
        "list_title": directives_title(request.user),
    }
    return render(request, "directives/directive_detail.html", context)


def _points_seen_by(user, directive):
    """The directive's points with only the hand-downs the user reads (a district: its own), each
    group's upper task linked where he may open it: 下级落实情况, else his own task answering it."""
    points = directive_points(directive, clock.today())
    readable, answering = upper_task_targets(user, [g.task for p in points for g in p.groups])
    for point in points:
        for group in point.groups:
            group.handdowns = handdowns_seen_by(user, group.handdowns)
            group.reads_upper = group.task.pk in readable
            group.answering = answering.get(group.task.pk)
        point.groups = [g for g in point.groups if g.handdowns]
    return points


@login_required
def directive_file_download(request, pk):
    return get_file_for_user(request.user, pk).download()


def _point_of(user, raw) -> DirectivePoint | None:
    if raw in (None, ""):
        return None
    point_id = id_or_none(raw)
    points = DirectivePoint.objects.select_related("directive__issuer")
    point = get_visible(points, point_id, "要求事项不存在。")
    get_directive_for_user(user, point.directive_id, write=True)
    return point


def _save_handdown(request, form, *, point, task, campaign):
    data = form.cleaned_data
    common = {"by": request.user, "units": list(data["units"]), "note": data["note"]}
    upper = task or data.get("upper_task")
    if upper is not None:
        if not can_hand_down(request.user, upper):
            raise PermissionDenied("只能交办本级牵头的任务。")
        return handdown_create(upper_task=upper, point=point, today=clock.today(), **common)
    return handdown_create_with_task(
        point=point, campaign=campaign, category=data["category"], title=data["title"],
        lead_unit=data["lead_unit"], start_date=clock.today(), due_date=data["due_date"],
        today=clock.today(), **common,
    )  # fmt: skip


@login_required
def handdown_create_page(request):
    """Hand a task down: `?point=` (a directive point) or `?task=` (a task of his level). A
    level with no district below it gets the explanation instead of the form (a POST is refused
    with it, nothing saved)."""
    _require_manager(request.user)
    params = request.POST if request.method == "POST" else request.GET
    point = _point_of(request.user, params.get("point"))
    raw_task = params.get("task")
    task = get_upper_task_for_user(request.user, raw_task) if raw_task else None
    if not has_subordinates(request.user):  # a POST too: refused with the explanation
        context = {"point": point, "task": task, "no_subordinates": NO_SUBORDINATES}
        return render(request, "directives/handdown_form.html", context)
    campaign = campaign_current(None, among=own_campaigns(request.user))
    form = HandDownForm(request.POST if request.method == "POST" else None,
                        user=request.user, campaign=campaign, point=point, task=task)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            made = _save_handdown(request, form, point=point, task=task, campaign=campaign)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            names = "、".join(h.unit.name for h in made)
            messages.success(request, f"已交办给{names}，待其接收。")
            return redirect("directives:upper_task", made[0].upper_task_id)
    context = {"form": form, "point": point, "task": task, "campaign": campaign}
    return render(request, "directives/handdown_form.html", context)


@login_required
def handdown_inbox(request):
    """待接收的交办任务: the hand-downs to the user's district."""
    _require_manager(request.user)
    received = handdowns_received(request.user, HandDown.objects.all())
    context = inbox_handdowns(received, clock.today())
    context["accept_days"] = ACCEPT_DAYS
    context["return_form"] = ReturnForm()
    context["has_level_above"] = has_level_above(request.user)
    return render(request, "directives/inbox.html", context)


def _accept(request, form, handdown, campaign):
    data, today = form.cleaned_data, clock.today()
    if data["mode"] == AcceptForm.EXISTING:
        return handdown_accept_existing(
            by=request.user, handdown=handdown, task=data["task"], today=today
        )
    return handdown_accept_new(
        by=request.user, handdown=handdown, campaign=campaign, category=data["category"],
        title=data["title"],
        lead_unit=data["lead_unit"], leader=data["leader"], start_date=data["start_date"],
        due_date=data["due_date"], today=today,
    )  # fmt: skip


@login_required
def handdown_accept(request, pk):
    handdown = get_handdown_to_answer(request.user, pk)
    if handdown.state != HandDownState.PENDING:  # withdrawn or answered meanwhile (another tab)
        messages.error(request, not_pending_message(handdown))
        return redirect(reverse("directives:inbox"))
    campaign = campaign_current(None, among=own_campaigns(request.user))
    post = request.POST if request.method == "POST" else None
    form = AcceptForm(post, user=request.user, handdown=handdown, campaign=campaign)
    if post is not None and form.is_valid():
        try:
            task = _accept(request, form, handdown, campaign)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已接收交办任务，本级任务“{task.title}”已关联上级任务。")
            return redirect(task)
    context = {"form": form, "handdown": handdown, "campaign": campaign}
    return render(request, "directives/handdown_accept.html", context)


@login_required
@require_POST
def handdown_return_page(request, pk):
    handdown = get_handdown_to_answer(request.user, pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写退回理由。")
        handdown_return(
            by=request.user, handdown=handdown, reason=form.cleaned_data["reason"],
            today=clock.today(),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已退回“{handdown.upper_task.title}”。")
    return redirect(reverse("directives:inbox"))


@login_required
@require_POST
def handdown_withdraw_page(request, pk):
    """撤回 a hand-down still waiting, with a reason; back to the upper task's page."""
    handdown = get_handdown_to_withdraw(request.user, pk)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("；".join(e for errs in form.errors.values() for e in errs))
        handdown_withdraw(
            by=request.user, handdown=handdown, reason=form.cleaned_data["reason"],
            today=clock.today(),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, f"已撤回交办给{handdown.unit.name}的“{handdown.upper_task.title}”。"
        )
    return redirect("directives:upper_task", handdown.upper_task_id)


@login_required
def upper_task_detail(request, pk):
    """下级落实情况 of an upper task: the rolled-up status and progress, and per district its
    task(s) with their own status and latest progress, each linking down."""
    task = get_task_for_user(request.user, pk)
    (own,) = task_rows(Task.objects.filter(pk=task.pk), clock.today())
    context = {
        "view": upper_task_view(task, clock.today()),
        "own": own,  # the task's own status, shown beside its roll-up (本级 · 下级汇总)
        "may_hand_down": can_hand_down(request.user, task) and has_subordinates(request.user),
        "may_withdraw": can_hand_down(request.user, task),
        "accept_days": ACCEPT_DAYS,
    }
    return render(request, "directives/upper_task.html", context)
