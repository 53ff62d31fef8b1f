"""The `shigan` command: every operator action.

    shigan [--data-dir DIR] demo  [--port N] [--no-serve] [--no-worker]
    shigan [--data-dir DIR] serve [--host H] [--port N] [--workers N] [--no-worker]
    shigan [--data-dir DIR] worker [--batch] [--max-tasks N] [--interval S]
    shigan [--data-dir DIR] <Django command> ...   e.g. migrate, createcoordinator, report, import
    shigan [--data-dir DIR] audit verify | seal    the tamper-evident chain (core/chain.py)
    shigan [--data-dir DIR] backup DIR | restore DIR [--force]   (core/backup.py, core/restore.py)
    shigan [--data-dir DIR] exchange id | peer add|list | export | import   packages between a
                                                   county's and a district's installations (exchange/)
    shigan check-report FILE [--json]              needs no database or settings
    shigan check-report --corpus [--summary]      the checker measured on the real-report corpus

Configuration comes from the environment, the same for every command (see shigan/settings.py):
SHIGAN_DATA_DIR, DATABASE_URL, SHIGAN_SECRET_KEY, SHIGAN_ALLOWED_HOSTS, SHIGAN_DEBUG …;
`--data-dir DIR`, accepted anywhere before a bare `--`, only sets SHIGAN_DATA_DIR. Every command,
`shigan demo` included, uses one data folder: SHIGAN_DATA_DIR, else ./shigan-data.

A fresh install: `shigan migrate` creates the data folder (0700), a random secret key in
DATA_DIR/secret_key and the SQLite database file, both 0600, then migrates. Other commands need
an installed folder and say so in Chinese, naming the folder; `--help` of any command needs
neither a secret key nor a database. Database and file-system failures end in a one-line Chinese
message and exit status 1, not a traceback (SHIGAN_DEBUG=1 shows the traceback).

`shigan demo` always uses SQLite (it ignores DATABASE_URL): it empties the data folder's database,
writes a secret key there if none exists, migrates, loads the demo district, collects static files,
prints the URL and the demo accounts and serves with gunicorn + whitenoise. It refuses a folder
that holds a database but is not a demo folder.

The demo's date: the demo district is the 2023 campaign as of 2023-07-31. `shigan demo` writes that
date to DATA_DIR/demo_today, and once loaded a second line `campaign=ID`, the demo district's
(示范区) campaign. Every `shigan` command run on SQLite (DATABASE_URL unset) against a data folder
holding that file sets SHIGAN_TODAY from it, unless SHIGAN_TODAY is already set, so every page
computes status as of the demo's day (shigan.core.clock reads SHIGAN_TODAY), and
SHIGAN_DEMO_CLOCK=1 (what is filed is dated on the demo's day, shigan.core.clock), and
SHIGAN_DEMO_CAMPAIGN, the campaign `shigan report` and `shigan import` take when none is named and
the database holds several levels' (shigan.campaigns.operator).

A Django command's error (CommandError) is printed as its Chinese message alone on stderr, with
its exit status, without Django's "CommandError: " prefix (`--traceback` still shows the trace).

`shigan serve` and `shigan demo` also start `shigan worker` as a child process (large imports run
there, core/jobs.py) and stop it when they stop; `--no-worker` leaves it out, for an operator who
runs the workers under systemd (or with SHIGAN_TASKS_BACKEND=immediate, which needs none).
"""

import argparse
import atexit
import datetime
import errno
import math
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

