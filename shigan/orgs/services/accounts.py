"""Accounts: the first coordinator, a person's login account, its state and password, his role and
unit. Every write is audited on the person (orgs.person), so his history names who changed what
and when; passwords never enter the audit trail, the database holds only their hashes."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction, AuditSource

from ..models import Person, Role, Unit, UnitKind
from ..passwords import initial_password
from ..queries import (
    LOGIN_NAME,
    LOGIN_NAME_RULE,
    district_named,
    login_name_suggestions,
    login_name_taken,
    people_without_account,
)
from ..scope import district_units


@dataclass(frozen=True)
class InitialPassword:
    """One line of the sheet handed out: shown once, downloadable once, never stored."""

    name: str
    unit: str
    post: str
    username: str
    password: str


def _initial(person: Person, password: str) -> InitialPassword:
    return InitialPassword(
        name=person.name,
        unit=person.unit.name,
        post=person.post,
        username=person.user.username,
        password=password,
    )


def login_name_problem(username: str) -> str | None:
    """Why `username` cannot be a new login name, or None."""
    if not LOGIN_NAME.fullmatch(username):
        return f"用户名“{username}”不符合要求：{LOGIN_NAME_RULE}。"
    if login_name_taken(username):
        return f"用户名“{username}”已被使用，请换一个。"
    return None


def password_problems(password: str, *, username: str, name: str) -> list[str]:
    """The policy's messages for a password chosen for a new account (settings'
    AUTH_PASSWORD_VALIDATORS), empty when it passes."""
    candidate = get_user_model()(username=username, first_name=name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as problems:
        return list(problems.messages)
    return []


@transaction.atomic
def coordinator_create(
    *, username: str, name: str, password: str, unit: Unit | None = None, district: str = ""
) -> Person:
    """The first 专班 coordinator, made on the server (`shigan createcoordinator`), audited as
    系统: a login with the password he chose (no forced change) and his person in `unit`; or,
    with `district` instead, a new district's top unit (党委政府) of that name is created first
    (the first of a new install, or another district in the same database).

    Raises ValidationError with every problem and saves nothing."""
    username, name, district = username.strip(), name.strip(), district.strip()
    problems = []
    if not name:
        problems.append("请填写姓名。")
    problem = login_name_problem(username)
    if problem:
        problems.append(problem)
    if unit is None and not district:
        problems.append(
            "请指定所在单位（--unit，已有单位的名称），或新区县（党委政府）的名称（--unit-name）。"
        )
    if unit is None and district and district_named(district) is not None:
        problems.append(f"区县“{district}”已存在：请用 --unit 指定其中的单位。")
    problems += password_problems(password, username=username, name=name)
    if problems:
        raise ValidationError(problems)
    if unit is None:
        unit = Unit.objects.create(name=district, kind=UnitKind.PARTY_GOVERNMENT)
        audit_record(
            actor=None,
            obj=unit,
            action=AuditAction.CREATE,
            source=AuditSource.SYSTEM,
            note="shigan createcoordinator：新区县的第一个单位",
        )
    user = get_user_model().objects.create_user(username=username, password=password)
    person = Person.objects.create(name=name, unit=unit, user=user, role=Role.COORDINATOR)
    audit_record(
        actor=None,
        obj=person,
        action=AuditAction.CREATE,
        source=AuditSource.SYSTEM,
        note=f"shigan createcoordinator：创建专班账号“{username}”",
    )
    return person


def _link_account(person: Person, username: str, *, by, note: str) -> InitialPassword:
    password = initial_password()
    user = get_user_model().objects.create_user(username=username, password=password)
    before = snapshot(person)
    person.user = user
    person.must_change_password = True
    person.save(update_fields=["user", "must_change_password", "updated_at"])
    audit_record(actor=by, obj=person, action=AuditAction.UPDATE, before=before, note=note)
    return _initial(person, password)


NO_ROLE_NO_ACCOUNT = "{name}还没有系统角色：没有角色的账号登录后什么也看不到，请同时选择系统角色。"


@transaction.atomic
def account_create(*, person: Person, username: str, by) -> InitialPassword:
    """A login account for `person` with a random initial password, to be changed at his first
    login. Raises ValidationError when he has one, has no role (such an account would read
    nothing: account_create_with_role gives him one first) or the login name is refused."""
    username = username.strip()
    if person.user_id is not None:
        raise ValidationError(f"{person.name}已有登录账号“{person.user.username}”。")
    if not person.role:
        raise ValidationError(NO_ROLE_NO_ACCOUNT.format(name=person.name))
    problem = login_name_problem(username)
    if problem:
        raise ValidationError(problem)
    return _link_account(
        person, username, by=by, note=f"创建登录账号“{username}”（初始密码，首次登录须修改）"
    )


@transaction.atomic
def account_create_with_role(*, person: Person, username: str, role: str, by) -> InitialPassword:
    """A person without a role gets one and his account in one step (both audited), or neither:
    the role chosen is refused, or the account is (ValidationError)."""
    if not role:
        raise ValidationError(NO_ROLE_NO_ACCOUNT.format(name=person.name))
    person_assign(person=person, role=role, unit=person.unit, by=by)
    return account_create(person=person, username=username, by=by)


def accounts_to_create(*, by):
    """The people 一键创建 makes accounts for: those of `by`'s district (orgs.scope.
    district_units) with a role and no account, in the order of the list."""
    return people_without_account().filter(unit__in=district_units(by))


@transaction.atomic
def accounts_create_all(*, by) -> list[InitialPassword]:
    """An account for every person of `by`'s district who has a role and no account, login
    names from their names (wangtianbao, wangtianbao2 …): one transaction, one audit entry per
    person."""
    people = list(accounts_to_create(by=by).select_for_update(of=("self",)))
    names = login_name_suggestions(people)
    return [
        _link_account(
            person,
            names[person.pk],
            by=by,
            note=f"批量创建登录账号“{names[person.pk]}”（初始密码，首次登录须修改）",
        )
        for person in people
    ]


def _account_of(person: Person):
    if person.user_id is None:
        raise ValidationError(f"{person.name}还没有登录账号。")
    return person.user


@transaction.atomic
def account_active_set(*, person: Person, active: bool, by) -> None:
    """Disable (停用: he can no longer log in, his open sessions end) or enable an account.
    Nobody disables his own account."""
    user = _account_of(person)
    if user.is_active == active:
        raise ValidationError(f"{person.name}的账号已经是{'启用' if active else '停用'}状态。")
    if not active and user.pk == getattr(by, "pk", None):
        raise ValidationError("不能停用自己的账号。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    before, after = ("停用", "启用") if active else ("启用", "停用")
    audit_record(
        actor=by,
        obj=person,
        action=AuditAction.UPDATE,
        before=snapshot(person),
        note=f"登录账号“{user.username}”：{before} → {after}",
    )


@transaction.atomic
def account_password_reset(*, person: Person, by) -> InitialPassword:
    """A new random initial password for `person`'s account, to be changed at his next login.
    One's own password is changed on 修改密码, not reset."""
    user = _account_of(person)
    if user.pk == getattr(by, "pk", None):
        raise ValidationError("自己的密码请在“修改密码”中修改。")
    password = initial_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    before = snapshot(person)
    person.must_change_password = True
    person.save(update_fields=["must_change_password", "updated_at"])
    audit_record(
        actor=by,
        obj=person,
        action=AuditAction.UPDATE,
        before=before,
        note=f"重置登录账号“{user.username}”的密码（新初始密码，登录后须修改）",
    )
    return _initial(person, password)


