"""The account rules of orgs.access, persona by persona, and what they do through HTTP: who manages
accounts, where `/` lands each role after logging in, and the forced password change at first login
and after a reset (orgs.middleware)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from shigan.core.models import AuditEntry
from shigan.orgs.access import (
    LANDING_BATTLE_MAP,
    LANDING_COCKPIT,
    LANDING_MONTHLY_REPORT,
    can_manage_accounts,
    landing_page_for,
    password_change_required,
)
from shigan.orgs.models import Person
from shigan.testing import PASSWORD
from shigan.tests.personas import all_personas, answers, only

NEW_PASSWORD = "river-lamp-2023"


@pytest.fixture
def users(world):
    return all_personas(world)


def test_only_coordinators_manage_accounts(users):
    assert answers(users, can_manage_accounts) == only("coordinator")


def test_a_disabled_coordinator_manages_no_accounts(users):
    users["coordinator"].is_active = False
    assert not can_manage_accounts(users["coordinator"])


def test_a_superuser_without_a_person_manages_accounts(db):
    root = get_user_model().objects.create_superuser(username="root", password="x")
    assert can_manage_accounts(root)


def test_each_role_lands_where_its_work_is(users):
    assert answers(users, landing_page_for) == {
        "anonymous": LANDING_BATTLE_MAP,
        "coordinator": LANDING_BATTLE_MAP,
        "leader": LANDING_COCKPIT,
        "reporter_a": LANDING_MONTHLY_REPORT,
        "reporter_b": LANDING_MONTHLY_REPORT,
        "inspector": LANDING_BATTLE_MAP,
        "no_role": LANDING_BATTLE_MAP,
        "roleless_person": LANDING_BATTLE_MAP,
    }


def test_only_an_account_flagged_must_change_its_password(users):
    assert answers(users, password_change_required) == only()
    Person.objects.filter(user=users["reporter_a"]).update(must_change_password=True)
    fresh = all_personas_again(users)
    assert answers(fresh, password_change_required) == only("reporter_a")
    assert not password_change_required(AnonymousUser())


def all_personas_again(users):
    User = get_user_model()
    return {p: User.objects.get(pk=u.pk) for p, u in users.items()}


@pytest.mark.parametrize(
    "persona, landing",
    [
        ("coordinator", "dashboards:battle_map"),
        ("leader", "dashboards:cockpit"),
        ("reporter_a", "monthly:report"),
        ("inspector", "dashboards:battle_map"),
        ("no_role", "dashboards:battle_map"),
    ],
)
def test_logging_in_lands_each_role_on_its_page(users, persona, landing):
    client = Client()
    username = users[persona].username
    if persona == "no_role":
        users[persona].set_password(PASSWORD)
        users[persona].save()
    response = client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, follow=True
    )
    assert [url for url, _ in response.redirect_chain] == ["/", reverse(landing)]
    assert response.status_code == 200


def test_logging_in_with_a_next_page_goes_there(world):
    client = Client()
    response = client.post(
        reverse("login") + "?next=/tasks/",
        {"username": "reporter_a", "password": PASSWORD, "next": "/tasks/"},
    )
    assert response["Location"] == "/tasks/"


def test_an_initial_password_opens_only_the_password_change_until_changed(world):
    person = world.reporter_a.person
    Person.objects.filter(pk=person.pk).update(must_change_password=True)
    client = Client()
    response = client.post(
        reverse("login"), {"username": "reporter_a", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("password_change")
    text = response.content.decode()
    assert "您正在使用初始密码" in text
    assert "挂图作战" not in text  # no navigation yet
    elsewhere = ["/", "/map/", "/tasks/report/", f"/tasks/{world.task_a.pk}/", "/admin/"]
    for url in [*elsewhere, "/admin/password_change/", "/no-such-page/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("password_change"), url
    assert client.post("/tasks/report/", {}).status_code == 302
    assert client.get("/static/shigan/app.css").status_code == 200
    assert client.get(reverse("password_change")).status_code == 200

    # Refusals, in Chinese: wrong current password, the same password again, the policy.
    url = reverse("password_change")
    cases = [
        ("wrong-password-1", NEW_PASSWORD, NEW_PASSWORD, "当前密码不正确"),
        (PASSWORD, PASSWORD, PASSWORD, "新密码不能与当前密码相同"),
        (PASSWORD, "short-pw", "short-pw", "密码太短：至少10个字符（现为8个）"),
        (PASSWORD, "reporter_a-2023", "reporter_a-2023", "密码不能包含用户名"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "两次输入的新密码不一致"),
    ]
    for old, new1, new2, message in cases:
        response = client.post(
            url, {"old_password": old, "new_password1": new1, "new_password2": new2}
        )
        assert response.status_code == 200
        assert message in response.content.decode(), message
    person.refresh_from_db()
    assert person.must_change_password

    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    # Released: he lands on his page, still logged in, with the new password only.
    assert [u for u, _ in response.redirect_chain] == ["/", reverse("monthly:report")]
    assert "密码已修改" in response.content.decode()
    person.refresh_from_db()
    assert not person.must_change_password
    assert client.get("/map/").status_code == 200
    assert Client().login(username="reporter_a", password=NEW_PASSWORD)
    assert not Client().login(username="reporter_a", password=PASSWORD)
    [entry] = AuditEntry.objects.filter(record_type="orgs.person", record_id=person.pk)
    assert entry.actor == world.reporter_a
    assert entry.changes == {"须修改密码": [True, False]}
    assert NEW_PASSWORD not in str(entry.changes) + entry.note


def test_logging_out_works_with_an_initial_password(world):
    Person.objects.filter(user=world.reporter_a).update(must_change_password=True)
    client = Client()
    client.login(username="reporter_a", password=PASSWORD)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("login")).status_code == 200


def test_anyone_may_change_his_password_without_being_forced(world, client_for):
    client = client_for(world.leader)
    page = client.get("/map/").content.decode()
    assert 'href="/accounts/password/"' in page  # linked from every page's frame
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/"
    assert Client().login(username="leader", password=NEW_PASSWORD)
