"""账号管理: a coordinator lists the people of his district with their accounts (by unit), creates
accounts (one, or all that are missing in one step), disables, enables and resets them, and
changes a person's role and unit.

停用, 重置密码 and 一键创建 ask first: their POST without `confirm=1` answers with a confirmation
page naming the people and what will happen, whose button posts again with `confirm=1`. A person
without a role gets an account only together with a role (an account without one reads nothing).
Initial passwords are shown once, on the answer to the POST that made them (never cached), and
downloadable once from there (orgs.sheet); nothing but their hashes is stored."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..access import can_manage_accounts
from ..forms import AccountCreateForm, AccountFilterForm, PersonAssignForm
from ..models import Person
from ..queries import (
    LOGIN_NAME_RULE,
    account_counts,
    login_name_suggest,
    login_name_suggestions,
    people_with_accounts,
    person_history,
)
from ..scope import district_units, get_visible
from ..services import (
    InitialPassword,
    account_active_set,
    account_create,
    account_password_reset,
    accounts_create_all,
    person_assign,
)
from ..services.accounts import account_create_with_role, accounts_to_create
from ..services.login import account_unlock
from ..sheet import sheet_issue, sheet_redeem, sheet_workbook
from ..throttle import ACCOUNT_LIMIT, WINDOW, locked_usernames

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED = "只有专班可以管理账号。"


def _check(request) -> None:
    if not can_manage_accounts(request.user):
        raise PermissionDenied(REFUSED)


def _district_people(user):
    """The people of the user's district (orgs.scope.district_units), with unit and account."""
    return people_with_accounts().filter(unit__in=district_units(user))


def _person(request, pk) -> Person:
    return get_visible(_district_people(request.user), pk, "人员不存在。")


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def _confirmation(request, *, title: str, lines: list[str], action: str, button: str, **extra):
    """The page that asks before 停用, 重置密码 or 一键创建: what will happen, and the button that
    posts the same action again with confirm=1."""
    context = {
        "title": title,
        "lines": lines,
        "action": action,
        "button": button,
        "back": request.POST.get("back", ""),
        **extra,
    }
    return render(request, "orgs/account_confirm.html", context)


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
    """The district's people (one unit's with ?unit=), counted over the whole district."""
    _check(request)
    units = district_units(request.user)
    people = list(_district_people(request.user))
    suggestions = login_name_suggestions(people)
    locked = locked_usernames([p.user.username for p in people if p.user_id])
    for person in people:
        person.suggested_username = suggestions.get(person.pk, "")
        person.locked = bool(person.user_id) and person.user.username in locked
    filter_form = AccountFilterForm(request.GET, units=units)
    unit = filter_form.cleaned_data["unit"] if filter_form.is_valid() else None
    context = {
        "people": [p for p in people if unit is None or p.unit_id == unit.pk],
        "unit": unit,
        "filter_form": filter_form,
        "counts": account_counts(people),
        "login_name_rule": LOGIN_NAME_RULE,
        "role_choices": AccountCreateForm.base_fields["role"].choices,
    }
    return render(request, "orgs/account_list.html", context)


