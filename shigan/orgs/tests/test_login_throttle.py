"""The login throttle (orgs.throttle) with the README's numbers: 5 failures to one account or 20
from one address within 15 minutes lock it, even against the right password, with a Chinese
message naming when to retry; a coordinator unlocks an account of his district, audited."""

import datetime
import re

import pytest
from django.test import Client, override_settings
from django.test.client import RequestFactory
from django.urls import reverse

from shigan.core.models import AuditEntry
from shigan.orgs import throttle
from shigan.orgs.models import LoginFailure
from shigan.testing import PASSWORD

LOGIN = "/accounts/login/"
RETRY = re.compile(r"请于((?:\d\d月\d\d日 )?\d\d:\d\d)后再试")


def attempt(username, password, *, address="10.0.0.1"):
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)
    return response, "_auth_user_id" in client.session


def fail(username, times, *, address="10.0.0.1"):
    for _ in range(times):
        response, logged_in = attempt(username, "wrong-password", address=address)
        assert not logged_in and "用户名或密码不正确" in response.content.decode()


def age_failures(minutes: int) -> None:
    LoginFailure.objects.update(
        at=LoginFailure.objects.first().at - datetime.timedelta(minutes=minutes)
    )


def test_the_documented_numbers():
    assert throttle.ACCOUNT_LIMIT == 5
    assert throttle.ADDRESS_LIMIT == 20
    assert throttle.WINDOW == datetime.timedelta(minutes=15)


def test_four_failures_then_the_right_password_signs_in_and_clears_the_count(world):
    fail("reporter_a", 4)
    assert attempt("reporter_a", PASSWORD)[1]
    assert not LoginFailure.objects.filter(username="reporter_a").exists()
    fail("reporter_a", 4)
    assert attempt("reporter_a", PASSWORD)[1]


def test_five_failures_lock_the_account_even_against_the_right_password(world):
    fail("Reporter_A", 5)  # the name counted whatever its case
    response, logged_in = attempt("reporter_a", PASSWORD, address="10.0.0.2")
    assert not logged_in
    page = response.content.decode()
    assert "该账号连续登录失败5次，已暂时锁定" in page and "用户名或密码不正确" not in page
    first = LoginFailure.objects.order_by("at").first().at
    retry = (first + datetime.timedelta(minutes=15)).astimezone(
        datetime.timezone(datetime.timedelta(hours=8))
    )
    # The time alone when it is today (Beijing time), with the date when the lock runs past
    # midnight (a test run at 23:50 must not fail).
    today = datetime.datetime.now(retry.tzinfo).date()
    expected = f"{retry:%H:%M}" if retry.date() == today else f"{retry:%m月%d日 %H:%M}"
    assert RETRY.search(page).group(1) == expected
    assert LoginFailure.objects.count() == 5  # refusals while locked are not counted
    assert attempt("reporter_b", PASSWORD)[1]  # other accounts are not concerned


def test_the_lock_ends_fifteen_minutes_after_the_first_failure(world):
    fail("reporter_a", 5)
    age_failures(14)
    assert not attempt("reporter_a", PASSWORD)[1]
    age_failures(1)
    assert attempt("reporter_a", PASSWORD)[1]


def test_twenty_failures_from_one_address_lock_it_for_every_account(world):
    for n in range(20):
        fail(f"nobody{n}", 1, address="10.9.9.9")
    response, logged_in = attempt("reporter_a", PASSWORD, address="10.9.9.9")
    assert (
        not logged_in
        and "本机登录失败次数过多（20次），已暂时禁止登录" in response.content.decode()
    )
    assert attempt("reporter_a", PASSWORD, address="10.9.9.8")[1]


def test_nineteen_failures_from_one_address_do_not_lock_it(world):
    for n in range(19):
        fail(f"nobody{n}", 1, address="10.9.9.9")
    assert attempt("reporter_a", PASSWORD, address="10.9.9.9")[1]


