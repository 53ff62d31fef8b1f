"""The login throttle's rule: 5 failed sign-ins to one account, or 20 from one address, within
15 minutes lock that account (or address) until the oldest of them is 15 minutes old. While
locked, sign-in is refused without the password being checked (even the right one), and the
refusal is not counted. A successful sign-in clears the account's failures; a coordinator can
unlock an account of his district on 账号管理 (orgs.services.login.account_unlock).

The failures live in the database (orgs.LoginFailure): every gunicorn worker sees the same."""

import datetime
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from .models import LoginFailure

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class Lock:
    """Why sign-in is refused now, and from when it may be tried again."""

    by_account: bool
    until: datetime.datetime

    def message(self) -> str:
        until = timezone.localtime(self.until)
        when = (
            f"{until:%H:%M}" if until.date() == timezone.localdate() else f"{until:%m月%d日 %H:%M}"
        )
        if self.by_account:
            return (
                f"该账号连续登录失败{ACCOUNT_LIMIT}次，已暂时锁定，请于{when}后再试；"
                "急需登录请联系专班解锁。"
            )
        return f"本机登录失败次数过多（{ADDRESS_LIMIT}次），已暂时禁止登录，请于{when}后再试。"


def login_key(username: str) -> str:
    """Failures are counted per account whatever the case typed (the login names are lowercase)
    and in the form the login form authenticates: NFKC, as Django's UsernameField normalises it
    (full-width 'ｔｉａｎｂａｏ' signs in as 'tianbao', so it must count and lock as 'tianbao')."""
    return unicodedata.normalize("NFKC", username or "").strip().lower()[:150]


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind a reverse proxy that appends it
    (SHIGAN_FORWARDED_FOR=1), the last address of X-Forwarded-For."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    if getattr(settings, "SHIGAN_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            address = forwarded.split(",")[-1].strip()
    return address[:45]


def _lock(failures, limit: int, *, by_account: bool, now) -> Lock | None:
    times = list(
        failures.filter(at__gt=now - WINDOW).order_by("-at").values_list("at", flat=True)[:limit]
    )
    if len(times) < limit:
        return None
    return Lock(by_account=by_account, until=times[-1] + WINDOW)


def login_lock(username: str, address: str) -> Lock | None:
    """The lock refusing this sign-in now (the account's first), or None."""
    now = timezone.now()
    account = _lock(
        LoginFailure.objects.filter(username=login_key(username)),
        ACCOUNT_LIMIT,
        by_account=True,
        now=now,
    )
    if account is not None or not address:
        return account
    return _lock(
        LoginFailure.objects.filter(address=address), ADDRESS_LIMIT, by_account=False, now=now
    )


def locked_usernames(usernames) -> set[str]:
    """Which of these login names are locked now (one query)."""
    rows = (
        LoginFailure.objects.filter(
            username__in=[login_key(u) for u in usernames], at__gt=timezone.now() - WINDOW
        )
        .values("username")
        .annotate(failures=Count("id"))
        .filter(failures__gte=ACCOUNT_LIMIT)
    )
    return {row["username"] for row in rows}
