"""What `shigan backup` writes into its manifest, and what `shigan restore` refuses before it
touches anything: a tampered, incomplete or foreign backup, one from newer code, and an instance
that already holds data or uploads."""

import datetime
import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from shigan.core.backup import DUMP_NAMES
from shigan.core.restore import accounts_in
from shigan.tasks.models import ProgressReport
from shigan.tasks.services.progress import progress_submit

# Committed rows, as on a running site: SQLite's backup API cannot copy a database from inside
# the connection's own open transaction (the test database is in memory, one connection).
pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()
PDF = "%PDF-1.4\n% 兴业大道现场照片\n".encode()


@pytest.fixture
def made(world, tmp_path, settings, monkeypatch):
    """A backup of the world with one evidence file; MEDIA_ROOT and DATA_DIR in tmp_path."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    progress_submit(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        by=world.reporter_a,
        text="路基施工完成三成",
        milestones_reached={},
        uploads=[SimpleUploadedFile("现场.pdf", PDF)],
    )
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    return folder


def evidence_path(folder) -> str:
    [path] = [p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf")]
    return path


def refusal(folder, *options) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("restore", str(folder), *options)
    return str(raised.value)


def test_backup_holds_the_database_every_upload_and_a_manifest_of_checksums(made):
    manifest = json.loads((made / "manifest.json").read_text())
    database = manifest["database"]
    assert database["vendor"] == connection.vendor
    assert database["path"] == DUMP_NAMES[connection.vendor]
    dump = (made / database["path"]).read_bytes()
    assert database["sha256"] == hashlib.sha256(dump).hexdigest()
    [entry] = manifest["files"]
    assert entry["path"].startswith("media/evidence/") and entry["path"].endswith("现场.pdf")
    assert entry == {
        "path": entry["path"],
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }
    assert (made / entry["path"]).read_bytes() == PDF
    assert ["tasks", "0001_initial"] in manifest["migrations"]
    assert manifest["shigan_version"]
    assert datetime.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert (made / database["path"]).stat().st_mode & 0o777 == 0o600
    assert made.stat().st_mode & 0o777 == 0o700


def test_backup_refuses_a_folder_that_is_not_empty(made):
    with pytest.raises(CommandError, match="已存在且不是空目录"):
        call_command("backup", str(made))


def test_restore_refuses_a_changed_upload_naming_it(made):
    path = evidence_path(made)
    (made / path).write_bytes(PDF.replace(b"1.4", b"1.5"))
    message = refusal(made)
    assert f"文件 {path} 与清单中的 SHA-256 校验和不符" in message
    assert "拒绝恢复" in message


def test_restore_refuses_a_changed_database_dump_naming_it(made):
    dump = made / DUMP_NAMES[connection.vendor]
    dump.write_bytes(dump.read_bytes() + b"\0")
    assert f"文件 {dump.name} 与清单中的 SHA-256 校验和不符" in refusal(made)


def test_restore_refuses_a_missing_upload_naming_it(made):
    path = evidence_path(made)
    (made / path).unlink()
    assert f"缺少文件 {path}" in refusal(made)


def test_restore_refuses_a_file_the_manifest_does_not_list(made):
    (made / "media" / "evidence" / "extra.pdf").write_bytes(PDF)
    assert "文件 media/evidence/extra.pdf 不在清单中" in refusal(made)


def test_restore_refuses_an_interrupted_backup_without_manifest(made):
    (made / "manifest.json").unlink()
    assert "备份不完整" in refusal(made)


def test_restore_refuses_a_backup_of_newer_code(made):
    manifest = json.loads((made / "manifest.json").read_text())
    manifest["migrations"].append(["tasks", "9999_from_the_future"])
    (made / "manifest.json").write_text(json.dumps(manifest))
    assert "tasks.9999_from_the_future 本程序没有" in refusal(made)


def test_restore_refuses_a_backup_of_the_other_database(made):
    manifest = json.loads((made / "manifest.json").read_text())
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest["database"]["vendor"] = other
    (made / "manifest.json").write_text(json.dumps(manifest))
    assert "这份备份是" in refusal(made)


def test_restore_refuses_an_instance_holding_data_and_uploads_and_touches_nothing(made, tmp_path):
    path = evidence_path(made)
    message = refusal(made)
    assert f"已有{User.objects.count()}个账号及其数据" in message
    assert f"上传目录 {tmp_path / 'media'} 已有1个文件" in message
    assert "--force" in message
    assert ProgressReport.objects.count() == 1
    assert (tmp_path / path).read_bytes() == PDF


def test_a_freshly_migrated_database_counts_as_empty():
    assert accounts_in(connection) == 0


def listed(folder, relative: str, content: bytes) -> None:
    """Add `relative` to the manifest with the checksum of `content` (as a forger would)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    entry = {"path": relative, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    manifest["files"].append(entry)
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_restore_refuses_a_symbolic_link_in_the_backup(made, tmp_path):
    # Restore reads through a link: a file of the machine (say /etc/shadow) would become an
    # upload the app serves. A backup never holds links (copy_media skips them).
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not for the app")
    (made / "media" / "evidence" / "host.txt").symlink_to(outside)
    listed(made, "media/evidence/host.txt", b"not for the app")
    (made / "media" / "linked").symlink_to(tmp_path, target_is_directory=True)
    listed(made, "media/linked/outside.txt", b"not for the app")
    message = refusal(made)
    assert "media/evidence/host.txt 是符号链接" in message
    assert "media/linked/outside.txt 是符号链接" in message


def test_restore_writes_only_uploads_and_the_files_a_backup_holds(made, tmp_path):
    # Outside media/ a backup holds the database and demo_today: a manifest listing the data
    # folder's secret_key (or any other name) would replace it on restore.
    (made / "secret_key").write_bytes(b"chosen-by-whoever-wrote-the-backup")
    listed(made, "secret_key", b"chosen-by-whoever-wrote-the-backup")
    assert "清单中的路径“secret_key”不合法" in refusal(made)
