"""The rollover page (结转到下一年): next year's campaign and the items to carry, previewed, then
confirmed. Access through rollover.access; the work in rollover.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .access import get_campaign_to_roll_over, rollover_tasks
from .forms import NextYearForm, carried_choices
from .services import (
    campaign_rollover,
    next_year_defaults,
    rollover_candidates,
    rollover_errors,
    rollover_plan,
)


def _show_errors(form, plan, errors: dict) -> None:
    by_task = {f"reason_{item.task.pk}": item for item in plan.items}
    for key, message in errors.items():
        if key in by_task:
            by_task[key].error = message
        else:
            form.add_error(key if key in form.fields else None, message)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_rollover_page(request, pk):
    """GET: the form with this year's defaults. POST: the preview (`preview`), or the rollover
    itself (`confirm`), which lands on the new campaign's page."""
    campaign = get_campaign_to_roll_over(request.user, pk)
    tasks = rollover_tasks(request.user, campaign)
    defaults = next_year_defaults(campaign)
    form = NextYearForm(request.POST or None, initial=vars(defaults))
    carry, problems = carried_choices(request.POST)
    next_year = form.next_year() if request.method == "POST" and form.is_valid() else defaults
    for problem in problems:
        form.add_error(None, problem)
    previewed = request.method == "POST" and form.is_valid()
    if previewed and "confirm" in request.POST:
        try:
            new = campaign_rollover(
                campaign=campaign,
                by=request.user,
                candidates=tasks,
                next_year=next_year,
                carry=carry,
            )
        except ValidationError as error:
            # Field errors are found again below for the page; those about stale items only here.
            for message in error.message_dict.get("__all__", []):
                form.add_error(None, message)
        else:
            done = f"已新建“{new}”，结转{len(carry)}项未完成事项。请录入新年度的指标目标。"
            messages.success(request, done)
            return redirect("campaigns:campaign_detail", pk=new.pk)
    plan = rollover_plan(
        campaign=campaign,
        candidates=rollover_candidates(tasks),
        next_year=next_year,
        carry=carry,
    )
    errors = rollover_errors(plan) if previewed else {}
    _show_errors(form, plan, errors)
    context = {
        "campaign": campaign,
        "form": form,
        "plan": plan,
        "previewed": previewed,
        "may_confirm": previewed and not form.errors and not errors,
    }
    return render(request, "rollover/rollover_form.html", context)
