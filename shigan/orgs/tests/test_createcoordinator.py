"""shigan createcoordinator: the first coordinator of an empty install, or another one in an
existing unit; the password policy, Chinese refusals, the audit as 系统."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry, AuditSource
from shigan.orgs.models import Person, Role, Unit, UnitKind

GOOD = "Lanqiao-river-2023"


def run(*args: str, password: str | None = GOOD, monkeypatch=None) -> tuple[str, str, int]:
    if password is None:
        monkeypatch.delenv("SHIGAN_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("SHIGAN_PASSWORD", password)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("createcoordinator", *args, "--noinput", stdout=out, stderr=err)
    except SystemExit as exit:
        return out.getvalue(), err.getvalue(), exit.code
    return out.getvalue(), err.getvalue(), 0


@pytest.mark.django_db
def test_on_an_empty_database_it_creates_the_district_and_its_coordinator(monkeypatch):
    out, err, code = run(
        "--username", "zhuanban", "--name", "张专班", "--unit-name", "示范区党委政府",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "已创建专班账号“zhuanban”（张专班，示范区党委政府）" in out
    district = Unit.objects.get()
    assert (district.name, district.kind, district.parent) == (
        "示范区党委政府",
        UnitKind.PARTY_GOVERNMENT,
        None,
    )
    person = Person.objects.get()
    assert (person.name, person.unit, person.role) == ("张专班", district, Role.COORDINATOR)
    assert person.user.username == "zhuanban" and not person.must_change_password
    assert not person.user.is_superuser
    entries = list(AuditEntry.objects.order_by("id"))
    assert [(e.record_type, e.action, e.source, e.actor) for e in entries] == [
        ("orgs.unit", AuditAction.CREATE, AuditSource.SYSTEM, None),
        ("orgs.person", AuditAction.CREATE, AuditSource.SYSTEM, None),
    ]
    assert all(e.author == "系统" for e in entries)
    assert GOOD not in str([e.changes for e in entries])
    # He logs in, lands on 初始化 (nothing is set up yet) and may manage accounts.
    client = Client()
    assert client.login(username="zhuanban", password=GOOD)
    assert client.get("/")["Location"] == reverse("setup_guide")
    assert client.get(reverse("orgs:account_list")).status_code == 200


def test_a_weak_password_is_refused_in_chinese_and_nothing_is_created(world, monkeypatch):
    out, err, code = run(
        "--username", "zhuanban", "--name", "张专班", "--unit", "区作风专班",
        password="zb-2023", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 1 and out == ""
    assert "未创建：密码太短：至少10个字符（现为7个）。" in err
    assert not get_user_model().objects.filter(username="zhuanban").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "password, message",
    [
        ("1234567890", "密码不能全是数字"),
        ("password123", "这个密码太常见"),
        ("zhuanban2023", "密码不能包含用户名"),
        ("李建国的密码1234", "密码不能包含姓名"),
        ("lijianguo-77", "密码不能包含姓名的拼音"),
    ],
)
def test_every_rule_of_the_policy_applies(world, monkeypatch, password, message):
    _, err, code = run(
        "--username", "zhuanban", "--name", "李建国", "--unit", "区作风专班",
        password=password, monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 1 and message in err
    assert not Person.objects.filter(name="李建国").exists()


def test_an_existing_unit_by_name_or_short_name(world, monkeypatch):
    world.unit_a.short_name = "交通局"
    world.unit_a.save()
    _, err, code = run(
        "--username", "zhuanban", "--name", "张专班", "--unit", "交通局", monkeypatch=monkeypatch
    )
    assert (code, err) == (0, "")
    person = Person.objects.get(user__username="zhuanban")
    assert person.unit == world.unit_a and person.role == Role.COORDINATOR
    assert Unit.objects.count() == 4  # no unit created


def test_a_duplicate_username_is_refused(world, monkeypatch):
    _, err, code = run(
        "--username", "coordinator", "--name", "张专班", "--unit", "区作风专班",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 1
    assert "未创建：用户名“coordinator”已被使用，请换一个。" in err
    assert Person.objects.filter(name="张专班").count() == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--name", "张专班", "--unit", "区作风专班"], "缺少用户名"),
        (["--username", "zhuanban", "--unit", "区作风专班"], "缺少姓名"),
        (["--username", "zhuanban", "--name", "张专班"], "缺少所在单位"),
        (["--username", "zhuanban", "--name", "张专班", "--unit", "区交通"], "是否指“区交通局”"),
        (["--username", "Zhuan Ban", "--name", "张专班", "--unit", "区作风专班"], "不符合要求"),
    ],
)
def test_missing_or_wrong_values_are_named(world, monkeypatch, args, message):
    _, err, code = run(*args, monkeypatch=monkeypatch)
    assert code == 1 and message in err
    assert not Person.objects.filter(name="张专班").exists()


@pytest.mark.django_db
def test_without_a_password_and_without_a_terminal_it_says_which_variable(monkeypatch):
    _, err, code = run(
        "--username", "zhuanban", "--name", "张专班", "--unit-name", "示范区",
        password=None, monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 1 and "SHIGAN_PASSWORD" in err
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_on_an_empty_database_the_district_name_is_required(monkeypatch):
    _, err, code = run("--username", "zhuanban", "--name", "张专班", monkeypatch=monkeypatch)
    assert code == 1 and "缺少区县（党委政府）名称" in err


def test_another_district_in_the_same_database_gets_its_own_coordinator(world, monkeypatch):
    _, err, code = run(
        "--username", "yixian", "--name", "乙专班", "--unit-name", "乙县党委政府",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert (code, err) == (0, "")
    person = Person.objects.get(user__username="yixian")
    district = person.unit
    assert district.name == "乙县党委政府" and district.district_id == district.pk
    assert district.kind == UnitKind.PARTY_GOVERNMENT and district.parent is None
    # Its coordinator reads his own district only.
    client = Client()
    assert client.login(username="yixian", password=GOOD)
    assert client.get("/")["Location"] == reverse("setup_guide")
    assert client.get(f"/tasks/{world.task_a.pk}/").status_code == 404
    # The same district name twice is refused.
    _, err, code = run(
        "--username", "yixian2", "--name", "乙专班二", "--unit-name", "乙县党委政府",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 1 and "区县“乙县党委政府”已存在" in err


def test_a_unit_name_two_districts_share_is_written_with_its_district(world, monkeypatch):
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    twin = Unit.objects.create(name="区水务局", kind=UnitKind.BUREAU, parent=other)
    args = ["--username", "shuiwu", "--name", "水务专班"]
    _, err, code = run(*args, "--unit", "区水务局", monkeypatch=monkeypatch)
    assert code == 1 and "多个区县都有单位“区水务局”" in err and "乙县党委政府/区水务局" in err
    _, err, code = run(*args, "--unit", "乙县党委政府/区水务局", monkeypatch=monkeypatch)
    assert (code, err) == (0, "")
    assert Person.objects.get(user__username="shuiwu").unit == twin
