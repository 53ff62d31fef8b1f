"""The account list (balances, hours this year, masked phones), opening an account, an
account's statement and its export."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from shigan.core import clock, params
from shigan.core.masking import mask_phone
from shigan.core.models import AuditSource

from ..access import (
    accounts_visible_to,
    can_enter_for,
    can_enter_services,
    can_manage_timebank,
    can_resubmit,
    can_reverse_on,
    get_account_for_user,
    people_for_entry,
    phone_shown_to,
    units_for_entry,
)
from ..forms import AccountForm
from ..models import Account, AccountKind
from ..queries import account_services, account_statement, accounts_with_balances
from ..services import account_open
from ..xlsx import statement_csv_response, statement_response

PAGE_SIZE = 50


@login_required
@require_GET
def account_list(request):
    """Volunteers' accounts with balance and hours confirmed this year; phones masked."""
    year = params.year_or_this_year(request.GET.get("year"))
    accounts = accounts_visible_to(request.user, Account.objects.filter(kind=AccountKind.VOLUNTEER))
    page = Paginator(accounts_with_balances(accounts, year=year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for account in page:
        account.masked_phone = mask_phone(account.phone)
    context = {
        "page": page,
        "year": year,
        "can_enter": can_enter_services(request.user),
        "can_manage": can_manage_timebank(request.user),
    }
    return render(request, "timebank/account_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    if not can_enter_services(request.user):
        raise PermissionDenied("只有专班和单位填报员可以开户。")
    form = AccountForm(
        request.POST or None,
        initial={"opened_on": clock.today()},
        units=units_for_entry(request.user),
        people=people_for_entry(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            account = account_open(by=request.user, source=AuditSource.USER, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已为{account.name}开立时间存折。")
            return redirect(account)
    return render(request, "timebank/account_form.html", {"form": form})


def _year_range(request) -> tuple[int, datetime.date, datetime.date]:
    """The year asked for (this year by default), up to today when it is this year."""
    year = params.year_or_this_year(request.GET.get("year"))
    start = datetime.date(year, 1, 1)
    return year, start, max(start, min(datetime.date(year, 12, 31), clock.today()))


@login_required
@require_GET
def account_detail(request, pk):
    """The statement of the year (?year=): opening balance, each entry with its running
    balance, closing; then the account's service records."""
    account = get_account_for_user(request.user, pk)
    year, start, end = _year_range(request)
    statement = account_statement(account, start=start, end=end)
    context = {
        "account": account,
        "statement": statement,
        "year": year,
        "phone": account.phone
        if phone_shown_to(request.user, account)
        else mask_phone(account.phone),
        "services": _services(request.user, account),
        "can_enter": can_enter_for(request.user, account),
        "can_reverse": can_reverse_on(request.user, account),
    }
    return render(request, "timebank/account_detail.html", context)


def _services(user, account: Account) -> list:
    """The account's service records, each marked whether the user may correct and resubmit
    it (a returned record he entered)."""
    if not account.is_volunteer:
        return []
    records = list(account_services(account))
    for record in records:
        record.account = account
        record.resubmittable = can_resubmit(user, record)
    return records


@login_required
@require_GET
def account_export(request, pk):
    """The statement of the year as an .xlsx (phone masked, text written as text)."""
    account = get_account_for_user(request.user, pk)
    year, start, end = _year_range(request)
    return statement_response(account_statement(account, start=start, end=end), year=year)


@login_required
@require_GET
def account_export_csv(request, pk):
    """The same statement as a CSV."""
    account = get_account_for_user(request.user, pk)
    year, start, end = _year_range(request)
    return statement_csv_response(account_statement(account, start=start, end=end), year=year)