def test_the_admin_login_is_throttled_too(world):
    for _ in range(5):
        Client().post(
            "/admin/login/", {"username": "coordinator", "password": "x"}, REMOTE_ADDR="10.0.0.3"
        )
    response = Client().post(
        "/admin/login/", {"username": "coordinator", "password": PASSWORD}, REMOTE_ADDR="10.0.0.4"
    )
    assert "该账号连续登录失败5次，已暂时锁定" in response.content.decode()


def test_a_coordinator_sees_the_lock_and_unlocks_the_account_audited(world, client_for):
    fail("reporter_a", 5)
    coordinator = client_for(world.coordinator)
    listing = coordinator.get(reverse("orgs:account_list")).content.decode()
    assert listing.count("登录已锁定") == 1
    person = world.reporter_a.person
    assert reverse("orgs:account_unlock", args=[person.pk]) in listing
    response = coordinator.post(
        reverse("orgs:account_unlock", args=[person.pk]), {"back": "list"}, follow=True
    )
    assert "的账号“reporter_a”已解锁，可以立即登录" in response.content.decode()
    assert "登录已锁定" not in response.content.decode()
    assert attempt("reporter_a", PASSWORD)[1]
    entry = AuditEntry.objects.get(record_type="orgs.person", record_id=person.pk)
    assert entry.actor == world.coordinator
    assert entry.note == "登录账号“reporter_a”：解除登录锁定（清除5次失败记录）"
    again = coordinator.post(reverse("orgs:account_unlock", args=[person.pk]), follow=True)
    assert "的账号没有被锁定" in again.content.decode()


@pytest.mark.parametrize("persona", ["leader", "reporter_a", "inspector"])
def test_only_coordinators_unlock(world, client_for, persona):
    fail("reporter_b", 5)
    person = world.reporter_b.person
    response = client_for(getattr(world, persona)).post(
        reverse("orgs:account_unlock", args=[person.pk])
    )
    assert response.status_code == 403
    assert LoginFailure.objects.count() == 5


def test_the_address_behind_a_proxy_is_the_one_it_appended():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    assert throttle.client_address(request) == "127.0.0.1"
    with override_settings(SHIGAN_FORWARDED_FOR=True):
        assert throttle.client_address(request) == "5.6.7.8"


def test_full_width_letters_are_the_same_account(world):
    # The login form signs in 'ｒｅｐｏｒｔｅｒ＿ａ' as reporter_a (Django's UsernameField applies
    # NFKC), so the throttle must count and lock it as reporter_a: it signed in through a lock.
    fail("reporter_a", 5)
    response, logged_in = attempt("ｒｅｐｏｒｔｅｒ＿ａ", PASSWORD)
    assert not logged_in
    assert "该账号连续登录失败5次，已暂时锁定" in response.content.decode()
    LoginFailure.objects.all().delete()
    fail("ｒｅｐｏｒｔｅｒ＿ａ", 5)
    assert not attempt("reporter_a", PASSWORD, address="10.0.0.2")[1]


def test_the_current_password_on_the_password_page_is_throttled_with_the_account(world, client_for):
    # A session left open must not let its holder try passwords unbounded on 修改密码: wrong
    # current passwords count as the account's failures and the lock refuses even the right one.
    client = client_for(world.reporter_a)
    url = reverse("password_change")

    def change(old):
        new = "Xinmima-2023-abc"
        data = {"old_password": old, "new_password1": new, "new_password2": new}
        return client.post(url, data).content.decode()

    for _ in range(5):
        assert "当前密码不正确" in change("wrong-password")
    assert LoginFailure.objects.filter(username="reporter_a").count() == 5
    page = change(PASSWORD)
    assert "该账号连续登录失败5次，已暂时锁定" in page
    world.reporter_a.refresh_from_db()
    assert world.reporter_a.check_password(PASSWORD)
    assert not attempt("reporter_a", PASSWORD)[1]


def test_the_admins_password_page_is_the_apps_throttled_one(world, client_for):
    # Django's admin has its own 修改密码 whose current password nothing throttled.
    client = client_for(world.coordinator)
    for method in (client.get, client.post):
        response = method("/admin/password_change/")
        assert response.status_code == 302 and response.url == reverse("password_change")
