"""任务类别 of a campaign for the coordinators who manage it: the list with each category's
number of tasks, a form to add one, its history; renaming or reordering one; deleting one that
holds no task (with confirmation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from shigan.campaigns.access import campaigns_visible_to
from shigan.campaigns.models import Campaign
from shigan.campaigns.queries import campaign_current
from shigan.core.editing import EditGuard
from shigan.core.history import history_of

from ..access import can_manage_categories, can_manage_tasks, get_category_for_user
from ..forms.categories import CategoryForm
from ..services.categories import (
    categories_with_counts,
    category_create,
    category_delete,
    category_delete_error,
    category_history,
    category_update,
)

REFUSED = "只有本区（县）专班可以设置任务类别。"


def _list_url(campaign_id) -> str:
    return f"{reverse('tasks:category_list')}?campaign={campaign_id}"


def _form_errors(form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@login_required
@require_http_methods(["GET", "POST"])
def category_list(request):
    """GET the campaign's categories (?campaign=, else the current one); POST adds one."""
    raw = request.POST.get("campaign") if request.method == "POST" else None
    raw = raw if raw is not None else request.GET.get("campaign")
    visible = campaigns_visible_to(request.user, Campaign.objects.select_related("organiser"))
    campaign = campaign_current(raw, among=visible)
    if campaign is not None:
        may_manage = can_manage_categories(request.user, campaign)
    else:  # no campaign yet: the page says so to a coordinator
        may_manage = can_manage_tasks(request.user)
    if not may_manage:
        raise PermissionDenied(REFUSED)
    form = CategoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and campaign is not None and form.is_valid():
        try:
            category = category_create(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"任务类别“{category.name}”已添加。")
            return redirect(_list_url(campaign.pk))
    categories = list(categories_with_counts(campaign)) if campaign else []
    context = {
        "campaign": campaign,
        "categories": categories,
        "form": form,
        "history": category_history(campaign, categories) if campaign else [],
        "with_type": True,
    }
    return render(request, "tasks/category_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request, pk):
    category = get_category_for_user(request.user, pk)
    initial = {"name": category.name, "sort_order": category.sort_order}
    form = CategoryForm(request.POST or None, initial=initial)
    guard = EditGuard(form, category, what="任务类别")
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            guard.save(lambda: category_update(category=category, by=request.user, **data))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"任务类别“{form.cleaned_data['name'].strip()}”已保存。")
            return redirect(_list_url(category.campaign_id))
    context = {"category": category, "form": form, "history": history_of(category)}
    return render(request, "tasks/category_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def category_delete_page(request, pk):
    """GET: confirm (or say why it cannot go); POST: delete it."""
    category = get_category_for_user(request.user, pk)
    refused = category_delete_error(category)
    if request.method == "POST" and refused is None:
        try:
            category_delete(category=category, by=request.user)
        except ValidationError as error:
            refused = " ".join(error.messages)
        else:
            messages.success(request, f"已删除任务类别“{category.name}”。")
            return redirect(_list_url(category.campaign_id))
    context = {"category": category, "refused": refused, "cancel": _list_url(category.campaign_id)}
    return render(request, "tasks/category_confirm_delete.html", context)
