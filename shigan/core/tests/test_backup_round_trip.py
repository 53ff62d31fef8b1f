"""A backup taken while a writer submits progress reports is consistent (every report has its
evidence row, its file and its audit entry; every row it holds is the source's row), and a
backup restored onto an empty instance is identical to the source: every row of every table,
timestamps to the microsecond, every uploaded file's bytes. SQLite: the source is a real WAL
data folder written by another process, backed up and restored with the `shigan` command.
PostgreSQL: the test database, written by a thread, dumped with pg_dump."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from shigan.core.backup import backup_create
from shigan.core.restore import backup_restore
from shigan.testing import build_world

from .backup_support import (
    consistency_problems,
    folder_bytes,
    submit_reports,
    updated_tables,
    wrapper_rows,
)

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))
TODAY = "2023-07-20"  # July is open for reports


def assert_subset_of_source(restored: dict, source: dict, updated: set[str]) -> None:
    """Every row the restored database holds is the source's row, byte for byte; in the tables
    the writer updates (not only appends to), the row is at least there."""
    assert restored.keys() == source.keys()
    for table, rows in restored.items():
        missing = set(rows) - set(source[table])
        assert not missing, f"{table}: rows not in the source: {sorted(missing)[:3]}"
        if table not in updated:
            changed = [key for key, row in rows.items() if source[table][key] != row]
            assert not changed, f"{table}: rows unlike the source's: {changed[:3]}"


def assert_writer_ran_during(commit_times: list[float], started: float, finished: float) -> None:
    during = [moment for moment in commit_times if started < moment < finished]
    assert during, "no report was committed while the backup ran"
    assert any(moment > finished for moment in commit_times), "the writer stopped too early"


def sqlite_wrapper(path: Path, alias: str) -> SQLiteWrapper:
    settings_dict = {**connection.settings_dict, "NAME": str(path)}
    settings_dict["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
    }
    return SQLiteWrapper(settings_dict, alias=alias)


def microseconds(wrapper) -> set[int]:
    """The non-zero microseconds of the reports' submission times."""
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT submitted_at FROM tasks_progressreport")
        return {row[0].microsecond for row in cursor.fetchall()} - {0}


def shigan(*args: str, env: dict) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "shigan.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite data folder's round trip")
@pytest.mark.django_db
def test_sqlite_backup_while_a_writer_submits_restores_identically(tmp_path):
    source, stop = tmp_path / "source", tmp_path / "stop"
    source.mkdir(mode=0o700)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"SHIGAN_TODAY": TODAY, "SHIGAN_SECRET_KEY": "backup-test", "SHIGAN_TESTING": "1"}
    writer = subprocess.Popen(
        [sys.executable, "-m", "shigan.core.tests.backup_writer", str(stop)],
        env=env | {"SHIGAN_DATA_DIR": str(source)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        for _ in range(3):
            writer.stdout.readline()
        source_db = sqlite_wrapper(source / "shigan.sqlite3", "backup_source")
        before = wrapper_rows(source_db)
        started = time.monotonic()
        made = shigan("backup", str(tmp_path / "during"), "--data-dir", str(source), env=env)
        finished = time.monotonic()
        time.sleep(0.5)
    finally:
        stop.touch()
        rest, _ = writer.communicate(timeout=60)
    assert made.returncode == 0, made.stderr
    assert "备份完成" in made.stdout
    commits = [float(line.split()[1]) for line in rest.splitlines()]
    assert_writer_ran_during(commits, started, finished)

    restored = tmp_path / "restored"  # a fresh folder: restore creates it
    back = shigan("restore", str(tmp_path / "during"), "--data-dir", str(restored), env=env)
    assert back.returncode == 0, back.stderr
    restored_db = sqlite_wrapper(restored / "shigan.sqlite3", "backup_restored")
    source_rows, restored_rows = wrapper_rows(source_db), wrapper_rows(restored_db)
    assert_subset_of_source(restored_rows, source_rows, updated_tables(before, source_rows))
    assert (
        3 <= len(restored_rows["tasks_progressreport"]) < len(source_rows["tasks_progressreport"])
    )
    with restored_db.cursor() as cursor:
        assert consistency_problems(cursor, restored / "media") == []
    assert (restored / "shigan.sqlite3").stat().st_mode & 0o777 == 0o600
    # The tamper-evident chain survives: the restored snapshot verifies, links and rows alike.
    verified = shigan("audit", "verify", "--data-dir", str(restored), env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    source_files = folder_bytes(source / "media")
    for name, content in folder_bytes(restored / "media").items():
        assert source_files[name] == content

    # Quiet now: a second backup restores to exactly the source.
    again = tmp_path / "again"
    backup_create(
        destination=tmp_path / "quiet",
        connection=source_db,
        media_root=source / "media",
        data_dir=source,
    )
    backup_restore(
        source=tmp_path / "quiet",
        connection=sqlite_wrapper(again / "shigan.sqlite3", "backup_again"),
        media_root=again / "media",
        data_dir=again,
    )
    again_db = sqlite_wrapper(again / "shigan.sqlite3", "backup_check")
    assert wrapper_rows(again_db) == source_rows
    assert microseconds(again_db)
    assert folder_bytes(again / "media") == source_files
    again_db.close()
    source_db.close()
    restored_db.close()


@pytest.fixture
def pg_target():
    """A second, empty PostgreSQL database beside the test database; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    target = connection.copy(alias="backup_restored")
    target.settings_dict["NAME"] = name
    yield target
    target.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_while_a_writer_submits_restores_identically(
    tmp_path, settings, monkeypatch, pg_target
):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    settings.MEDIA_ROOT = media = tmp_path / "media"
    world = build_world()
    stop, commits, lock = threading.Event(), [], threading.Lock()

    def committed(pk):
        with lock:
            commits.append(time.monotonic())

    def write():
        try:
            submit_reports(world, stop=stop.is_set, committed=committed)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(commits) < 3 and writer.is_alive():
            time.sleep(0.05)
        before = wrapper_rows(connection)
        started = time.monotonic()
        backup_create(destination=tmp_path / "during", media_root=media, data_dir=tmp_path)
        finished = time.monotonic()
        time.sleep(0.5)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert_writer_ran_during(commits, started, finished)

    restored_media = tmp_path / "restored" / "media"
    backup_restore(
        source=tmp_path / "during",
        connection=pg_target,
        media_root=restored_media,
        data_dir=tmp_path / "restored",
    )
    source_rows, restored_rows = wrapper_rows(connection), wrapper_rows(pg_target)
    assert_subset_of_source(restored_rows, source_rows, updated_tables(before, source_rows))
    assert (
        3 <= len(restored_rows["tasks_progressreport"]) < len(source_rows["tasks_progressreport"])
    )
    with pg_target.cursor() as cursor:
        assert consistency_problems(cursor, restored_media) == []
    source_files = folder_bytes(media)
    for name, content in folder_bytes(restored_media).items():
        assert source_files[name] == content

    # Quiet now: a second backup, restored over the first with force, is exactly the source.
    backup_create(destination=tmp_path / "quiet", media_root=media, data_dir=tmp_path)
    backup_restore(
        source=tmp_path / "quiet",
        connection=pg_target,
        media_root=restored_media,
        data_dir=tmp_path / "restored",
        force=True,
    )
    assert wrapper_rows(pg_target) == source_rows
    assert microseconds(pg_target)
    assert folder_bytes(restored_media) == source_files
