"""Who may set the district up (units, people, oversight, the leading group) and manage the
accounts; where each account lands after logging in; whether it must change its password first.

The scope every app's access module builds on is in orgs.scope.
"""

from django.http import Http404

from shigan.core.models import ImportJob

from .models import Role, UnitKind
from .scope import district_id_of, is_coordinator, person_of, role_of

# Where a role's work is (issue 11): the entry layer (shigan/views.py) turns these into URLs.
LANDING_MONTHLY_REPORT = "monthly_report"
LANDING_COCKPIT = "cockpit"
LANDING_BATTLE_MAP = "battle_map"


def can_manage_setup(user) -> bool:
    """基础设置 (the units, people and accounts, the campaign and its plan): active coordinators."""
    return getattr(user, "is_active", False) and is_coordinator(user)


def can_manage_accounts(user) -> bool:
    """账号管理 (create, disable, enable and reset accounts; change a person's role and unit):
    active coordinators."""
    return getattr(user, "is_active", False) and is_coordinator(user)


def can_import_org(user) -> bool:
    """组织架构导入 (units, people, oversight and leading groups from one workbook, into the
    coordinator's own district): active coordinators."""
    return getattr(user, "is_active", False) and is_coordinator(user)


def can_manage_workdays(user) -> bool:
    """工作日历 (the district's local holidays and working days over the national calendar):
    active coordinators, for their own district."""
    return getattr(user, "is_active", False) and is_coordinator(user)


def landing_page_for(user) -> str:
    """The page `/` opens: a reporter his unit's monthly report, a leader the cockpit (工作总览),
    a coordinator, an inspector and an account without a role the battle map."""
    role = role_of(user)
    if role == Role.REPORTER:
        return LANDING_MONTHLY_REPORT
    if role == Role.LEADER:
        return LANDING_COCKPIT
    return LANDING_BATTLE_MAP


# Units whose reporter's work is the grassroots ledger (诉求, 走访, 时间存折…).
GRASSROOTS_UNIT_KINDS = (UnitKind.VILLAGE, UnitKind.COMMUNITY)


def works_at_grassroots(user) -> bool:
    """A village's or community's reporter (村委会文书): 基层 is among his main destinations
    (shigan/navigation.py). No query: the person and his unit are read with the account."""
    if role_of(user) != Role.REPORTER:
        return False
    person = person_of(user)
    return person.unit_id is not None and person.unit.kind in GRASSROOTS_UNIT_KINDS


def password_change_required(user) -> bool:
    """The account holds an initial or reset password: it opens nothing but 修改密码."""
    person = person_of(user)
    return person is not None and person.must_change_password


def job_for_user(user, pk: int) -> ImportJob:
    """A background import (core.jobs) for its page: its owner reads it, and the coordinators of
    the district it was submitted in; anyone else gets 404."""
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or not getattr(user, "is_active", False):
        raise Http404("没有这个后台任务。")
    if job.owner_id == user.pk:
        return job
    if is_coordinator(user) and job.district_id and job.district_id == district_id_of(user):
        return job
    raise Http404("没有这个后台任务。")