SETTINGS_MODULE = "shigan.settings"
DEMO_TODAY_FILE = "demo_today"
DEMO_CAMPAIGN_KEY = "campaign="  # the marker's line naming the demo district's campaign
DEMO_CLOCK_ENV = "SHIGAN_DEMO_CLOCK"  # as shigan.core.clock reads it
DEMO_CAMPAIGN_ENV = "SHIGAN_DEMO_CAMPAIGN"  # as shigan.campaigns.operator reads it
SECRET_KEY_FILE = "secret_key"
SQLITE_NAME = "shigan.sqlite3"  # as shigan.settings names the embedded database
DEFAULT_DATA_DIR = "shigan-data"  # as shigan.settings defaults SHIGAN_DATA_DIR
DEMO_TODAY = datetime.date(2023, 7, 31)
# Lets settings load for `--help`, which prints text and never signs or reads anything.
HELP_ONLY_SECRET_KEY = "help-only-never-used-to-sign"
# Commands that print what the code says and touch no data folder (a fresh clone runs them).
CODE_ONLY_COMMANDS = {"api_schema"}
# Django commands that run without the database; any other needs an existing SQLite file.
NO_DATABASE_COMMANDS = {
    "check",
    "collectstatic",
    "compilemessages",
    "diffsettings",
    "findstatic",
    "makemessages",
    "makemigrations",
    "restore",  # onto a fresh folder: it brings the database file
    "sendtestemail",
    "startapp",
    "startproject",
}
OS_ERROR_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOTDIR: "路径中有一段是文件而不是目录",
    errno.EEXIST: "已有同名文件，不是目录",
    errno.EROFS: "文件系统只读",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
}


def data_dir() -> Path:
    """The data folder shigan.settings will use (SHIGAN_DATA_DIR, else ./shigan-data)."""
    return Path(os.environ.get("SHIGAN_DATA_DIR") or Path.cwd() / DEFAULT_DATA_DIR).resolve()


def set_data_dir(path: str | None) -> None:
    if path:
        os.environ["SHIGAN_DATA_DIR"] = str(Path(path).resolve())


def pop_data_dir(argv: list[str]) -> list[str]:
    """Take every `--data-dir DIR` / `--data-dir=DIR` before a bare `--` out of argv, setting
    SHIGAN_DATA_DIR, so the option works with every command, Django's included."""
    rest: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            rest += [arg, *args]
        elif arg == "--data-dir":
            value = next(args, None)
            if not value:
                raise SystemExit("--data-dir 后面需要一个目录。")
            set_data_dir(value)
        elif arg.startswith("--data-dir="):
            set_data_dir(arg.removeprefix("--data-dir=") or None)
        else:
            rest.append(arg)
    return rest


def asks_for_help(argv: list[str]) -> bool:
    options = argv[: argv.index("--")] if "--" in argv else argv
    return argv[0] in {"help", "version", "--version"} or bool({"-h", "--help"} & set(options))


def read_demo_marker(folder: Path) -> tuple[str, str | None] | None:
    """The demo day and the demo district's campaign id DATA_DIR/demo_today records (its first
    line, and a line `campaign=ID`); None when the folder is not a demo's."""
    marker = folder / DEMO_TODAY_FILE
    if not marker.exists():
        return None
    lines = marker.read_text().split()
    campaign = next(
        (x.removeprefix(DEMO_CAMPAIGN_KEY) for x in lines[1:] if x.startswith(DEMO_CAMPAIGN_KEY)),
        None,
    )
    return (lines[0] if lines else ""), campaign


def write_demo_marker(folder: Path, today: str, campaign_id: int | None = None) -> None:
    lines = [today] + ([f"{DEMO_CAMPAIGN_KEY}{campaign_id}"] if campaign_id is not None else [])
    (folder / DEMO_TODAY_FILE).write_text("\n".join(lines) + "\n")


def apply_demo_today() -> None:
    """On SQLite, from DATA_DIR/demo_today: pin SHIGAN_TODAY unless it is already set, and set
    SHIGAN_DEMO_CAMPAIGN (shigan.campaigns.operator)."""
    marker = read_demo_marker(data_dir())
    if os.environ.get("DATABASE_URL") or marker is None:
        return
    today, campaign = marker
    os.environ.setdefault("SHIGAN_TODAY", today)
    os.environ[DEMO_CLOCK_ENV] = "1"  # what is filed in the demo is dated on its day
    if campaign:
        os.environ[DEMO_CAMPAIGN_ENV] = campaign


def setup_django() -> None:
    import django
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"配置错误：{exc}") from None


def os_error_reason(exc: OSError) -> str:
    return OS_ERROR_REASONS.get(exc.errno, f"系统错误 {errno.errorcode.get(exc.errno, exc.errno)}")


