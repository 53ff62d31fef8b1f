"""账号管理 through HTTP as the personas: the list, one account, all missing accounts in one step
with the one-time sheet, disable/enable, reset, a person's role and unit — each audited — and the
refusals (403 for every role but coordinators, 404 for an unknown person)."""

import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from shigan.core.models import AuditEntry
from shigan.orgs.models import Person, Role
from shigan.testing import PASSWORD

CONFIRM = {"confirm": "1"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PASSWORD_CELL = re.compile(r'<code class="initial-password">([^<]+)</code>')
SHEET_FIELD = re.compile(r'name="sheet" value="([^"]+)"')


def entries(person: Person) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(record_type="orgs.person", record_id=person.pk))


def shown_passwords(response) -> list[str]:
    return PASSWORD_CELL.findall(response.content.decode())


def can_log_in(username: str, password: str) -> bool:
    return Client().login(username=username, password=password)


@pytest.fixture
def newcomers(world):
    """Two people of unit A with a role and no account, one without a role."""
    return [
        Person.objects.create(name="孙建设", unit=world.unit_a, post="科员", role=Role.REPORTER),
        Person.objects.create(name="王填报", unit=world.unit_a, role=Role.REPORTER),
        Person.objects.create(name="无角色人员", unit=world.unit_b, role=""),
    ]


def test_the_list_shows_people_with_their_account_state(world, newcomers, client_for):
    world.reporter_b.is_active = False
    world.reporter_b.save()
    response = client_for(world.coordinator).get(reverse("orgs:account_list"))
    assert response.status_code == 200
    text = response.content.decode()
    for name in ["周专班", "李副区长", "王填报", "赵填报", "孙建设", "无角色人员"]:
        assert name in text
    assert "已停用" in text and "未建账号" in text
    assert "为2位尚无账号的人员一键创建账号" in text
    # Suggested login names from the names' pinyin, never one in use twice.
    assert 'value="sunjianshe"' in text
    assert 'value="wangtianbao"' in text
    assert ">账号管理</a>" in text  # the navigation offers the page