@transaction.atomic
def person_assign(*, person: Person, role: str, unit: Unit, by) -> bool:
    """Change a person's role in Shigan and his unit; False when both are unchanged (nothing is
    written). A coordinator cannot take his own 专班 role away."""
    if role not in Role.values and role != "":
        raise ValidationError(f"角色“{role}”不存在。")
    if person.role == role and person.unit_id == unit.pk:
        return False
    is_self = person.user_id is not None and person.user_id == getattr(by, "pk", None)
    if is_self and person.role == Role.COORDINATOR and role != Role.COORDINATOR:
        raise ValidationError("不能取消自己的专班角色：请由另一位专班人员修改。")
    before = snapshot(person)
    person.role = role
    person.unit = unit
    person.save(update_fields=["role", "unit", "updated_at"])
    audit_record(actor=by, obj=person, action=AuditAction.UPDATE, before=before)
    return True


@transaction.atomic
def password_change_record(*, user) -> None:
    """After a user changed his own password (修改密码): the forced change is done; audited on his
    person (an account without a person has no history to write to)."""
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is None:
        return
    before = snapshot(person)
    person.must_change_password = False
    person.save(update_fields=["must_change_password", "updated_at"])
    audit_record(
        actor=user,
        obj=person,
        action=AuditAction.UPDATE,
        before=before,
        note=f"登录账号“{user.username}”修改了密码",
    )