def create_private_file(path: Path, content: str = "") -> None:
    """Create path readable by its owner only (0600); an existing file is kept as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as file:
        file.write(content)


def ensure_secret_key(folder: Path) -> None:
    """A random secret key in folder/secret_key, readable by its owner only; kept if present."""
    create_private_file(folder / SECRET_KEY_FILE, secrets.token_urlsafe(50) + "\n")


def prepare_data_dir(folder: Path) -> None:
    """A fresh install's data folder (0700) with its secret key and SQLite file (0600 each),
    or a Chinese message saying what to set instead."""
    sqlite = not os.environ.get("DATABASE_URL")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise SystemExit(
            f"无法创建数据目录 {folder}（{os_error_reason(exc)}）："
            "请用 SHIGAN_DATA_DIR（或 --data-dir）指定一个可写的目录。"
        ) from None
    try:
        if not os.environ.get("SHIGAN_SECRET_KEY"):
            ensure_secret_key(folder)
        if sqlite:
            create_private_file(folder / SQLITE_NAME)
    except OSError as exc:
        instead = "" if sqlite else "，或设置 SHIGAN_SECRET_KEY（一串随机字符）"
        raise SystemExit(
            f"无法在数据目录 {folder} 中写入文件（{os_error_reason(exc)}）："
            f"请用 SHIGAN_DATA_DIR（或 --data-dir）指定一个可写的目录{instead}。"
        ) from None


def require_sqlite_database() -> None:
    """Refuse, before SQLite silently creates an empty file, a database that does not exist."""
    from django.conf import settings

    database = Path(settings.DATABASES["default"]["NAME"])
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and not database.exists():
        raise SystemExit(
            f"数据库 {database} 不存在：新安装请先运行 shigan migrate（或 shigan demo）；"
            "数据在其他目录时请设置 SHIGAN_DATA_DIR（或加 --data-dir 目录）。"
        )


def database_error_message(exc: Exception) -> str:
    """One Chinese line for a database that cannot be reached or is not migrated."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        where = f"SQLite 数据库 {db['NAME']}"
        hint = "请检查数据目录（SHIGAN_DATA_DIR）是否存在、可写"
    else:
        where = (
            f"数据库 {db['NAME']}（{db.get('HOST') or 'localhost'}:{db.get('PORT') or '默认端口'}）"
        )
        hint = "请检查 DATABASE_URL，以及数据库服务是否已启动、可以访问"
    detail = next(iter(str(exc).strip().splitlines()), type(exc).__name__)
    if "no such table" in detail or ("relation" in detail and "does not exist" in detail):
        return f"{where}尚未初始化（{detail}）：请先运行 shigan migrate。"
    return f"无法使用{where}：{hint}。（数据库驱动报告：{detail}）"


