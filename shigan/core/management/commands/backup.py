"""`shigan backup DIR`: a consistent snapshot of the running instance's database and every
uploaded file into a new folder, with a manifest of checksums (core/backup.py)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shigan.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "把数据库（SQLite 用在线备份，PostgreSQL 用 pg_dump）和全部上传文件备份到一个新目录，"
        "附带 SHA-256 校验清单；服务运行中也可以备份。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="备份目录（新目录或空目录）")

    def handle(self, *args, directory: str, **options):
        started = time.monotonic()
        try:
            manifest = backup_create(destination=Path(directory))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        media = [entry for entry in manifest["files"] if entry["path"].startswith("media/")]
        size = manifest["database"]["size"] + sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            f"备份完成：{Path(directory).resolve()}（数据库 {manifest['database']['path']}、"
            f"{len(media)}个上传文件，共{size / 1024 / 1024:.1f} MB，"
            f"用时{time.monotonic() - started:.1f}秒）。"
        )
        for name in manifest["missing_files"]:
            self.stderr.write(f"注意：记录引用的文件 {name} 在服务器上已不存在，未能备份。")
