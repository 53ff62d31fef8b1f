"""账号管理: a coordinator lists the people with their accounts, creates accounts (one, or all that
are missing in one step), disables, enables and resets them, and changes a person's role and unit.

Initial passwords are shown once, on the answer to the POST that made them (never cached), and
downloadable once from there (orgs.sheet); nothing but their hashes is stored."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..access import can_manage_accounts
from ..forms import AccountCreateForm, PersonAssignForm
from ..models import Person
from ..queries import (
    LOGIN_NAME_RULE,
    account_counts,
    login_name_suggest,
    login_name_suggestions,
    people_with_accounts,
    person_history,
)
from ..scope import get_visible
from ..services import (
    InitialPassword,
    account_active_set,
    account_create,
    account_password_reset,
    accounts_create_all,
    person_assign,
)
from ..sheet import sheet_issue, sheet_redeem, sheet_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED = "只有专班可以管理账号。"


def _check(request) -> None:
    if not can_manage_accounts(request.user):
        raise PermissionDenied(REFUSED)


def _person(pk) -> Person:
    return get_visible(people_with_accounts(), pk, "人员不存在。")


def _refused(request, problem: ValidationError) -> None:
    for message in problem.messages:
        messages.error(request, message)


def _show_passwords(request, rows: list[InitialPassword], *, title: str):
    """The one page that shows initial passwords: the answer to the POST, never cached."""
    context = {
        "title": title,
        "rows": rows,
        "sheet": sheet_issue(request.session, rows) if rows else "",
    }
    return render(request, "orgs/initial_passwords.html", context)


@login_required
def account_list(request):
    _check(request)
    people = list(people_with_accounts())
    suggestions = login_name_suggestions(people)
    for person in people:
        person.suggested_username = suggestions.get(person.pk, "")
    context = {
        "people": people,
        "counts": account_counts(people),
        "login_name_rule": LOGIN_NAME_RULE,
    }
    return render(request, "orgs/account_list.html", context)


@login_required
def person_account(request, pk):
    """One person: his account and its actions, his role and unit (the form), his history."""
    _check(request)
    person = _person(pk)
    form = PersonAssignForm(
        request.POST or None, initial={"role": person.role, "unit": person.unit_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = person_assign(
                person=person,
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
                by=request.user,
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            if changed:
                messages.success(request, f"{person.name}的角色和单位已保存。")
            else:
                messages.info(request, "未作任何更改。")
            return redirect("orgs:person_account", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "suggested_username": "" if person.user_id else login_name_suggest(person.name),
        "login_name_rule": LOGIN_NAME_RULE,
        "history": person_history(person),
    }
    return render(request, "orgs/person_account.html", context)


@never_cache
@login_required
@require_POST
def account_new(request, pk):
    _check(request)
    person = _person(pk)
    form = AccountCreateForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("orgs:person_account", pk=person.pk)
    try:
        row = account_create(person=person, username=form.cleaned_data["username"], by=request.user)
    except ValidationError as problem:
        _refused(request, problem)
        return redirect("orgs:person_account", pk=person.pk)
    return _show_passwords(request, [row], title=f"已为{person.name}创建账号")


@never_cache
@login_required
@require_POST
def accounts_new_for_all(request):
    _check(request)
    rows = accounts_create_all(by=request.user)
    if not rows:
        messages.info(request, "没有需要创建账号的人员：已设角色的人员都已有账号。")
        return redirect("orgs:account_list")
    return _show_passwords(request, rows, title=f"已创建 {len(rows)} 个账号")


@never_cache
@login_required
@require_POST
def initial_password_sheet(request):
    """The xlsx of a sheet just shown, once."""
    _check(request)
    rows = sheet_redeem(request.session, request.POST.get("sheet", ""))
    if rows is None:
        messages.error(
            request,
            "初始密码表只能下载一次（且须在生成后一小时内）：这份已下载过或已失效。"
            "如有人员未拿到密码，请为其重置密码。",
        )
        return redirect("orgs:account_list")
    issued = timezone.localtime()
    body = sheet_workbook(rows, issued=f"{issued:%Y-%m-%d %H:%M} 生成")
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"初始密码-{issued:%Y%m%d-%H%M}.xlsx"
    )
    return response


def _set_active(request, pk, *, active: bool):
    _check(request)
    person = _person(pk)
    try:
        account_active_set(person=person, active=active, by=request.user)
    except ValidationError as problem:
        _refused(request, problem)
    else:
        state = "启用" if active else "停用"
        messages.success(request, f"{person.name}的账号“{person.user.username}”已{state}。")
    if request.POST.get("back") == "list":
        return redirect("orgs:account_list")
    return redirect("orgs:person_account", pk=person.pk)


@login_required
@require_POST
def account_disable(request, pk):
    return _set_active(request, pk, active=False)


@login_required
@require_POST
def account_enable(request, pk):
    return _set_active(request, pk, active=True)


@never_cache
@login_required
@require_POST
def account_reset(request, pk):
    _check(request)
    person = _person(pk)
    try:
        row = account_password_reset(person=person, by=request.user)
    except ValidationError as problem:
        _refused(request, problem)
        return redirect("orgs:person_account", pk=person.pk)
    return _show_passwords(request, [row], title=f"已重置{person.name}的密码")
