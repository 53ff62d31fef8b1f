"""Running the reminders outside a request: the task backends of SHIGAN_TASKS_BACKEND and
`shigan worker`, run as operators run them (child processes without Shigan's environment)."""

import os
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import shigan
from shigan.cli import worker_command

PROJECT_ROOT = str(Path(shigan.__file__).resolve().parent.parent)


def child_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SHIGAN_") and key != "DATABASE_URL"
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PROJECT_ROOT, env.get("PYTHONPATH")]))
    return {**env, **extra}


def run(*args: str, cwd: Path, code: str = "", **env: str) -> subprocess.CompletedProcess:
    """`shigan ARGS` in a child process; `code` runs first (e.g. to hide a package)."""
    program = f"import sys\n{code}\nfrom shigan.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", program, *args],
        cwd=cwd,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_worker_help_needs_no_database(tmp_path):
    done = run("worker", "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "--batch" in done.stdout and "SHIGAN_TASKS_BACKEND" in done.stdout
    assert not (tmp_path / "shigan-data").exists()


def test_worker_is_listed_in_the_command_help(tmp_path):
    done = run("--help", cwd=tmp_path)
    assert done.returncode == 0 and "worker" in done.stdout


def test_worker_of_the_database_backend_is_db_worker_on_the_default_queue():
    args = Namespace(batch=True, max_tasks=3, interval=5.0)
    assert worker_command("database", args) == [
        "db_worker", "--queue-name", "default", "--interval", "5.0", "--no-reload",
        "--no-startup-delay", "--batch", "--max-tasks", "3",
    ]  # fmt: skip


def test_worker_of_the_rq_backend_is_rqworker_with_the_tasks_job_class():
    args = Namespace(batch=False, max_tasks=None, interval=5.0)
    assert worker_command("rq", args) == [
        "rqworker",
        "--job-class",
        "django_tasks_rq.Job",
        "default",
    ]
    args = Namespace(batch=True, max_tasks=10, interval=5.0)
    assert worker_command("rq", args)[-4:] == ["--burst", "--max-jobs", "10", "default"]


def test_worker_refuses_bad_numbers_in_chinese(tmp_path):
    done = run("worker", "--interval", "0", cwd=tmp_path)
    assert done.returncode == 2 and "--interval: 应为正数" in done.stderr
    done = run("worker", "--max-tasks", "-1", cwd=tmp_path)
    assert done.returncode == 2 and "--max-tasks: 应为正整数" in done.stderr


def test_worker_is_not_needed_with_the_immediate_backend(tmp_path):
    done = run("worker", cwd=tmp_path, SHIGAN_TASKS_BACKEND="immediate", SHIGAN_SECRET_KEY="k" * 50)
    assert done.returncode == 1
    assert "SHIGAN_TASKS_BACKEND=immediate：任务在提交时立即执行，不需要 worker。" in done.stderr


def test_an_unknown_backend_is_named_in_chinese(tmp_path):
    done = run("check", cwd=tmp_path, SHIGAN_TASKS_BACKEND="celery", SHIGAN_SECRET_KEY="k" * 50)
    assert done.returncode == 1
    assert "SHIGAN_TASKS_BACKEND=celery 无法识别：应为 database（默认）、rq 或 immediate" in (
        done.stderr
    )


def test_the_rq_backend_without_its_extra_says_what_to_install(tmp_path):
    done = run(
        "check",
        cwd=tmp_path,
        code="sys.modules['django_tasks_rq'] = None",  # as where the extra is not installed
        SHIGAN_TASKS_BACKEND="rq",
        SHIGAN_SECRET_KEY="k" * 50,
    )
    assert done.returncode == 1
    assert "SHIGAN_TASKS_BACKEND=rq 需要 Redis 队列组件，但尚未安装" in done.stderr
    assert "pip install -e '.[rq]'" in done.stderr