def reset_demo_folder(folder: Path) -> None:
    """Delete the demo folder's database and uploads; refuse a folder that is not a demo's."""
    database = folder / SQLITE_NAME
    if database.exists() and not (folder / DEMO_TODAY_FILE).exists():
        raise SystemExit(
            f"{folder} 中已有数据库，但不是演示数据目录（缺少 {DEMO_TODAY_FILE}）。"
            "为避免覆盖正式数据，请用 --data-dir 指定另一个目录。"
        )
    if not folder.is_dir():
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        (folder / f"{SQLITE_NAME}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(folder / "media", ignore_errors=True)


def collect_static() -> None:
    """Run collectstatic (whitenoise's manifest storage needs it outside debug mode). Always,
    not only when the folder is empty: after an upgrade a file missing from the manifest makes
    every page that names it answer 500. Unchanged files are skipped (about 2 s)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def check_database_ready() -> None:
    """Refuse to serve a missing database or one with unapplied migrations."""
    from django.db import DatabaseError, connection, connections
    from django.db.migrations.executor import MigrationExecutor

    require_sqlite_database()
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise SystemExit(database_error_message(exc)) from None
    finally:
        connections.close_all()
    if plan:
        raise SystemExit(f"数据库有 {len(plan)} 个迁移尚未执行：请先运行 shigan migrate。")


def run_gunicorn(*, host: str, port: int, workers: int) -> None:
    """Serve shigan.wsgi with gunicorn (threaded workers, access log on stdout).

    Keep-alive is off (issue 18, benchmarks/workers.py): a kept-alive connection stays on the
    worker that accepted it, and a few busy clients then pile onto one worker (one core) while
    the other idles; closed after each response, every request is accepted afresh by whichever
    worker is free. The threads still serve slow clients without a buffering proxy in front."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class ShiganServer(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": 4,
                "keepalive": 0,
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
    """`shigan demo`: a fresh demo database in the data folder, loaded, then served unless
    --no-serve."""
    if os.environ.pop("DATABASE_URL", None):
        print("演示始终使用 SQLite，已忽略 DATABASE_URL。")
    folder = data_dir()
    os.environ["SHIGAN_DATA_DIR"] = str(folder)
    reset_demo_folder(folder)
    prepare_data_dir(folder)
    today = os.environ.setdefault("SHIGAN_TODAY", DEMO_TODAY.isoformat())
    os.environ[DEMO_CLOCK_ENV] = "1"
    write_demo_marker(folder, today)
    setup_django()

    from django.core.management import call_command

    from shigan.demo.district import load_demo

    print(f"正在创建演示数据库：{folder / SQLITE_NAME}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    summary = load_demo(today=datetime.date.fromisoformat(today))
    write_demo_marker(folder, today, summary.campaign.pk)
    collect_static()
    print_demo_ready(summary, folder=folder, port=args.port, serving=not args.serve_off)
    if not args.serve_off:
        start_worker(args)
        run_gunicorn(host="127.0.0.1", port=args.port, workers=2)
    return 0


def print_demo_ready(summary, *, folder: Path, port: int, serving: bool) -> None:
    print(
        f"\n实干演示已就绪：示范区 {summary.campaign}，状态按 {summary.today} 计算"
        f"（作战图共{summary.tasks}项任务、{summary.milestones}个节点、{summary.reports}条进展）。"
    )
    print(f"数据目录：{folder}")
    if folder == (Path.cwd() / DEFAULT_DATA_DIR).resolve():
        print(f"在 {Path.cwd()} 下运行的 shigan 命令（serve、report、import …）都使用这份数据。")
        option = ""
    else:
        print(f"其他 shigan 命令请加 --data-dir {folder}（或设置 SHIGAN_DATA_DIR）。")
        option = f" --data-dir {folder}"
    print(f"访问地址：http://127.0.0.1:{port}/")
    print("演示账号：")
    print(summary.accounts_table())
    if serving:
        print("按 Ctrl+C 停止服务。", flush=True)
    else:
        print(f"启动服务：shigan serve{option} --port {port}", flush=True)


def serve(args: argparse.Namespace) -> int:
    """`shigan serve`: gunicorn against the configured, migrated database."""
    apply_demo_today()
    setup_django()
    check_database_ready()
    collect_static()
    if args.host not in {"127.0.0.1", "localhost"} and not os.environ.get("SHIGAN_ALLOWED_HOSTS"):
        print("提示：从其他机器访问时，请把服务器的域名或 IP 写入 SHIGAN_ALLOWED_HOSTS。")
    print(f"实干服务：http://{args.host}:{args.port}/  （按 Ctrl+C 停止）", flush=True)
    start_worker(args)
    run_gunicorn(host=args.host, port=args.port, workers=args.workers)
    return 0


def worker_process_command() -> list[str]:
    """How serve and demo start `shigan worker` (same interpreter, same environment)."""
    return [sys.executable, "-m", "shigan.cli", "worker"]


def start_worker(args: argparse.Namespace) -> subprocess.Popen | None:
    """`shigan worker` as a child of serve/demo, terminated when this process exits (not when a
    gunicorn worker forked from it does); none with --no-worker or the immediate backend."""
    from django.conf import settings

    if args.no_worker or settings.TASKS_BACKEND == "immediate":
        return None
    child = subprocess.Popen(worker_process_command(), env=os.environ.copy())
    parent = os.getpid()
    print(f"后台任务进程已启动（shigan worker，进程号 {child.pid}）。", flush=True)

    def stop() -> None:
        if os.getpid() == parent and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop)
    return child


def worker(args: argparse.Namespace) -> int:
    """`shigan worker`: runs what `shigan remind --enqueue` queued, with the worker of the
    configured backend (SHIGAN_TASKS_BACKEND): django-tasks-db's db_worker, or RQ's rqworker."""
    apply_demo_today()
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import OperationalError, ProgrammingError

    if settings.TASKS_BACKEND == "immediate":
        raise SystemExit("SHIGAN_TASKS_BACKEND=immediate：任务在提交时立即执行，不需要 worker。")
    check_database_ready()
    try:
        call_command(*worker_command(settings.TASKS_BACKEND, args))
    except (OperationalError, ProgrammingError) as exc:
        if settings.DEBUG:
            raise
        raise SystemExit(database_error_message(exc)) from None
    return 0


def worker_command(backend: str, args: argparse.Namespace) -> list[str]:
    """The Django command line of the backend's worker for `shigan worker`'s options."""
    if backend == "rq":
        command = ["rqworker", "--job-class", "django_tasks_rq.Job"]
        command += ["--burst"] if args.batch else []
        command += ["--max-jobs", str(args.max_tasks)] if args.max_tasks else []
        return [*command, "default"]
    command = ["db_worker", "--queue-name", "default", "--interval", str(args.interval)]
    command += ["--no-reload", "--no-startup-delay"]
    command += ["--batch"] if args.batch else []
    command += ["--max-tasks", str(args.max_tasks)] if args.max_tasks else []
    return command


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"应为正数，而不是 {text!r}")
    return value


