"""Where a benchmark's data lives and how its process is configured (before Django starts).

Each scale gets its own data folder, /tmp/shigan-bench-<label> (SQLite database, secret key,
collected static files), so nothing collides with tests or a real installation. DATABASE_URL,
when set, is used instead of SQLite; `--postgres` sets it to a database of its own per scale on
127.0.0.1:5432 (user postgres) and creates that database if missing.

Every benchmark process pins the date (SHIGAN_TODAY) to BENCH_TODAY so statuses, and therefore
figures, are the same on every run.
"""

import argparse
import os
from pathlib import Path

from .shapes import Shape, shape_from_args

BENCH_TODAY = "2023-10-31"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def add_shape_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark command shares: which data set, in which database."""
    parser.add_argument("--scale", choices=["district", "city", "province"], default="district")
    parser.add_argument("--tasks", type=int, help="tasks per district (custom shape)")
    parser.add_argument(
        "--reports-per-task", type=int, help="progress reports per task (custom shape)"
    )
    parser.add_argument(
        "--concerns", type=int, help="people's concerns per district (custom shape; default 3000)"
    )
    parser.add_argument("--data-dir", help="data folder (default /tmp/shigan-bench-<label>)")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"use PostgreSQL at {PG_SERVER}/shigan_bench_<label> (created if missing)",
    )


def data_dir_for(shape: Shape, explicit: str | None) -> Path:
    return Path(explicit or f"/tmp/shigan-bench-{shape.label}").resolve()


def _ensure_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def configure(args: argparse.Namespace) -> Shape:
    """Set the environment for `args` (data folder, database, date, secret) and start Django."""
    from shigan.cli import ensure_secret_key, setup_django

    shape = shape_from_args(args)
    folder = data_dir_for(shape, args.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SHIGAN_DATA_DIR"] = str(folder)
    os.environ["SHIGAN_TODAY"] = BENCH_TODAY
    os.environ.pop("SHIGAN_DEBUG", None)
    if args.postgres:
        name = f"shigan_bench_{shape.label.replace('-', '_')}"
        _ensure_pg_database(name)
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    ensure_secret_key(folder)
    setup_django()
    return shape


def migrate() -> None:
    """Apply migrations the data set lacks (the tree may have gained some since it was made)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def database_label() -> str:
    """ "sqlite 3.40.1" or "postgresql 15.x": the vendor and server version in use."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        import sqlite3

        return f"sqlite {sqlite3.sqlite_version}"
    version = connection.cursor().connection.info.server_version
    return f"{connection.vendor} {version // 10000}.{version % 10000}"
