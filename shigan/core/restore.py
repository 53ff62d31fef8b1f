"""Restore a backup (core/backup.py) onto an empty instance.

Every file is checked against the manifest first; a tampered or incomplete backup is refused
before anything is touched. The instance must be empty: a database without tables, or only
migrated (no user account: every record of a district is made by one), and no uploaded file in
MEDIA_ROOT; `force=True` replaces what is there instead. SQLite: the backup's database file
replaces the data folder's (0600). PostgreSQL: the configured database's tables are dropped and
pg_restore recreates them (objects owned by the restoring account).
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection as default_connection
from django.db.migrations.loader import MigrationLoader

from .backup import (
    DUMP_NAMES,
    MEDIA,
    BackupError,
    backup_verify,
    pg_tool,
    private_copy,
    private_folder,
    run_pg_tool,
)

VENDOR_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class RestoreResult:
    vendor: str
    files: int
    created_at: str
    pending_migrations: list[str]


def accounts_in(connection) -> int:
    """The user accounts the database holds. Every record of a district is made by an account
    and `shigan migrate` creates none (it may seed other rows), so no account means empty."""
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        database = Path(connection.settings_dict["NAME"])
        if not database.exists() or database.stat().st_size == 0:
            return 0
    table = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return 0
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


def uploaded_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return [path for path in media_root.rglob("*") if path.is_file()]


def refuse_non_empty(connection, media_root: Path) -> None:
    accounts = accounts_in(connection)
    files = uploaded_files(media_root)
    if not (accounts or files):
        return
    where = []
    if accounts:
        where.append(f"数据库 {connection.settings_dict['NAME']} 已有{accounts}个账号及其数据")
    if files:
        where.append(f"上传目录 {media_root} 已有{len(files)}个文件")
    raise BackupError(
        "；".join(where) + "。恢复只用于空的实例：请用新的数据目录（--data-dir）"
        "或新建的空数据库（DATABASE_URL）；确认要删除现有数据并覆盖时，加 --force。"
    )


def check_migrations(manifest: dict) -> list[str]:
    """Refuse a backup from newer code; the migrations this code has that the backup lacks."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {tuple(pair) for pair in manifest.get("migrations", [])}
    unknown = sorted(applied - known)
    if unknown:
        names = "、".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"备份来自较新的实干版本（{manifest.get('shigan_version')}），"
            f"其中的迁移 {names} 本程序没有：请先升级实干，再恢复。"
        )
    return sorted(f"{app}.{name}" for app, name in known - applied)


def restore_sqlite(connection, dump: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    temporary = target.with_name(f".{target.name}.restoring")
    temporary.unlink(missing_ok=True)
    private_copy(dump, temporary)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(temporary, target)


def drop_tables(connection) -> None:
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def restore_postgresql(connection, dump: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    drop_tables(connection)
    connection.close()
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", f"--dbname={connection.settings_dict['NAME']}", str(dump)]
    run_pg_tool(command, connection.settings_dict, "pg_restore 恢复数据库")


def restore_files(source: Path, manifest: dict, media_root: Path, data_dir: Path) -> int:
    count = 0
    for entry in manifest.get("files", []):
        relative = entry["path"]
        if relative.startswith(f"{MEDIA}/"):
            target = media_root / relative.removeprefix(f"{MEDIA}/")
            count += 1
        else:
            target = data_dir / relative
            target.unlink(missing_ok=True)
        private_copy(source / relative, target)
    return count


def backup_restore(
    *,
    source: Path,
    connection=None,
    media_root: Path | None = None,
    data_dir: Path | None = None,
    force: bool = False,
) -> RestoreResult:
    """Restore the backup in `source` into the connection's database and MEDIA_ROOT. Raises
    BackupError (nothing touched) for a backup that does not verify, a backup of the other
    database vendor or of newer code, or a non-empty instance without `force`."""
    connection = connection or default_connection
    media_root = Path(media_root or settings.MEDIA_ROOT)
    data_dir = Path(data_dir or settings.DATA_DIR)
    source = Path(source).resolve()
    manifest = backup_verify(source)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"这份备份是 {VENDOR_LABELS[vendor]} 数据库的，当前配置使用 "
            f"{VENDOR_LABELS.get(connection.vendor, connection.vendor)}："
            + (
                "请设置 DATABASE_URL 指向一个空的 PostgreSQL 数据库。"
                if vendor == "postgresql"
                else "请取消 DATABASE_URL，恢复到数据目录的 SQLite。"
            )
        )
    pending = check_migrations(manifest)
    if not force:
        refuse_non_empty(connection, media_root)
    dump = source / DUMP_NAMES[vendor]
    if vendor == "sqlite":
        restore_sqlite(connection, dump)
    else:
        restore_postgresql(connection, dump)
    if force:
        shutil.rmtree(media_root, ignore_errors=True)
    private_folder(media_root)
    files = restore_files(source, manifest, media_root, data_dir)
    return RestoreResult(vendor, files, manifest.get("created_at", ""), pending)