def positive_integer(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是 {text!r}")
    return int(text)


def plain_command_errors() -> None:
    """Make the command run from the command line print a CommandError as its message alone
    (stderr, the error's exit status), not Django's English "CommandError: …", unless
    --traceback asks for the trace. Only the top-level command: a command another one calls
    (call_command) still raises, for its caller to handle."""
    from django.core.management.base import BaseCommand, CommandError, SystemCheckError

    run_from_argv = BaseCommand.run_from_argv
    if getattr(run_from_argv, "plain_errors", False):
        return

    def run_plainly(command, argv: list[str]) -> None:
        execute = command.execute

        def execute_plainly(*args, **options):
            try:
                return execute(*args, **options)
            except CommandError as exc:
                if options.get("traceback") or isinstance(exc, SystemCheckError):
                    raise
                sys.stdout.flush()
                print(str(exc), file=sys.stderr, flush=True)
                raise SystemExit(exc.returncode) from None

        command.execute = execute_plainly
        return run_from_argv(command, argv)

    run_plainly.plain_errors = True
    BaseCommand.run_from_argv = run_plainly


def django_command(argv: list[str]) -> int:
    """Any other subcommand goes to Django's management (`shigan migrate` …)."""
    from django.conf import settings
    from django.core.management import execute_from_command_line, get_commands
    from django.db import OperationalError, ProgrammingError

    help_only = asks_for_help(argv) or argv[0] in CODE_ONLY_COMMANDS
    if help_only:
        os.environ.setdefault("SHIGAN_SECRET_KEY", HELP_ONLY_SECRET_KEY)
    elif argv[0] in {"migrate", "restore"}:
        prepare_data_dir(data_dir())
    apply_demo_today()
    setup_django()
    if not help_only and argv[0] in get_commands() and argv[0] not in NO_DATABASE_COMMANDS:
        require_sqlite_database()
    plain_command_errors()
    try:
        execute_from_command_line(["shigan", *argv])
    except (OperationalError, ProgrammingError) as exc:
        if settings.DEBUG:
            raise
        raise SystemExit(database_error_message(exc)) from None
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shigan",
        description="实干：作风建设与工作督办平台。每个命令使用同一个数据目录："
        "SHIGAN_DATA_DIR，未设置时为当前目录下的 shigan-data；其余配置取自环境变量"
        "（DATABASE_URL、SHIGAN_SECRET_KEY 等）。",
        epilog="其余子命令交给 Django 管理命令执行：shigan migrate（新安装：创建数据目录、密钥和数据库）、"
        "shigan createcoordinator（创建专班账号）、shigan report、shigan import、"
        "shigan check-report、shigan demo_load、shigan audit verify（防篡改校验）、"
        "shigan exchange（与上级或下级的另一套实干交换上报包、交办包）；"
        "shigan help 列出全部，"
        "shigan <命令> --help 查看用法。",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"数据目录，适用于所有命令（设置 SHIGAN_DATA_DIR；默认 ./{DEFAULT_DATA_DIR}）",
    )
    commands = parser.add_subparsers(dest="command", metavar="{demo,serve,worker,<Django 命令>}")
    p_demo = commands.add_parser("demo", help="新建演示数据库、载入示范区演示数据并启动服务")
    p_demo.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"数据目录（默认 SHIGAN_DATA_DIR，未设置时 ./{DEFAULT_DATA_DIR}；"
        "不会覆盖非演示的数据库）",
    )
    p_demo.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p_demo.add_argument(
        "--no-serve", dest="serve_off", action="store_true", help="只准备数据，不启动服务"
    )
    p_demo.add_argument(
        "--no-worker",
        action="store_true",
        help="不随服务启动 shigan worker（后台任务进程已由 systemd 等另行运行时使用）",
    )
    p_demo.set_defaults(func=demo)
    p_serve = commands.add_parser("serve", help="用 gunicorn 为已迁移的数据库提供服务")
    p_serve.add_argument("--data-dir", metavar="DIR", help="数据目录（设置 SHIGAN_DATA_DIR）")
    p_serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p_serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p_serve.add_argument("--workers", type=int, default=2, help="工作进程数（默认 2）")
    p_serve.add_argument(
        "--no-worker",
        action="store_true",
        help="不随服务启动 shigan worker（后台任务进程已由 systemd 等另行运行时使用）",
    )
    p_serve.set_defaults(func=serve)
    p_worker = commands.add_parser(
        "worker",
        help="运行后台任务（shigan remind --enqueue 提交的提醒）",
        description="按 SHIGAN_TASKS_BACKEND 启动后台任务进程：database（默认，"
        "django-tasks-db 的 db_worker，任务存在同一数据库）或 rq（Redis，RQ 的 rqworker，"
        "需安装 rq 扩展并设置 SHIGAN_REDIS_URL）。django-tasks 不含定时调度："
        "每天的提醒由 cron 运行 shigan remind --enqueue 提交。",
    )
    p_worker.add_argument("--data-dir", metavar="DIR", help="数据目录（设置 SHIGAN_DATA_DIR）")
    p_worker.add_argument(
        "--batch", action="store_true", help="执行完队列中已有的任务后退出（适合 cron）"
    )
    p_worker.add_argument(
        "--max-tasks",
        type=positive_integer,
        metavar="N",
        help="执行 N 个任务后退出（由进程管理器重启）",
    )
    p_worker.add_argument(
        "--interval",
        type=positive_number,
        default=5.0,
        metavar="S",
        help="队列为空时每隔 S 秒查看一次（仅 database 后端，默认 5）",
    )
    p_worker.set_defaults(func=worker)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # --data-dir is taken out before any parsing: argparse (demo, serve) and Django's commands
    # then see the same SHIGAN_DATA_DIR that shigan.settings reads.
    argv = pop_data_dir(argv)
    if argv and argv[0] == "check-report":
        # The checker needs no database or settings: a configuration problem must not look like
        # exit status 1 ("the report has an inconsistency").
        if argv[1:2] == ["--corpus"]:
            from shigan.reports.checker.measure import main as measure_corpus

            return measure_corpus(argv[2:])
        from shigan.reports.checker.cli import main as check_report

        return check_report(argv[1:])
    if argv and argv[0] not in {"demo", "serve", "worker", "-h", "--help"}:
        return django_command(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