def test_creating_one_account_shows_the_initial_password_once_and_forces_a_change(
    world, newcomers, client_for
):
    person = newcomers[0]
    coordinator = client_for(world.coordinator)
    response = coordinator.post(
        reverse("orgs:account_create", args=[person.pk]), {"username": "sunjianshe"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [password] = shown_passwords(response)
    person.refresh_from_db()
    assert person.user.username == "sunjianshe"
    assert person.must_change_password
    assert person.user.password.startswith("md5$") and password not in person.user.password
    assert can_log_in("sunjianshe", password)
    [entry] = entries(person)
    assert entry.actor == world.coordinator and entry.author == "周专班"
    assert "创建登录账号“sunjianshe”" in entry.note
    assert entry.changes["须修改密码"] == [False, True]
    assert password not in str(entry.changes) + entry.note
    # The person's page shows his account and the change in his history.
    page = coordinator.get(reverse("orgs:person_account", args=[person.pk])).content.decode()
    assert "sunjianshe" in page and "待修改初始密码" in page and "创建登录账号" in page
    assert password not in page


@pytest.mark.parametrize(
    "username, message",
    [
        ("reporter_a", "已被使用"),
        ("Zhangsan", "不符合要求"),
        ("ab", "不符合要求"),
        ("张三", "不符合要求"),
        ("", "请填写用户名"),
    ],
)
def test_a_refused_login_name_creates_nothing_and_says_why(
    world, newcomers, client_for, username, message
):
    person = newcomers[0]
    response = client_for(world.coordinator).post(
        reverse("orgs:account_create", args=[person.pk]), {"username": username}, follow=True
    )
    assert message in response.content.decode()
    person.refresh_from_db()
    assert person.user is None and entries(person) == []


def test_a_login_name_in_use_is_refused_ignoring_case(world, newcomers, client_for):
    get_user_model().objects.create_user(username="Sunjianshe", password="x")
    person = newcomers[0]
    response = client_for(world.coordinator).post(
        reverse("orgs:account_create", args=[person.pk]), {"username": "sunjianshe"}, follow=True
    )
    assert "用户名“sunjianshe”已被使用" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None


def test_a_person_with_an_account_gets_no_second_one(world, client_for):
    person = world.reporter_a.person
    response = client_for(world.coordinator).post(
        reverse("orgs:account_create", args=[person.pk]), {"username": "another"}, follow=True
    )
    assert "王填报已有登录账号“reporter_a”" in response.content.decode()
    assert not get_user_model().objects.filter(username="another").exists()


def test_all_missing_accounts_in_one_step_and_the_sheet_downloads_once(
    world, newcomers, client_for
):
    coordinator = client_for(world.coordinator)
    get_user_model().objects.create_user(username="wangtianbao", password="x")
    response = coordinator.post(reverse("orgs:accounts_create_all"), CONFIRM)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    passwords = shown_passwords(response)
    assert len(passwords) == 2 and len(set(passwords)) == 2
    sun, wang, roleless = (Person.objects.get(pk=p.pk) for p in newcomers)
    assert sun.user.username == "sunjianshe" and wang.user.username == "wangtianbao2"
    assert roleless.user is None  # no role, no account
    assert sun.must_change_password and wang.must_change_password
    assert "已创建2个账号" in text
    for person, password in zip([sun, wang], passwords, strict=True):
        assert can_log_in(person.user.username, password)
        assert "批量创建登录账号" in entries(person)[0].note

    sheet = SHEET_FIELD.search(text)[1]
    download = coordinator.post(reverse("orgs:initial_password_sheet"), {"sheet": sheet})
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert "attachment" in download["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(download.content)).active
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("孙建设", "区交通局", "科员", "sunjianshe", passwords[0]),
        ("王填报", "区交通局", None, "wangtianbao2", passwords[1]),
    ]
    assert ws.cell(row=3, column=6).value == "初始密码"

    again = coordinator.post(reverse("orgs:initial_password_sheet"), {"sheet": sheet}, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == reverse("orgs:account_list")
    assert "初始密码表只能下载一次" in again.content.decode()
    assert again["Content-Type"].startswith("text/html")

    # Nothing left to create: the button is gone and a second run says so.
    listed = coordinator.get(reverse("orgs:account_list")).content.decode()
    assert "一键创建账号" not in listed
    rerun = coordinator.post(reverse("orgs:accounts_create_all"), CONFIRM, follow=True)
    assert "没有需要创建账号的人员" in rerun.content.decode()


def test_the_sheet_is_refused_when_tampered_or_from_another_session(world, newcomers, client_for):
    coordinator = client_for(world.coordinator)
    sheet = SHEET_FIELD.search(
        coordinator.post(reverse("orgs:accounts_create_all"), CONFIRM).content.decode()
    )[1]
    url = reverse("orgs:initial_password_sheet")
    tampered = sheet[:-2] + ("AA" if not sheet.endswith("AA") else "BB")
    for value in [tampered, "", "x" * 3000, "\x00"]:
        response = coordinator.post(url, {"sheet": value})
        assert response.status_code == 302, value
    other_session = client_for(world.coordinator)  # the same coordinator, another browser
    assert other_session.post(url, {"sheet": sheet}).status_code == 302
    assert coordinator.post(url, {"sheet": sheet}).status_code == 200  # still unspent here


def test_the_database_never_holds_an_initial_password(world, newcomers, client_for):
    coordinator = client_for(world.coordinator)
    response = coordinator.post(reverse("orgs:accounts_create_all"), CONFIRM)
    passwords = shown_passwords(response)
    stored = " ".join(s.get_decoded().__repr__() for s in Session.objects.all())
    stored += " ".join(str(e.changes) + e.note for e in AuditEntry.objects.all())
    assert passwords and not any(p in stored for p in passwords)


def test_disable_and_enable(world, client_for):
    coordinator = client_for(world.coordinator)
    person = world.reporter_a.person
    reporter = client_for(world.reporter_a)
    assert reporter.get(reverse("dashboards:battle_map")).status_code == 200

    response = coordinator.post(
        reverse("orgs:account_disable", args=[person.pk]), {"back": "list", **CONFIRM}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("orgs:account_list")
    assert "王填报的账号“reporter_a”已停用" in response.content.decode()
    assert not can_log_in("reporter_a", PASSWORD)
    # His open session ends with it.
    assert reporter.get(reverse("dashboards:battle_map")).status_code == 302
    again = coordinator.post(
        reverse("orgs:account_disable", args=[person.pk]), CONFIRM, follow=True
    )
    assert "已经是停用状态" in again.content.decode()

    response = coordinator.post(reverse("orgs:account_enable", args=[person.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("orgs:person_account", args=[person.pk])
    assert "已启用" in response.content.decode()
    assert can_log_in("reporter_a", PASSWORD)
    notes = [e.note for e in entries(person)]
    assert notes == ["登录账号“reporter_a”：停用 → 启用", "登录账号“reporter_a”：启用 → 停用"]
    assert all(e.actor == world.coordinator for e in entries(person))


def test_a_coordinator_cannot_disable_or_reset_himself_nor_drop_his_role(world, client_for):
    coordinator = client_for(world.coordinator)
    me = world.coordinator.person
    text = coordinator.post(
        reverse("orgs:account_disable", args=[me.pk]), CONFIRM, follow=True
    ).content.decode()
    assert "不能停用自己的账号" in text
    text = coordinator.post(reverse("orgs:account_reset", args=[me.pk]), CONFIRM, follow=True)
    assert "自己的密码请在“修改密码”中修改" in text.content.decode()
    response = coordinator.post(
        reverse("orgs:person_account", args=[me.pk]),
        {"role": Role.REPORTER, "unit": world.unit_a.pk},
    )
    assert response.status_code == 200
    assert "不能取消自己的专班角色" in response.content.decode()
    me.refresh_from_db()
    world.coordinator.refresh_from_db()
    assert me.role == Role.COORDINATOR and world.coordinator.is_active
    assert entries(me) == []


def test_reset_shows_a_new_password_once_and_the_old_one_stops_working(world, client_for):
    person = world.reporter_b.person
    url = reverse("orgs:account_reset", args=[person.pk])
    response = client_for(world.coordinator).post(url, CONFIRM)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [password] = shown_passwords(response)
    assert "已重置赵填报的密码" in response.content.decode()
    assert not can_log_in("reporter_b", PASSWORD)
    assert can_log_in("reporter_b", password)
    person.refresh_from_db()
    assert person.must_change_password
    [entry] = entries(person)
    assert entry.changes == {"须修改密码": [False, True]}
    assert "重置登录账号“reporter_b”的密码" in entry.note


def test_changing_a_persons_role_and_unit_is_audited_and_takes_effect(world, client_for):
    person = world.reporter_b.person
    coordinator = client_for(world.coordinator)
    url = reverse("orgs:person_account", args=[person.pk])
    response = coordinator.post(url, {"role": Role.INSPECTOR, "unit": world.unit_a.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.INSPECTOR and person.unit == world.unit_a
    [entry] = entries(person)
    assert entry.actor == world.coordinator
    assert entry.changes == {
        "系统角色": ["reporter", "inspector"],
        "所在单位": ["区水务局", "区交通局"],
    }
    # Now an inspector: he reads unit A's task.
    inspector = client_for(world.reporter_b)
    assert inspector.get(reverse("tasks:task_detail", args=[world.task_a.pk])).status_code == 200
    page = coordinator.get(url).content.decode()
    assert "单位填报员 → 督查" in page and "区水务局 → 区交通局" in page  # the history, labelled
    unchanged = coordinator.post(
        url, {"role": Role.INSPECTOR, "unit": world.unit_a.pk}, follow=True
    )
    assert "未作任何更改" in unchanged.content.decode()
    assert len(entries(person)) == 1
    # No role at all: the account reads nothing.
    coordinator.post(url, {"role": "", "unit": world.unit_a.pk})
    person.refresh_from_db()
    assert person.role == ""
    assert inspector.get(reverse("tasks:task_detail", args=[world.task_a.pk])).status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"role": "boss", "unit": "1"}, "所选角色不存在"),
        ({"role": "reporter", "unit": "9223372036854775808"}, "不是有效的单位编号"),
        ({"role": "reporter", "unit": "999999"}, "所选单位不存在"),
        ({"role": "reporter"}, "请选择所在单位"),
    ],
)
def test_a_bad_role_or_unit_is_named(world, client_for, data, message):
    person = world.reporter_b.person
    response = client_for(world.coordinator).post(
        reverse("orgs:person_account", args=[person.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    person.refresh_from_db()
    assert person.role == Role.REPORTER and person.unit == world.unit_b


ACTIONS = [
    ("orgs:account_list", False, "get"),
    ("orgs:accounts_create_all", False, "post"),
    ("orgs:initial_password_sheet", False, "post"),
    ("orgs:person_account", True, "get"),
    ("orgs:person_account", True, "post"),
    ("orgs:account_create", True, "post"),
    ("orgs:account_disable", True, "post"),
    ("orgs:account_enable", True, "post"),
    ("orgs:account_reset", True, "post"),
]


@pytest.mark.parametrize("persona", ["leader", "reporter_a", "reporter_b", "inspector"])
@pytest.mark.parametrize("name, with_pk, method", ACTIONS)
def test_every_other_role_is_refused_403_and_nothing_changes(
    world, newcomers, client_for, persona, name, with_pk, method
):
    target = world.reporter_a.person
    url = reverse(name, args=[target.pk] if with_pk else [])
    client = client_for(world.users()[persona])
    data = {"username": "intruder", "role": Role.COORDINATOR, "unit": world.unit_a.pk, **CONFIRM}
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 403
    assert "只有专班可以管理账号" in response.content.decode()
    assert not AuditEntry.objects.filter(record_type="orgs.person").exists()
    assert Person.objects.filter(user__isnull=True).count() == 3
    target.refresh_from_db()
    assert target.role == Role.REPORTER and not target.must_change_password


@pytest.mark.parametrize("name, method", [(n, m) for n, pk, m in ACTIONS if pk])
def test_an_unknown_person_is_404(world, client_for, name, method):
    client = client_for(world.coordinator)
    for pk in [999999, 999999999999999999]:
        url = reverse(name, args=[pk])
        response = client.post(url, {}) if method == "post" else client.get(url)
        assert response.status_code == 404, url


def test_a_disabled_coordinator_manages_nothing(world, client_for):
    client = client_for(world.coordinator)
    world.coordinator.is_active = False
    world.coordinator.save()
    assert client.get(reverse("orgs:account_list")).status_code == 302  # logged out
