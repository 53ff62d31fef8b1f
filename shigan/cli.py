"""The `shigan` command: every operator action.

    shigan demo  [--data-dir DIR] [--port N] [--no-serve]
    shigan serve [--data-dir DIR] [--host H] [--port N] [--workers N]
    shigan <Django command> ...      e.g. migrate, createsuperuser, check, demo_load, help

Configuration comes from the environment, the same for every command (see shigan/settings.py):
SHIGAN_DATA_DIR, DATABASE_URL, SHIGAN_SECRET_KEY, SHIGAN_ALLOWED_HOSTS, SHIGAN_DEBUG …;
`--data-dir` only sets SHIGAN_DATA_DIR.

`shigan demo` always uses SQLite (it ignores DATABASE_URL): it empties the demo folder's database,
writes a secret key there if none exists, migrates, loads the demo district, collects static files,
prints the URL and the demo accounts and serves with gunicorn + whitenoise. It refuses a folder
that holds a database but is not a demo folder.

The demo's date: the demo district is the 2023 campaign as of 2023-07-31. `shigan demo` writes that
date to DATA_DIR/demo_today. Every `shigan` command run on SQLite (DATABASE_URL unset) against a
data folder holding that file sets SHIGAN_TODAY from it, unless SHIGAN_TODAY is already set, so
every page computes status as of the demo's day (shigan.core.clock reads SHIGAN_TODAY).
"""

import argparse
import datetime
import os
import secrets
import shutil
import sys
from pathlib import Path

SETTINGS_MODULE = "shigan.settings"
DEMO_TODAY_FILE = "demo_today"
SQLITE_NAME = "shigan.sqlite3"  # as shigan.settings names the embedded database
DEFAULT_DEMO_DIR = "shigan-demo"
DEMO_TODAY = datetime.date(2023, 7, 31)


def data_dir() -> Path:
    """The data folder shigan.settings will use (SHIGAN_DATA_DIR, else ./shigan-data)."""
    return Path(os.environ.get("SHIGAN_DATA_DIR") or Path.cwd() / "shigan-data").resolve()


def set_data_dir(path: str | None) -> None:
    if path:
        os.environ["SHIGAN_DATA_DIR"] = str(Path(path).resolve())


def apply_demo_today() -> None:
    """Pin SHIGAN_TODAY from DATA_DIR/demo_today on SQLite, unless it is already set."""
    marker = data_dir() / DEMO_TODAY_FILE
    if os.environ.get("DATABASE_URL") or os.environ.get("SHIGAN_TODAY") or not marker.exists():
        return
    os.environ["SHIGAN_TODAY"] = marker.read_text().strip()


def setup_django() -> None:
    import django
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"配置错误：{exc}") from None


def ensure_secret_key(folder: Path) -> None:
    """A random secret key in folder/secret_key, readable by its owner only; kept if present."""
    key_file = folder / "secret_key"
    if key_file.exists():
        return
    key_file.touch(mode=0o600)
    key_file.write_text(secrets.token_urlsafe(50) + "\n")


