"""Key enterprises and key projects, created and edited by coordinators, each page with the
record's history; a project's page lists its monthly figures as its unit filed them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from shigan.core.history import history_of
from shigan.core.params import year_or_this_year
from shigan.orgs.scope import district_id_of

from ..access import (
    can_manage_indicator_record,
    get_key_enterprise_for_user,
    get_key_project_for_user,
    key_enterprises_visible_to,
    key_projects_visible_to,
)
from ..forms.records import EnterpriseForm, KeyProjectForm, initial_of
from ..models import KeyProject
from ..services import enterprise_save, key_project_save
from .pages import form_page, require_manager

ENTERPRISE_FIELDS = ["name", "industry", "unit", "notes", "sort_order"]
PROJECT_FIELDS = [
    "year", "name", "enterprise", "responsible_unit", "contracted_investment",
    "planned_investment_this_year", "planned_start", "planned_completion", "task", "sort_order",
]  # fmt: skip


@login_required
@require_GET
def enterprise_list(request):
    """The key enterprises the coordinator reads (one query)."""
    require_manager(request.user)
    projects = key_projects_visible_to(request.user, KeyProject.objects.all())
    enterprises = key_enterprises_visible_to(request.user, projects).select_related("unit")
    enterprises = list(enterprises.order_by("sort_order", "id"))
    for enterprise in enterprises:
        enterprise.may_edit = can_manage_indicator_record(request.user, enterprise.district_id)
    context = {"enterprises": enterprises, "section": "setup"}
    return render(request, "indicators/keyenterprise_list.html", context)


def _enterprise_url(enterprise) -> str:
    return reverse("indicators:enterprise_edit", args=[enterprise.pk])


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    require_manager(request.user)
    form = EnterpriseForm(request.POST or None, user=request.user)

    def save(form):
        district = district_id_of(request.user)
        saved = enterprise_save(
            enterprise=None, district_id=district, by=request.user, **form.values()
        )
        return _enterprise_url(saved)

    return form_page(
        request, form=form, record=None, save=save, done="重点企业已新建。",
        back=reverse("indicators:enterprise_list"), title="新建重点企业",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk):
    enterprise = get_key_enterprise_for_user(request.user, pk, write=True)
    require_manager(request.user)
    initial = initial_of(enterprise, ENTERPRISE_FIELDS)
    form = EnterpriseForm(request.POST or None, user=request.user, initial=initial)

    def save(form):
        district = district_id_of(request.user)
        enterprise_save(
            enterprise=enterprise, district_id=district, by=request.user, **form.values()
        )
        return _enterprise_url(enterprise)

    return form_page(
        request, form=form, record=enterprise, save=save, done="重点企业已保存。",
        back=reverse("indicators:enterprise_list"), title=f"编辑重点企业：{enterprise.name}",
    )  # fmt: skip


def _project_url(project) -> str:
    return reverse("indicators:project_edit", args=[project.pk])


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    require_manager(request.user)
    year = year_or_this_year(request.GET.get("year"))
    form = KeyProjectForm(request.POST or None, user=request.user, initial={"year": year})

    def save(form):
        return _project_url(key_project_save(project=None, by=request.user, **form.values()))

    return form_page(
        request, form=form, record=None, save=save, done="重点项目已新建。",
        back=reverse("indicators:project_list"), title="新建重点项目",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    """A project's plan (the form), its figures as filed month by month, and its history with
    that of its figures."""
    project = get_key_project_for_user(request.user, pk, write=True)
    require_manager(request.user)
    initial = initial_of(project, PROJECT_FIELDS)
    form = KeyProjectForm(request.POST or None, user=request.user, initial=initial)

    def save(form):
        key_project_save(project=project, by=request.user, **form.values())
        return _project_url(project)

    figures = list(project.figures.select_related("unit", "submitted_by__person").order_by("id"))
    return form_page(
        request, form=form, record=project, save=save, done="重点项目已保存。",
        back=f"{reverse('indicators:project_list')}?year={project.year}",
        title=f"编辑重点项目：{project.name}", template="indicators/keyproject_form.html",
        project=project, figures=figures, figure_history=history_of(*figures),
    )  # fmt: skip
