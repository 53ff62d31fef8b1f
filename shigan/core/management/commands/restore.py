"""`shigan restore DIR [--force]`: restore a `shigan backup` folder onto an empty instance
(core/restore.py); checks every checksum first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shigan.core.backup import BackupError
from shigan.core.restore import backup_restore


class Command(BaseCommand):
    help = (
        "把 shigan backup 生成的备份恢复到空的实例（数据目录的 SQLite，或 DATABASE_URL 的 "
        "PostgreSQL）；先逐个核对校验和，被改动或不完整的备份一律拒绝。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="shigan backup 生成的备份目录")
        parser.add_argument(
            "--force",
            action="store_true",
            help="实例中已有数据时，删除现有数据库内容和上传文件后再恢复",
        )

    def handle(self, *args, directory: str, force: bool, **options):
        try:
            result = backup_restore(source=Path(directory), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"恢复完成：{result.created_at}的备份（{result.files}个上传文件）已恢复。"
        )
        if result.pending_migrations:
            self.stdout.write(
                f"备份来自较早的版本，还有{len(result.pending_migrations)}个迁移："
                "请运行 shigan migrate。"
            )
