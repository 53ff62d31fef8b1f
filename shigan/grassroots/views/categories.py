"""诉求类别 for coordinators: each category's time limit in working days (0 = 当日), audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from shigan.core.editing import EditConflict, EditGuard
from shigan.orgs.models import Unit
from shigan.orgs.scope import district_id_of

from ..access import (
    can_edit_concern_category,
    can_manage_concern_categories,
    concern_categories_visible_to,
    get_concern_category_for_user,
)
from ..forms.concerns import ConcernCategoryForm
from ..models import ConcernCategory
from ..services.concerns import concern_category_save


def _save(request, form, category=None, guard: EditGuard | None = None) -> bool:
    """Save the form (a new category, or `category` through its edit guard: a save by someone
    else since the form was shown is refused above the form, nothing written)."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    district = Unit.objects.get(pk=district_id_of(request.user)) if category is None else None

    def save():
        return concern_category_save(
            district=category.district if category else district, by=request.user,
            name=data["name"], time_limit_workdays=data["time_limit_workdays"],
            sort_order=data["sort_order"] or 0, category=category,
        )  # fmt: skip

    try:
        guard.save(save) if guard is not None else save()
    except EditConflict as conflict:
        form.add_error(None, conflict)
        return False
    except ValidationError as error:
        form.add_error("name", error)
        return False
    messages.success(request, f"诉求类别“{data['name']}”已保存。")
    return True


@login_required
def category_list(request):
    if not can_manage_concern_categories(request.user) or district_id_of(request.user) is None:
        raise PermissionDenied("只有专班可以设置诉求类别。")
    form = ConcernCategoryForm(request.POST or None)
    if request.method == "POST" and _save(request, form):
        return redirect("grassroots:category_list")
    categories = list(concern_categories_visible_to(request.user, ConcernCategory.objects.all()))
    for category in categories:
        category.may_edit = can_edit_concern_category(request.user, category)
    context = {"form": form, "categories": categories}
    return render(request, "grassroots/category_list.html", context)


@login_required
def category_edit(request, pk):
    category = get_concern_category_for_user(request.user, pk)
    initial = {k: getattr(category, k) for k in ("name", "time_limit_workdays", "sort_order")}
    form = ConcernCategoryForm(request.POST or None, initial=initial)
    guard = EditGuard(form, category, what=ConcernCategory._meta.verbose_name)
    if request.method == "POST" and _save(request, form, category, guard):
        return redirect("grassroots:category_list")
    return render(request, "grassroots/category_form.html", {"form": form, "category": category})
