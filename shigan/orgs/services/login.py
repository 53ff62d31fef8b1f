"""The login throttle's writes (the rule: orgs.throttle): a failure recorded, an account's
failures cleared by a successful sign-in, and a coordinator's audited 解锁."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction

from ..models import LoginFailure, Person
from ..throttle import WINDOW, locked_usernames, login_key


@transaction.atomic
def login_failure_record(*, username: str, address: str) -> None:
    """One refused sign-in; failures older than the window are pruned on the way."""
    now = timezone.now()
    LoginFailure.objects.filter(at__lte=now - WINDOW).delete()
    LoginFailure.objects.create(username=login_key(username), address=address, at=now)


@transaction.atomic
def login_failures_clear(*, username: str) -> None:
    """A successful sign-in: the account's count starts again."""
    LoginFailure.objects.filter(username=login_key(username)).delete()


@transaction.atomic
def account_unlock(*, person: Person, by) -> None:
    """解锁: the account of `person` may sign in again at once (its failures are removed; an
    address still locked stays locked until its window passes). Audited on the person."""
    user = person.user
    if user is None or not locked_usernames([user.username]):
        raise ValidationError(f"{person.name}的账号没有被锁定。")
    removed, _ = LoginFailure.objects.filter(username=login_key(user.username)).delete()
    audit_record(
        actor=by,
        obj=person,
        action=AuditAction.UPDATE,
        note=f"登录账号“{user.username}”：解除登录锁定（清除{removed}次失败记录）",
    )