@login_required
def person_account(request, pk):
    """One person: his account and its actions, his role and unit (the form), his history."""
    _check(request)
    person = _person(request, pk)
    person.locked = bool(person.user_id) and bool(locked_usernames([person.user.username]))
    form = PersonAssignForm(
        request.POST or None,
        initial={"role": person.role, "unit": person.unit_id},
        units=district_units(request.user),
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
        "create_form": AccountCreateForm(person=person, auto_id="new_%s"),
        "login_name_rule": LOGIN_NAME_RULE,
        "history": person_history(person),
        "lock_limit": ACCOUNT_LIMIT,
        "lock_minutes": int(WINDOW.total_seconds() // 60),
    }
    return render(request, "orgs/person_account.html", context)


@never_cache
@login_required
@require_POST
def account_new(request, pk):
    """One account; for a person without a role, with the role chosen in the same form."""
    _check(request)
    person = _person(request, pk)
    form = AccountCreateForm(request.POST, person=person)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("orgs:person_account", pk=person.pk)
    username, role = form.cleaned_data["username"], form.cleaned_data.get("role")
    try:
        if role:
            row = account_create_with_role(
                person=person, username=username, role=role, by=request.user
            )
        else:
            row = account_create(person=person, username=username, by=request.user)
    except ValidationError as problem:
        _refused(request, problem)
        return redirect("orgs:person_account", pk=person.pk)
    return _show_passwords(request, [row], title=f"已为{person.name}创建账号")


@never_cache
@login_required
@require_POST
def accounts_new_for_all(request):
    """Asks first, naming everyone who gets an account and his login name; then creates them."""
    _check(request)
    people = list(accounts_to_create(by=request.user))
    if not people:
        messages.info(request, "没有需要创建账号的人员：已设角色的人员都已有账号。")
        return redirect("orgs:account_list")
    if not _confirmed(request):
        suggestions = login_name_suggestions(people)
        for person in people:
            person.suggested_username = suggestions[person.pk]
        return _confirmation(
            request,
            title=f"为以下{len(people)}位人员创建账号？",
            lines=[
                "用户名取姓名拼音；每人生成一个初始密码，只在下一页显示一次、可下载一次，系统不保存明文。",
                "他们首次登录后须立即修改密码。没有系统角色的人员不在其中：请在其页面选择角色后单独创建。",
            ],
            action=reverse("orgs:accounts_create_all"),
            button=f"确认创建{len(people)}个账号",
            people=people,
        )
    rows = accounts_create_all(by=request.user)
    return _show_passwords(request, rows, title=f"已创建{len(rows)}个账号")


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
    body = sheet_workbook(rows, issued=f"{issued:%Y-%m-%d %H:%M}生成")
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"初始密码-{issued:%Y%m%d-%H%M}.xlsx"
    )
    return response


def _set_active(request, person: Person, *, active: bool):
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


def _account_named(person: Person) -> str:
    return f"{person.name}（{person.unit.name}）的账号“{person.user.username}”"


@login_required
@require_POST
def account_disable(request, pk):
    """Asks first; then 停用."""
    _check(request)
    person = _person(request, pk)
    if person.user_id and not _confirmed(request):
        return _confirmation(
            request,
            title=f"停用{_account_named(person)}？",
            lines=[
                "停用后该账号不能再登录，已登录的也随即退出；其任务、填报和历史记录都保留。",
                "需要时可随时重新启用。",
            ],
            action=reverse("orgs:account_disable", args=[person.pk]),
            button="确认停用",
            person=person,
        )
    return _set_active(request, person, active=False)


@login_required
@require_POST
def account_enable(request, pk):
    _check(request)
    return _set_active(request, _person(request, pk), active=True)


@never_cache
@login_required
@require_POST
def account_reset(request, pk):
    """Asks first; then a new initial password, shown once."""
    _check(request)
    person = _person(request, pk)
    if person.user_id and not _confirmed(request):
        return _confirmation(
            request,
            title=f"重置{_account_named(person)}的密码？",
            lines=[
                "该账号现在的密码立即失效；系统生成新的初始密码，只在下一页显示一次、可下载一次。",
                "请把新密码交给本人：登录后须先修改密码才能使用其他页面。",
            ],
            action=reverse("orgs:account_reset", args=[person.pk]),
            button="确认重置密码",
            person=person,
        )
    try:
        row = account_password_reset(person=person, by=request.user)
    except ValidationError as problem:
        _refused(request, problem)
        return redirect("orgs:person_account", pk=person.pk)
    return _show_passwords(request, [row], title=f"已重置{person.name}的密码")


@login_required
@require_POST
def account_unlock_view(request, pk):
    """解锁: the account may sign in again at once (orgs.throttle); audited."""
    _check(request)
    person = _person(request, pk)
    try:
        account_unlock(person=person, by=request.user)
    except ValidationError as problem:
        _refused(request, problem)
    else:
        messages.success(request, f"{_account_named(person)}已解锁，可以立即登录。")
    if request.POST.get("back") == "list":
        return redirect("orgs:account_list")
    return redirect("orgs:person_account", pk=person.pk)
