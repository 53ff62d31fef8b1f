"""Who reads and writes the time bank (built on orgs.scope).

- Coordinators manage their district's time bank: open accounts, enter and confirm service
  records (never their own), record redemptions, reverse postings (冲正).
- A unit's reporter (a village's or community's, or a department's for its cadres) opens
  accounts and enters records for the people of his unit, confirms or returns the records of his
  unit that someone else entered, and records their redemptions.
- Leaders read the accounts of the units they oversee; inspectors read the district's.
- Levels (orgs.scope): a county's coordinators and inspectors read its districts' time banks
  too; a coordinator enters, confirms and reverses at his own level only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from shigan.grassroots.access import practice_activities_visible_to
from shigan.grassroots.models import PracticeActivity
from shigan.orgs.models import Person, Unit
from shigan.orgs.scope import (
    at_own_level,
    get_visible,
    is_coordinator,
    own_level_unit_ids,
    own_unit_id,
    reads_everything,
    require_own_level,
    visible_unit_ids,
    within_district,
)

from .models import Account, AccountKind, ServiceRecord, ServiceState, Transaction


def accounts_visible_to(user, accounts: QuerySet) -> QuerySet:
    """Accounts the user reads: the district's (its books too) for coordinators and inspectors,
    the volunteers of the units he oversees for a leader, of his unit for a reporter."""
    if reads_everything(user):
        return within_district(user, accounts, "district_id")
    unit_ids = visible_unit_ids(user)
    return accounts.filter(kind=AccountKind.VOLUNTEER, unit_id__in=unit_ids or ())


def services_visible_to(user, records: QuerySet) -> QuerySet:
    """Service records of the accounts the user reads."""
    return records.filter(account__in=accounts_visible_to(user, Account.objects.all()))


def can_manage_timebank(user) -> bool:
    """Coordinators: reversals, and every unit of the district."""
    return is_coordinator(user)


def can_reverse_on(user, account: Account) -> bool:
    """Reverse (冲正) the postings on `account`: a coordinator of the account's own level (a
    district's time bank is read-only to its county; no query unless his scope holds levels
    below his own)."""
    return can_manage_timebank(user) and at_own_level(user, account.district_id)


def entry_unit_ids(user) -> set[int] | None:
    """Units whose volunteers the user opens accounts and enters records for: a coordinator's own
    level's (not a district's below him), a reporter's unit (None: every unit, an operator's
    account)."""
    if is_coordinator(user):
        return own_level_unit_ids(user)
    unit_id = own_unit_id(user)
    return {unit_id} if unit_id is not None else set()


def can_enter_services(user) -> bool:
    """Coordinators and reporters enter service records (a reporter, for his unit's people)."""
    ids = entry_unit_ids(user)
    return ids is None or bool(ids)


def can_enter_for(user, account: Account) -> bool:
    """Whether the user may enter service records and redemptions for `account`."""
    ids = entry_unit_ids(user)
    return account.is_volunteer and (ids is None or account.unit_id in ids)


def get_account_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The account `pk` (404 outside the user's scope); with write=True also 403 unless he may
    enter records for it."""
    base = queryset if queryset is not None else Account.objects.select_related("unit", "person")
    account = get_visible(accounts_visible_to(user, base), pk, "时间存折账户不存在。")
    if write and not can_enter_for(user, account):
        raise PermissionDenied("只有专班和本单位填报员可以为该志愿者录入。")
    return account


def confirmation_refusal(user, record: ServiceRecord) -> str:
    """Why the user may not confirm or return `record` ("" when he may): it must be pending,
    of a unit he enters for, entered by someone else and not his own service (`record.account`
    with its person loaded)."""
    if record.state != ServiceState.PENDING:
        return f"这条服务记录{record.get_state_display()}。"
    if not can_enter_for(user, record.account):
        return "只有专班和本单位填报员可以确认服务记录。"
    if record.entered_by_id == user.pk:
        return "服务记录须由录入人以外的人确认，不能确认自己录入的记录。"
    if record.account.person is not None and record.account.person.user_id == user.pk:
        return "志愿者本人不能确认自己的服务记录。"
    return ""


def can_confirm(user, record: ServiceRecord) -> bool:
    return not confirmation_refusal(user, record)


def get_service_for_user(user, pk, *, confirm: bool = False):
    """The service record `pk` (404 outside the user's scope); with confirm=True also 403
    unless he may confirm or return it."""
    base = ServiceRecord.objects.select_related("account__unit", "account__person", "entered_by")
    record = get_visible(services_visible_to(user, base), pk, "服务记录不存在。")
    if confirm and (refusal := confirmation_refusal(user, record)):
        raise PermissionDenied(refusal)
    return record


def resubmission_refusal(user, record: ServiceRecord) -> str:
    """Why the user may not correct and resubmit `record` ("" when he may): it must have been
    returned (已退回), and he must be the one who entered it and still enter for its unit."""
    if record.state != ServiceState.RETURNED:
        return f"这条服务记录{record.get_state_display()}，只有已退回的记录可以更正后重新提交。"
    if record.entered_by_id != user.pk:
        return "只有录入人可以更正并重新提交被退回的服务记录。"
    if not can_enter_for(user, record.account):
        return "只有专班和本单位填报员可以为该志愿者录入。"
    return ""


def can_resubmit(user, record: ServiceRecord) -> bool:
    return not resubmission_refusal(user, record)


def get_service_to_resubmit(user, pk) -> ServiceRecord:
    """The returned record `pk` (404 outside the user's scope), 403 unless he may correct and
    resubmit it (resubmission_refusal)."""
    record = get_service_for_user(user, pk)
    if refusal := resubmission_refusal(user, record):
        raise PermissionDenied(refusal)
    return record


def get_transaction_for_user(user, pk, *, write: bool = False):
    """The posting `pk` if the user reads one of its accounts (404 otherwise); with write=True
    (a reversal) also 403 unless he manages the time bank."""
    visible = accounts_visible_to(user, Account.objects.all())
    base = Transaction.objects.filter(entries__account__in=visible).distinct()
    posting = get_visible(base, pk, "记账不存在。")
    if write and not can_manage_timebank(user):
        raise PermissionDenied("只有专班可以冲正。")
    if write:
        require_own_level(user, posting, "district_id")
    return posting


def activities_for_entry(user) -> QuerySet:
    """The practice activities a service record may name: those of the user's district."""
    return practice_activities_visible_to(user, PracticeActivity.objects.order_by("sort_order"))


def units_for_entry(user) -> QuerySet:
    """Units the user opens volunteers' accounts in (his own for a reporter)."""
    ids = entry_unit_ids(user)
    units = Unit.objects.order_by("sort_order", "id")
    return units if ids is None else units.filter(pk__in=ids)


def people_for_entry(user) -> QuerySet:
    """Cadres (people) the user may open an account for: those of the units he enters for."""
    people = Person.objects.select_related("unit").order_by("unit__sort_order", "sort_order", "id")
    ids = entry_unit_ids(user)
    return people if ids is None else people.filter(unit_id__in=ids)


def phone_shown_to(user, account: Account) -> bool:
    """The full phone number is shown to those who handle the volunteer's records; everyone
    else, and every list and export, sees it masked."""
    return can_enter_for(user, account)
