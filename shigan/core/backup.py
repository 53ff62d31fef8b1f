"""Backups: a consistent online snapshot of the database and every uploaded file.

`backup_create` writes into a new, empty folder:

    manifest.json        format, Shigan version, time, database vendor, applied migrations,
                         and the size and SHA-256 of every other file of the backup
    database.sqlite3     SQLite: a copy made with SQLite's online backup API, or
    database.pgdump      PostgreSQL: pg_dump's custom format
    media/…              every file under MEDIA_ROOT (uploaded evidence, meeting files …)
    demo_today           the data folder's demo date, when it has one

The database is copied from one snapshot while the site keeps running (SQLite's backup API
reads one consistent state; pg_dump runs inside a REPEATABLE READ transaction whose snapshot
it shares with the query that lists the stored files). The files are copied after that snapshot:
a stored file is written before its row commits, so every row in the snapshot finds its file
(files added later come along as harmless extras; a row whose file was already missing from the
server is listed under `missing_files`). manifest.json is written last: a folder without it is
an interrupted backup, and restore refuses it. The backup is readable by its owner only.

`backup_verify` checks a backup folder against its manifest; restore (core/restore.py) does it
before touching anything.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection as default_connection
from django.db import models

FORMAT = "shigan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
# Files of the data folder that travel with the database (cli.DEMO_TODAY_FILE).
EXTRA_FILES = ("demo_today",)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


def shigan_version() -> str:
    try:
        return metadata.version("shigan")
    except metadata.PackageNotFoundError:
        return "unknown"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def private_folder(folder: Path) -> None:
    """Create folder and any missing parents, each readable by its owner only."""
    if not folder.is_dir():
        private_folder(folder.parent)
        folder.mkdir(mode=0o700, exist_ok=True)


def private_copy(source: Path, target: Path) -> dict:
    """Copy source to target (0600, parents 0700, modification time kept); its manifest entry
    (size and SHA-256 of the bytes written, read in the same pass)."""
    private_folder(target.parent)
    digest, size = hashlib.sha256(), 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with source.open("rb") as reader, os.fdopen(fd, "wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    shutil.copystat(source, target)
    os.chmod(target, 0o600)
    return {"size": size, "sha256": digest.hexdigest()}


def entry_for(folder: Path, path: Path) -> dict:
    return {
        "path": path.relative_to(folder).as_posix(),
        "size": path.stat().st_size,
        "sha256": file_digest(path),
    }


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of every concrete model."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append((model._meta.db_table, field.column))
    return found


def snapshot_facts(cursor, quote) -> dict:
    """The applied migrations and the stored file names, read from the snapshot."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied = [list(row) for row in cursor.fetchall()]
    names: set[str] = set()
    for table, column in file_columns():
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")
        names.update(row[0] for row in cursor.fetchall())
    return {"migrations": applied, "file_names": sorted(names)}


def quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def prepare_destination(destination: Path) -> None:
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(
            f"备份目录 {destination} 已存在且不是空目录：请指定一个新目录"
            "（例如按日期命名：/srv/shigan-backups/$(date +%F)），不会覆盖已有备份。"
        )
    try:
        destination.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建备份目录 {destination}：{exc.strerror}。") from None
    os.chmod(destination, 0o700)


def dump_sqlite(connection, target: Path) -> dict:
    """Copy the SQLite database with the online backup API; facts read from the copy."""
    in_memory = connection.is_in_memory_db()  # the test database
    if in_memory:
        connection.ensure_connection()
        source = connection.connection
    else:
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # A plain rollback-journal file: restore is then a single file, no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        return snapshot_facts(copy.cursor(), quote_sqlite)
    finally:
        copy.close()
        if not in_memory:
            source.close()


def pg_environment(settings_dict: dict) -> dict:
    """libpq's environment for pg_dump/pg_restore: the password never on the command line."""
    env = dict(os.environ)
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": settings_dict.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in pairs.items() if value})
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"找不到 {name}：请安装 PostgreSQL 客户端（postgresql-client，版本不低于数据库服务器）。"
        )
    return path


