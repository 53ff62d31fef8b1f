"""PostgreSQL's JIT is off on Shigan's connections (settings: the indicators' lower-tree
statement was compiled on every request, 2.25 s of 2.47 s at province scale), unless the
DATABASE_URL's own ?options= says otherwise."""

import os
import subprocess
import sys

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's JIT; SQLite has none"
)

SHOW_JIT = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SHOW jit")
    print(cursor.fetchone()[0])
"""


def jit_with(url: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SHIGAN_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "shigan.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", SHOW_JIT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.django_db
def test_the_test_connection_runs_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_a_url_without_options_turns_jit_off_and_its_own_options_are_kept():
    # the test database (it exists for the session), reached by the URL's server and account
    server = os.environ["DATABASE_URL"].split("?")[0].rsplit("/", 1)[0]
    base = f"{server}/{connection.settings_dict['NAME']}"
    assert jit_with(base) == "off"
    assert jit_with(base + "?options=-c%20jit%3Don") == "on"
