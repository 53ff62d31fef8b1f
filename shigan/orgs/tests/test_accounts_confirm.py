"""账号管理, what asks first and whom it shows: 停用, 重置密码 and 一键创建 answer a POST without
confirm=1 with a confirmation naming the people and what will happen (nothing changes before the
confirmation); a person without a role gets an account only together with a role; the list, the
person pages and every action keep to the coordinator's district, and the list filters by unit."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.orgs.models import Person, Role, Unit, UnitKind
from shigan.orgs.scope import district_units
from shigan.testing import PASSWORD

LIST = reverse("orgs:account_list")
CONFIRM_FIELD = '<input type="hidden" name="confirm" value="1">'


def entries(person: Person) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(record_type="orgs.person", record_id=person.pk))


@pytest.fixture
def elsewhere(world):
    """Another district in the same database: its unit, a person with a role and no account, and
    a person with an account."""
    district = Unit.objects.create(name="乙区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    unit = Unit.objects.create(name="乙区水务站", kind=UnitKind.BUREAU, parent=district)
    user = get_user_model().objects.create_user(username="yiqu", password=PASSWORD)
    return {
        "unit": unit,
        "newcomer": Person.objects.create(name="钱乙区", unit=unit, role=Role.REPORTER),
        "holder": Person.objects.create(name="孙乙区", unit=unit, role=Role.REPORTER, user=user),
    }


def test_disable_asks_first_naming_the_person_and_what_happens(world, client_for):
    person = world.reporter_a.person
    url = reverse("orgs:account_disable", args=[person.pk])
    response = client_for(world.coordinator).post(url, {"back": "list"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "停用王填报（区交通局）的账号“reporter_a”？" in page
    assert "停用后该账号不能再登录，已登录的也随即退出" in page
    assert f'<form method="post" action="{url}" class="inline">' in page
    assert CONFIRM_FIELD in page and '<input type="hidden" name="back" value="list">' in page
    assert '<button type="submit" class="primary">确认停用</button>' in page
    assert f'<a class="button" href="{LIST}">取消</a>' in page
    world.reporter_a.refresh_from_db()
    assert world.reporter_a.is_active and entries(person) == []
    assert Client().login(username="reporter_a", password=PASSWORD)


def test_reset_asks_first_and_the_password_still_works_until_confirmed(world, client_for):
    person = world.reporter_b.person
    url = reverse("orgs:account_reset", args=[person.pk])
    response = client_for(world.coordinator).post(url)
    page = response.content.decode()
    assert "重置赵填报（区水务局）的账号“reporter_b”的密码？" in page
    assert "该账号现在的密码立即失效" in page and "确认重置密码" in page
    assert "initial-password" not in page
    assert (
        f'<a class="button" href="{reverse("orgs:person_account", args=[person.pk])}">取消</a>'
        in page
    )
    assert "no-store" in response["Cache-Control"]
    assert Client().login(username="reporter_b", password=PASSWORD)
    person.refresh_from_db()
    assert not person.must_change_password and entries(person) == []


def test_create_all_asks_first_listing_whom_and_their_login_names(world, elsewhere, client_for):
    sun = Person.objects.create(name="孙建设", unit=world.unit_a, post="科员", role=Role.REPORTER)
    roleless = Person.objects.create(name="无角色人员", unit=world.unit_b, role="")
    response = client_for(world.coordinator).post(reverse("orgs:accounts_create_all"))
    page = response.content.decode()
    assert "为以下1位人员创建账号？" in page
    assert (
        '<td>孙建设</td><td>区交通局</td><td class="hide-narrow">科员</td><td>单位填报员</td>'
        in page
    )
    assert '<td class="username">sunjianshe</td>' in page
    assert "无角色人员" not in page and "钱乙区" not in page  # no role; another district
    assert "确认创建1个账号" in page and CONFIRM_FIELD in page
    assert Person.objects.filter(user__isnull=False, pk__in=[sun.pk, roleless.pk]).count() == 0
    assert not AuditEntry.objects.filter(record_type="orgs.person").exists()


def test_create_all_creates_for_the_coordinators_district_only(world, elsewhere, client_for):
    Person.objects.create(name="孙建设", unit=world.unit_a, role=Role.REPORTER)
    client = client_for(world.coordinator)
    response = client.post(reverse("orgs:accounts_create_all"), {"confirm": "1"})
    assert "已创建1个账号" in response.content.decode()
    assert Person.objects.get(name="孙建设").user.username == "sunjianshe"
    elsewhere["newcomer"].refresh_from_db()
    assert elsewhere["newcomer"].user is None


def test_a_person_without_a_role_gets_no_account_without_one(world, client_for):
    person = Person.objects.create(name="无角色人员", unit=world.unit_b, role="")
    client = client_for(world.coordinator)
    page = client.get(reverse("orgs:person_account", args=[person.pk])).content.decode()
    assert "无角色人员还没有系统角色：没有角色的账号登录后什么也看不到" in page
    assert '<select name="role" required id="new_role">' in page and "设角色并创建账号" in page
    url = reverse("orgs:account_create", args=[person.pk])
    response = client.post(url, {"username": "wujuese"}, follow=True)
    assert "该人员还没有系统角色：请同时选择系统角色。" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None and entries(person) == []
    listed = client.get(LIST).content.decode()
    assert 'aria-label="无角色人员的系统角色" required>' in listed


def test_a_person_without_a_role_gets_the_role_and_the_account_in_one_step(world, client_for):
    person = Person.objects.create(name="无角色人员", unit=world.unit_b, role="")
    url = reverse("orgs:account_create", args=[person.pk])
    response = client_for(world.coordinator).post(
        url, {"username": "wujuese", "role": Role.INSPECTOR}
    )
    assert "已为无角色人员创建账号" in response.content.decode()
    person.refresh_from_db()
    assert person.role == Role.INSPECTOR and person.user.username == "wujuese"
    first, second = sorted(entries(person), key=lambda e: e.pk)
    assert first.changes == {"系统角色": ["", "inspector"]}
    assert "创建登录账号“wujuese”" in second.note


def test_a_refused_login_name_gives_the_role_less_person_neither(world, client_for):
    person = Person.objects.create(name="无角色人员", unit=world.unit_b, role="")
    url = reverse("orgs:account_create", args=[person.pk])
    for data, message in [
        ({"username": "reporter_a", "role": Role.REPORTER}, "用户名“reporter_a”已被使用"),
        ({"username": "wujuese", "role": "boss"}, "所选角色不存在"),
    ]:
        response = client_for(world.coordinator).post(url, data, follow=True)
        assert message in response.content.decode()
        person.refresh_from_db()
        assert person.role == "" and person.user is None and entries(person) == []


def test_an_account_without_a_role_is_flagged_on_its_page(world, client_for):
    person = world.reporter_b.person
    person.role = ""
    person.save()
    page = client_for(world.coordinator).get(reverse("orgs:person_account", args=[person.pk]))
    assert "赵填报没有系统角色：这个账号登录后什么也看不到。" in page.content.decode()


def test_the_list_shows_the_district_and_filters_by_unit(world, elsewhere, client_for):
    client = client_for(world.coordinator)
    page = client.get(LIST).content.decode()
    assert "王填报" in page and "赵填报" in page
    assert "钱乙区" not in page and "孙乙区" not in page and "乙区水务站" not in page
    assert f'<option value="{world.unit_a.pk}">区交通局</option>' in page
    offered = [int(pk) for pk in re.findall(r'<option value="(\d+)"', page)]
    assert offered == list(district_units(world.coordinator).values_list("pk", flat=True))
    assert elsewhere["unit"].pk not in offered and world.unit_b.pk in offered
    page = client.get(LIST, {"unit": world.unit_b.pk}).content.decode()
    assert "赵填报" in page and "王填报" not in page
    assert f'<option value="{world.unit_b.pk}" selected>区水务局</option>' in page
    for bad in [elsewhere["unit"].pk, "999999", "²", "1 OR 1=1"]:
        response = client.get(LIST, {"unit": bad})
        assert response.status_code == 200
        page = response.content.decode()
        assert "所选单位不存在" in page or "不是有效的单位编号" in page, bad
        assert "钱乙区" not in page and "王填报" in page


def test_another_districts_person_does_not_exist_for_the_coordinator(world, elsewhere, client_for):
    client = client_for(world.coordinator)
    holder, newcomer = elsewhere["holder"], elsewhere["newcomer"]
    assert client.get(reverse("orgs:person_account", args=[holder.pk])).status_code == 404
    for name in ("account_disable", "account_enable", "account_reset", "account_create"):
        data = {"confirm": "1", "username": "qianyiqu", "role": Role.REPORTER}
        assert client.post(reverse(f"orgs:{name}", args=[holder.pk]), data).status_code == 404
        assert client.post(reverse(f"orgs:{name}", args=[newcomer.pk]), data).status_code == 404
    holder.user.refresh_from_db()
    assert holder.user.is_active and Client().login(username="yiqu", password=PASSWORD)
    assert not AuditEntry.objects.filter(record_type="orgs.person").exists()


def test_a_person_cannot_be_moved_to_another_districts_unit(world, elsewhere, client_for):
    person = world.reporter_b.person
    url = reverse("orgs:person_account", args=[person.pk])
    client = client_for(world.coordinator)
    assert str(elsewhere["unit"]) not in client.get(url).content.decode()
    response = client.post(url, {"role": Role.REPORTER, "unit": elsewhere["unit"].pk})
    assert response.status_code == 200 and "所选单位不存在" in response.content.decode()
    person.refresh_from_db()
    assert person.unit == world.unit_b


def test_the_list_runs_the_same_queries_for_few_and_many_people(world, client_for):
    client = client_for(world.coordinator)

    def grow():
        for i in range(30):
            unit = Unit.objects.create(
                name=f"新单位{i}", kind=UnitKind.BUREAU, parent=world.district
            )
            user = get_user_model().objects.create_user(username=f"user{i}", password="x")
            Person.objects.create(name=f"人员{i}", unit=unit, role=Role.REPORTER, user=user)
            Person.objects.create(name=f"新人{i}", unit=unit, role=Role.REPORTER)
            Person.objects.create(name=f"无角色{i}", unit=unit, role="")

    response = assert_same_queries(get_page(client, LIST), grow, at_most=12, warm_up=True)
    assert "新人29" in response.content.decode()
    assert_same_queries(
        get_page(client, f"{LIST}?unit={world.unit_a.pk}"), lambda: None, at_most=12
    )