def run_pg_tool(command: list[str], settings_dict: dict, what: str) -> None:
    result = subprocess.run(
        command, env=pg_environment(settings_dict), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()
        raise BackupError(f"{what}失败（{' '.join(detail[-3:]) or result.returncode}）。")


def dump_postgresql(connection, target: Path) -> dict:
    """pg_dump (custom format) of the snapshot a REPEATABLE READ transaction exported; the same
    transaction reads the migrations and the stored file names."""
    pg_dump = pg_tool("pg_dump")
    reader = connection.copy()
    try:
        with reader.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            command = [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
            run_pg_tool(command, reader.settings_dict, "pg_dump 导出数据库")
            facts = snapshot_facts(cursor, reader.ops.quote_name)
            cursor.execute("COMMIT")
    finally:
        reader.close()
    os.chmod(target, 0o600)
    return facts


def copy_media(media_root: Path, destination: Path) -> list[dict]:
    entries = []
    if not media_root.is_dir():
        return entries
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(media_root).as_posix()
            written = private_copy(path, destination / MEDIA / relative)
            entries.append({"path": f"{MEDIA}/{relative}", **written})
    return entries


def backup_create(
    *,
    destination: Path,
    connection=None,
    media_root: Path | None = None,
    data_dir: Path | None = None,
) -> dict:
    """Write a backup of the database and MEDIA_ROOT into `destination` (new or empty); return
    its manifest. Raises BackupError with a Chinese message when it cannot."""
    connection = connection or default_connection
    media_root = Path(media_root or settings.MEDIA_ROOT)
    data_dir = Path(data_dir or settings.DATA_DIR)
    destination = Path(destination).resolve()
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"不支持备份 {vendor} 数据库：只支持 SQLite 和 PostgreSQL。")
    started = datetime.datetime.now(datetime.UTC)
    prepare_destination(destination)
    dump = destination / DUMP_NAMES[vendor]
    if vendor == "sqlite":
        facts = dump_sqlite(connection, dump)
    else:
        facts = dump_postgresql(connection, dump)
    files = copy_media(media_root, destination)
    copied = {entry["path"].removeprefix(f"{MEDIA}/") for entry in files}
    extras = [
        {"path": name, **private_copy(data_dir / name, destination / name)}
        for name in EXTRA_FILES
        if (data_dir / name).is_file()
    ]
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "shigan_version": shigan_version(),
        "created_at": started.isoformat(),
        "finished_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": {"vendor": vendor, **entry_for(destination, dump)},
        "migrations": facts["migrations"],
        "files": files + extras,
        "missing_files": [name for name in facts["file_names"] if name not in copied],
    }
    write_manifest(destination, manifest)
    return manifest


def write_manifest(destination: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    fd, temporary = tempfile.mkstemp(dir=destination, prefix=".manifest-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, destination / MANIFEST)


def read_manifest(source: Path) -> dict:
    if not source.is_dir():
        raise BackupError(f"备份目录 {source} 不存在。")
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"备份不完整：{source} 中没有 {MANIFEST}（备份可能中途中断），不能用于恢复。"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BackupError(
            f"备份的清单 {path} 无法读取（不是有效的 JSON），不能用于恢复。"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} 不是实干的备份清单，不能用于恢复。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本{manifest.get('format_version')}不受本程序支持"
            f"（支持{FORMAT_VERSION}）：请用生成该备份的实干版本恢复。"
        )
    return manifest


def _linked(source: Path, relative: PurePosixPath) -> bool:
    """Whether the path or a folder on the way is a symbolic link: restore would read through
    it (a file of the machine becoming an upload). A backup never writes one."""
    path = source
    for part in relative.parts:
        path = path / part
        if path.is_symlink():
            return True
    return False


def entry_problem(source: Path, entry: dict) -> str | None:
    """What is wrong with one manifest entry: a path outside media/ other than the files a
    backup writes, a link, a missing file or one whose size or SHA-256 differs."""
    relative = str(entry.get("path", ""))
    pure = PurePosixPath(relative)
    known = pure.parts[:1] == (MEDIA,) or relative in (*EXTRA_FILES, *DUMP_NAMES.values())
    if not relative or pure.is_absolute() or ".." in pure.parts or not known:
        return f"清单中的路径“{relative}”不合法"
    path = source / relative
    if _linked(source, pure):
        return f"文件 {relative} 是符号链接（备份中不应有链接）"
    if not path.is_file():
        return f"缺少文件 {relative}"
    if path.stat().st_size != entry.get("size") or file_digest(path) != entry.get("sha256"):
        return f"文件 {relative} 与清单中的 SHA-256 校验和不符（已被改动或损坏）"
    return None


def backup_verify(source: Path) -> dict:
    """The manifest of the backup in `source`, after checking every file's size and SHA-256 and
    that no file was added; BackupError naming each file that fails."""
    source = Path(source).resolve()
    manifest = read_manifest(source)
    database = manifest.get("database") or {}
    if database.get("vendor") not in DUMP_NAMES:
        raise BackupError(f"{source / MANIFEST} 没有写明数据库类型，不能用于恢复。")
    entries = [database, *manifest.get("files", [])]
    problems = [problem for entry in entries if (problem := entry_problem(source, entry))]
    listed = {str(entry.get("path")) for entry in entries} | {MANIFEST}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_file() and relative not in listed:
            problems.append(f"文件 {relative} 不在清单中（备份被加入了文件）")
    if problems:
        shown = "；".join(problems[:10]) + (
            f"；等共{len(problems)}处" if len(problems) > 10 else ""
        )
        raise BackupError(f"备份 {source} 校验未通过，拒绝恢复：{shown}。")
    return manifest
