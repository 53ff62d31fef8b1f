"""`shigan import FILE.xlsx [--user USERNAME] [--year YEAR]`: the upload page's import, for
operators. Exit status: 0 everything was saved; 1 the file was read but refused (every error
printed, nothing saved); 2 nothing could be checked (unreadable file, unknown user)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from shigan.indicators.xlsx import import_workbook

VALIDATION_FAILED = 1
CANNOT_RUN = 2


class Command(BaseCommand):
    help = "导入指标年度目标或完成情况Excel文件（全部通过才写入）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx 文件路径")
        parser.add_argument(
            "--user", help="以该账号的身份和权限导入；不指定时以运维人员身份导入（不受角色限制）"
        )
        parser.add_argument("--year", type=int, help="文件未写明年度的行所用的年度")

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            self.stderr.write(f"账号“{username}”不存在或已停用。")
            raise SystemExit(CANNOT_RUN)
        return user

    def handle(self, *args, **options):
        by = self._user(options["user"])
        result = import_workbook(path_or_file=options["file"], by=by, year=options["year"])
        if result.unreadable:
            self.stderr.write(result.summary())
            raise SystemExit(CANNOT_RUN)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            self.stderr.write(result.summary())
            raise SystemExit(VALIDATION_FAILED)
        self.stdout.write(result.summary())
