"""Production settings (README 安全): SHIGAN_HTTPS=1 makes `shigan check --deploy` clean; signed-in
answers and downloads are never cached; a session idle for 2 hours is signed out; the data
folder's database (with its -wal/-shm files) and uploads are readable by their owner only."""

import datetime
import json
import os
import secrets
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shigan.core.middleware import SEEN, SEEN_REFRESH
from shigan.tasks.services.progress import progress_submit

SHIGAN = str(Path(sys.executable).with_name("shigan"))


def run(args, folder: Path, **env) -> subprocess.CompletedProcess:
    """`shigan ARGS` (or python -c) in a clean environment: no test settings, a given folder."""
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(folder),
        "SHIGAN_DATA_DIR": str(folder / "data"),
        "SHIGAN_SECRET_KEY": secrets.token_urlsafe(50),
        **env,
    }
    return subprocess.run(args, env=environment, capture_output=True, text=True, timeout=120)


def test_check_deploy_warns_without_https_and_is_clean_with_shigan_https(tmp_path):
    plain = run([SHIGAN, "check", "--deploy"], tmp_path)
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in plain.stderr + plain.stdout
    secured = run(
        [SHIGAN, "check", "--deploy", "--fail-level", "WARNING"], tmp_path, SHIGAN_HTTPS="1"
    )
    assert secured.returncode == 0, secured.stderr
    assert "System check identified no issues" in secured.stdout


SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER"]
print(json.dumps({n: getattr(settings, n) for n in names}))
"""


def test_shigan_https_turns_on_redirect_hsts_for_a_year_secure_cookies_and_the_proxy_header(
    tmp_path,
):
    args = [sys.executable, "-c", SHOW_SETTINGS]
    env = {"DJANGO_SETTINGS_MODULE": "shigan.settings"}
    on = json.loads(run(args, tmp_path, SHIGAN_HTTPS="1", **env).stdout)
    assert on == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    off = json.loads(run(args, tmp_path, **env).stdout)
    assert off["SECURE_SSL_REDIRECT"] is False and off["SESSION_COOKIE_SECURE"] is False


@pytest.fixture
def evidence(world, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    settings.MEDIA_ROOT = tmp_path / "media"
    report = progress_submit(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        by=world.reporter_a,
        text="现场照片",
        milestones_reached={},
        uploads=[SimpleUploadedFile("现场.pdf", b"%PDF-1.4\n")],
    )
    return report.evidence.get()


def test_signed_in_pages_and_downloads_are_not_stored_static_files_are(
    world, client_for, evidence, client
):
    reporter = client_for(world.reporter_a)
    page = reporter.get(reverse("dashboards:battle_map"))
    download = reporter.get(f"/tasks/evidence/{evidence.pk}/")
    for response in (page, download):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    assert "no-store" not in reporter.get("/static/shigan/app.css").get("Cache-Control", "")
    assert "no-store" not in reporter.get("/favicon.ico").get("Cache-Control", "")


def test_uploads_are_readable_by_their_owner_only(evidence, tmp_path):
    path = Path(evidence.file.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    folder = path.parent
    while folder != tmp_path:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent


def _age_session(client, seconds: int) -> None:
    session = client.session
    session[SEEN] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_for_two_hours_is_signed_out_with_a_message(world, client_for, settings):
    assert settings.SESSION_IDLE_SECONDS == 2 * 3600
    reporter = client_for(world.reporter_a)
    _age_session(reporter, 2 * 3600 - 30)
    assert reporter.get(reverse("dashboards:battle_map")).status_code == 200
    _age_session(reporter, 2 * 3600 + 1)
    response = reporter.get(reverse("dashboards:battle_map"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "您已超过2小时未操作，为安全起见已自动退出" in response.content.decode()
    assert reporter.get(reverse("dashboards:battle_map")).status_code == 302


def test_the_idle_clock_is_written_at_most_every_five_minutes(world, client_for):
    assert SEEN_REFRESH == 300
    reporter = client_for(world.reporter_a)
    seen = reporter.session[SEEN]
    reporter.get(reverse("dashboards:battle_map"))
    assert reporter.session[SEEN] == seen
    _age_session(reporter, 301)
    reporter.get(reverse("dashboards:battle_map"))
    assert reporter.session[SEEN] >= time.time() - 5


WRITE_AND_STAT = """
import json, os, stat, django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.conf import settings
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (x int)")
    cursor.execute("INSERT INTO probe VALUES (1)")
name = default_storage.save("evidence/2023/现场.pdf", ContentFile(b"%PDF-1.4"))
data = settings.DATA_DIR
paths = {
    "data": data, "db": data / "shigan.sqlite3", "wal": data / "shigan.sqlite3-wal",
    "shm": data / "shigan.sqlite3-shm", "secret": data / "secret_key",
    "media": settings.MEDIA_ROOT, "upload_dir": settings.MEDIA_ROOT / "evidence" / "2023",
    "upload": settings.MEDIA_ROOT / name,
}
print(json.dumps({k: oct(stat.S_IMODE(os.stat(p).st_mode)) for k, p in paths.items()}))
"""


def test_the_database_its_wal_and_shm_and_uploads_are_the_owners_only(tmp_path):
    """Under a permissive shell umask (022), after `shigan migrate` and a write."""
    old = os.umask(0o022)
    try:
        assert run([SHIGAN, "migrate", "-v", "0"], tmp_path, SHIGAN_SECRET_KEY="").returncode == 0
        modes = run(
            [sys.executable, "-c", WRITE_AND_STAT],
            tmp_path,
            SHIGAN_SECRET_KEY="",
            DJANGO_SETTINGS_MODULE="shigan.settings",
        )
    finally:
        os.umask(old)
    assert json.loads(modes.stdout) == {
        "data": "0o700",
        "db": "0o600",
        "wal": "0o600",
        "shm": "0o600",
        "secret": "0o600",
        "media": "0o700",
        "upload_dir": "0o700",
        "upload": "0o600",
    }, modes.stderr