def reset_demo_folder(folder: Path) -> None:
    """Delete the demo folder's database and uploads; refuse a folder that is not a demo's."""
    database = folder / SQLITE_NAME
    if database.exists() and not (folder / DEMO_TODAY_FILE).exists():
        raise SystemExit(
            f"{folder} 中已有数据库，但不是演示数据目录（缺少 {DEMO_TODAY_FILE}）。"
            "为避免覆盖正式数据，请用 --data-dir 指定另一个目录。"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        (folder / f"{SQLITE_NAME}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(folder / "media", ignore_errors=True)


def collect_static(*, only_if_missing: bool) -> None:
    """Run collectstatic (whitenoise's manifest storage needs it outside debug mode)."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    missing = not root.is_dir() or (manifest and not (root / manifest).exists())
    if missing or not only_if_missing:
        call_command("collectstatic", interactive=False, verbosity=0)


def check_database_ready() -> None:
    """Refuse to serve a missing database or one with unapplied migrations."""
    from django.conf import settings
    from django.db import DatabaseError, connection, connections
    from django.db.migrations.executor import MigrationExecutor

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not Path(db["NAME"]).exists():
        raise SystemExit(f"数据库 {db['NAME']} 不存在：请先运行 shigan migrate（或 shigan demo）。")
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise SystemExit(f"无法连接数据库：{exc}") from None
    finally:
        connections.close_all()
    if plan:
        raise SystemExit(f"数据库有 {len(plan)} 个迁移尚未执行：请先运行 shigan migrate。")


def run_gunicorn(*, host: str, port: int, workers: int) -> None:
    """Serve shigan.wsgi with gunicorn (threaded workers, access log on stdout)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class ShiganServer(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": 4,
                "accesslog": "-",
                "errorlog": "-",
                "timeout": 60,
                "graceful_timeout": 10,
                "proc_name": "shigan",
                # gunicorn ≥ 24 opens a control socket in ~/.gunicorn; not needed here.
                "control_socket_disable": True,
            }
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self):
            from shigan.wsgi import application

            return application

    # Workers are forked from this process: none may inherit an open database connection.
    connections.close_all()
    sys.stdout.flush()
    ShiganServer().run()


def demo(args: argparse.Namespace) -> int:
    """`shigan demo`: a fresh demo database, loaded, then served unless --no-serve."""
    if os.environ.pop("DATABASE_URL", None):
        print("演示始终使用 SQLite，已忽略 DATABASE_URL。")
    folder = Path(args.data_dir).resolve()
    os.environ["SHIGAN_DATA_DIR"] = str(folder)
    reset_demo_folder(folder)
    ensure_secret_key(folder)
    today = os.environ.setdefault("SHIGAN_TODAY", DEMO_TODAY.isoformat())
    (folder / DEMO_TODAY_FILE).write_text(today + "\n")
    setup_django()

    from django.core.management import call_command

    from shigan.demo.district import load_demo

    print(f"正在创建演示数据库：{folder / SQLITE_NAME}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    summary = load_demo(today=datetime.date.fromisoformat(today))
    collect_static(only_if_missing=False)
    print_demo_ready(summary, folder=folder, port=args.port, serving=not args.serve_off)
    if not args.serve_off:
        run_gunicorn(host="127.0.0.1", port=args.port, workers=2)
    return 0


def print_demo_ready(summary, *, folder: Path, port: int, serving: bool) -> None:
    print(
        f"\n实干演示已就绪：示范区 {summary.campaign}，状态按 {summary.today} 计算"
        f"（{summary.tasks}项任务、{summary.milestones}个节点、{summary.reports}条进展）。"
    )
    print(f"数据目录：{folder}")
    print(f"访问地址：http://127.0.0.1:{port}/")
    print("演示账号：")
    print(summary.accounts_table())
    if serving:
        print("按 Ctrl+C 停止服务。", flush=True)
    else:
        print(f"启动服务：shigan serve --data-dir {folder} --port {port}", flush=True)


def serve(args: argparse.Namespace) -> int:
    """`shigan serve`: gunicorn against the configured, migrated database."""
    set_data_dir(args.data_dir)
    apply_demo_today()
    setup_django()
    check_database_ready()
    collect_static(only_if_missing=True)
    if args.host not in {"127.0.0.1", "localhost"} and not os.environ.get("SHIGAN_ALLOWED_HOSTS"):
        print("提示：从其他机器访问时，请把服务器的域名或 IP 写入 SHIGAN_ALLOWED_HOSTS。")
    print(f"实干服务：http://{args.host}:{args.port}/  （按 Ctrl+C 停止）", flush=True)
    run_gunicorn(host=args.host, port=args.port, workers=args.workers)
    return 0


def django_command(argv: list[str]) -> int:
    """Any other subcommand goes to Django's management (`shigan migrate` …)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    apply_demo_today()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    try:
        execute_from_command_line(["shigan", *argv])
    except ImproperlyConfigured as exc:
        raise SystemExit(f"配置错误：{exc}") from None
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shigan",
        description="实干：作风建设与工作督办平台。配置取自环境变量（SHIGAN_DATA_DIR、DATABASE_URL 等）。",
        epilog="其余子命令交给 Django 管理命令执行，例如 shigan migrate、shigan createsuperuser、"
        "shigan check、shigan demo_load；shigan help 列出全部。",
    )
    commands = parser.add_subparsers(dest="command", metavar="{demo,serve,<Django 命令>}")
    p_demo = commands.add_parser("demo", help="新建演示数据库、载入示范区演示数据并启动服务")
    p_demo.add_argument(
        "--data-dir", default=DEFAULT_DEMO_DIR, help=f"演示数据目录（默认 ./{DEFAULT_DEMO_DIR}）"
    )
    p_demo.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p_demo.add_argument(
        "--no-serve", dest="serve_off", action="store_true", help="只准备数据，不启动服务"
    )
    p_demo.set_defaults(func=demo)
    p_serve = commands.add_parser("serve", help="用 gunicorn 为已迁移的数据库提供服务")
    p_serve.add_argument("--data-dir", help="数据目录（设置 SHIGAN_DATA_DIR）")
    p_serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p_serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p_serve.add_argument("--workers", type=int, default=2, help="工作进程数（默认 2）")
    p_serve.set_defaults(func=serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "check-report":
        # The checker needs no database or settings: a configuration problem must not look like
        # exit status 1 ("the report has an inconsistency").
        from shigan.reports.checker.cli import main as check_report

        return check_report(argv[1:])
    if argv and argv[0] not in {"demo", "serve", "-h", "--help"}:
        return django_command(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
