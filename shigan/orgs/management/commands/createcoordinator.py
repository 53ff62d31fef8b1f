"""shigan createcoordinator: the first 专班 coordinator of a district, without the admin.

    shigan createcoordinator --username zhuanban --name 张专班 --unit-name 示范区党委政府
    shigan createcoordinator --username zhuanban2 --name 李专班 --unit 区作风专班

Asks for what is missing (the password twice, hidden) unless --noinput or standard input is not a
terminal; the password may come from SHIGAN_PASSWORD instead. --unit-name creates a district's
top unit (党委政府): the first of a new install, or another district of the same database (its
coordinator sees only it); --unit names an existing unit ("乙县党委政府/水务站" where two
districts have one). The password policy applies (shigan/orgs/passwords.py); the account is audited as 系统.
"""

import difflib
import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from shigan.orgs.models import Unit
from shigan.orgs.queries import units_named
from shigan.orgs.services import coordinator_create, password_problems

PASSWORD_VARIABLE = "SHIGAN_PASSWORD"


class Command(BaseCommand):
    help = (
        "创建专班（统筹）账号：用户名、姓名、所在单位和密码；数据库中还没有单位时，"
        "同时创建区县（党委政府）单位。密码可由环境变量 SHIGAN_PASSWORD 提供。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", help="用户名（小写字母开头，3—30个字符）")
        parser.add_argument("--name", help="姓名")
        parser.add_argument("--unit", help="所在单位：已有单位的名称或简称")
        parser.add_argument(
            "--unit-name",
            dest="unit_name",
            help="新建区县（党委政府）单位的名称：新安装的第一个区县，或同一数据库中的另一个区县",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            dest="interactive",
            action="store_false",
            help="不询问：缺少的项目直接报错（密码取自 SHIGAN_PASSWORD）",
        )

    def handle(self, *args, **options):
        interactive = options["interactive"] and sys.stdin.isatty()
        self.interactive = interactive
        username = self.value(options["username"], "用户名")
        name = self.value(options["name"], "姓名")
        unit, district = None, ""
        if options["unit_name"]:
            district = options["unit_name"].strip()
        elif Unit.objects.exists():
            unit = self.unit(options["unit"] or "")
        else:
            district = self.value(
                options["unit_name"] or options["unit"], "区县（党委政府）名称，如 示范区党委政府"
            )
        password = os.environ.get(PASSWORD_VARIABLE, "") or self.password(username, name)
        try:
            person = coordinator_create(
                username=username, name=name, password=password, unit=unit, district=district
            )
        except ValidationError as problems:
            for message in problems.messages:
                self.stderr.write(f"未创建：{message}")
            raise SystemExit(1) from None
        self.stdout.write(
            f"已创建专班账号“{username}”（{person.name}，{person.unit.name}）。"
            "请用它登录，在“账号管理”中为其他人员创建账号。"
        )

    def value(self, given: str | None, label: str) -> str:
        if given and given.strip():
            return given.strip()
        if not self.interactive:
            self.stderr.write(f"未创建：缺少{label}（--noinput 时须在命令行给出）。")
            raise SystemExit(1)
        while True:
            answer = input(f"{label}：").strip()
            if answer:
                return answer

    def unit(self, given: str) -> Unit:
        given = given.strip() or self.value("", "所在单位（已有单位的名称或简称）")
        found = units_named(given)
        if len(found) == 1:
            return found[0]
        if found:
            choices = "、".join(f"{u.district.name}/{u.name}" for u in found)
            self.stderr.write(f"未创建：多个区县都有单位“{given}”，请写作 区县/单位：{choices}。")
            raise SystemExit(1)
        names = list(Unit.objects.values_list("name", flat=True))
        close = difflib.get_close_matches(given, names, n=1, cutoff=0.4)
        hint = f"是否指“{close[0]}”？" if close else f"已有单位：{'、'.join(names[:8])}。"
        self.stderr.write(f"未创建：单位“{given}”不存在。{hint}")
        raise SystemExit(1)

    def password(self, username: str, name: str) -> str:
        """Asked twice, hidden, until the policy accepts it (as Django's createsuperuser)."""
        if not self.interactive:
            self.stderr.write(
                f"未创建：缺少密码（--noinput 时请设置环境变量 {PASSWORD_VARIABLE}）。"
            )
            raise SystemExit(1)
        while True:
            first = getpass.getpass("密码：")
            if first != getpass.getpass("再次输入密码："):
                self.stderr.write("两次输入的密码不一致，请重新输入。")
                continue
            problems = password_problems(first, username=username, name=name)
            if not problems:
                return first
            for message in problems:
                self.stderr.write(message)
