"""Spot checks (抽查): the list with the draw form, drawing, and a draw's page with its check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..access import (
    can_read_spot_checks,
    can_record_supervision,
    get_spot_check_for_user,
    spot_checks_visible_to,
)
from ..forms import SpotCheckFilterForm, SpotCheckForm
from ..models import SpotCheck
from ..queries import spot_check_tasks, spot_checks_listed
from ..services import spot_check_draw

PAGE_SIZE = 30


def render_spot_check_list(request, *, form=None, status=200):
    if not can_read_spot_checks(request.user):
        raise PermissionDenied("抽查记录仅供专班、督查人员和领导查看。")
    filter_form = SpotCheckFilterForm(request.GET or None, user=request.user)
    spot_checks = spot_checks_visible_to(
        request.user, SpotCheck.objects.filter(**filter_form.values())
    )
    page = Paginator(spot_checks_listed(spot_checks), PAGE_SIZE).get_page(request.GET.get("page"))
    may_draw = can_record_supervision(request.user)
    context = {
        "filter_form": filter_form,
        "page": page,
        "form": form or (SpotCheckForm(user=request.user) if may_draw else None),
    }
    return render(request, "supervision/spotcheck_list.html", context, status=status)


@login_required
def spot_check_list(request):
    return render_spot_check_list(request)


@login_required
@require_POST
def spot_check_new(request):
    if not can_record_supervision(request.user):
        raise PermissionDenied("只有督查人员或专班可以抽查。")
    form = SpotCheckForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            spot_check = spot_check_draw(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                f"已从{len(spot_check.population)}项已办结事项中抽取{len(spot_check.drawn)}项。",
            )
            return redirect(spot_check)
    return render_spot_check_list(request, form=form)


@login_required
def spot_check_detail(request, pk):
    """A draw with its drawn items, and the check that redrawing gives the same result."""
    queryset = SpotCheck.objects.select_related("campaign", "unit", "created_by__person")
    spot_check = get_spot_check_for_user(request.user, pk, queryset=queryset)
    context = {
        "spot_check": spot_check,
        "tasks": spot_check_tasks(spot_check),
        "reproduces": spot_check.reproduces(),
        "redrawn": spot_check.redraw(),
    }
    return render(request, "supervision/spotcheck_detail.html", context)
