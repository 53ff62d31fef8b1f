"""Running the reminders outside a request: the task backends of SHIGAN_TASKS_BACKEND and
`shigan worker`, run as operators run them (child processes without Shigan's environment)."""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
from argparse import Namespace
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

import shigan
from shigan.cli import build_parser, worker_command
from shigan.reminders import tasks
from shigan.reminders.models import Channel, Delivery, DeliveryState, Message, Notice, Reminder
from shigan.reminders.tasks import deliver_task, remind_task

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


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Aug 25 2023 in the test world: 临期 (兴业大道's milestone), 滞后 (清凉河), 逾期未报 ×2.
DAY = "2023-08-25"


def written() -> tuple[int, int, int, int]:
    return (
        Reminder.objects.count(),
        Notice.objects.count(),
        Message.objects.count(),
        Delivery.objects.count(),
    )


def run_db_worker() -> None:
    """`shigan worker --batch`'s command in this process: run what is queued, then stop (the
    signal handlers it installs are put back). The worker closes connections not in autocommit
    between tasks, as Django does between requests — here that is the test's transaction, so
    it is kept open, as Django's test client keeps it."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with mock.patch.object(db_worker, "close_old_connections", lambda: None):
            call_command(
                "db_worker", "--batch", "--no-reload", "--no-startup-delay",
                "--queue-name", "default", verbosity=0,
            )  # fmt: skip
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def pending_email(world, key: str = "test:1") -> Delivery:
    world.reporter_a.email = "wang@example.gov.cn"
    world.reporter_a.save()
    return Delivery.objects.create(
        key=key, channel=Channel.EMAIL, recipient=world.reporter_a, title="8月25日提醒",
        body="1. 临期", next_attempt_at=timezone.now() - datetime.timedelta(minutes=1),
    )  # fmt: skip


def test_the_tests_run_tasks_with_the_immediate_backend():
    assert isinstance(task_backends["default"], ImmediateBackend)


def test_remind_task_runs_at_once_with_the_immediate_backend(world):
    result = remind_task.enqueue(DAY)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["day"] == DAY
    assert result.return_value["fired"] == 4
    assert result.return_value["digests"] == 2  # reporter_a and reporter_b
    assert Message.objects.filter(recipient=world.reporter_a).count() == 1


def test_remind_task_twice_on_a_day_sends_nothing_twice(world):
    remind_task.enqueue(DAY)
    counts = written()
    again = remind_task.enqueue(DAY)
    assert again.status == TaskResultStatus.SUCCESSFUL
    assert again.return_value["fired"] == 0 and again.return_value["digests"] == 0
    assert written() == counts


def test_remind_task_without_a_day_runs_today(world, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", DAY)
    result = remind_task.enqueue()
    assert result.return_value["day"] == DAY and result.return_value["fired"] == 4


@override_settings(TASKS=DATABASE_TASKS)
def test_the_database_backend_queues_remind_task_until_the_worker_runs_it(world):
    result = remind_task.enqueue(DAY)
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    assert written() == (0, 0, 0, 0)
    run_db_worker()
    done = remind_task.get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value["fired"] == 4 and done.return_value["digests"] == 2
    assert Message.objects.filter(recipient=world.reporter_b).count() == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_two_queued_runs_of_a_day_send_nothing_twice(world):
    first, second = remind_task.enqueue(DAY), remind_task.enqueue(DAY)
    run_db_worker()
    assert remind_task.get_result(first.id).return_value["fired"] == 4
    assert remind_task.get_result(second.id).return_value["fired"] == 0
    assert Message.objects.count() == 2 and Reminder.objects.count() == 4


@pytest.mark.parametrize("tasks", [None, DATABASE_TASKS], ids=["immediate", "database"])
@override_settings(SHIGAN_EMAIL_ENABLED=True, SHIGAN_QUIET_HOURS="")
def test_deliver_task_sends_what_is_due(world, tasks, settings):
    if tasks:
        settings.TASKS = tasks
    pending_email(world)
    result = deliver_task.enqueue()
    if tasks:
        assert mail.outbox == []
        run_db_worker()
        result = deliver_task.get_result(result.id)
    assert result.return_value == {"sent": 1, "retried": 0, "failed": 0, "postponed": 0}
    assert [m.to for m in mail.outbox] == [["wang@example.gov.cn"]]
    assert Delivery.objects.get().state == DeliveryState.SENT


def test_remind_enqueue_with_the_immediate_backend_runs_at_once(world, capsys):
    call_command("remind", "--enqueue", "--date", DAY)
    assert capsys.readouterr().out.strip() == f"{DAY}已运行：新提醒4条，每日汇总2份。"
    assert Reminder.objects.count() == 4


@override_settings(TASKS=DATABASE_TASKS)
def test_remind_enqueue_queues_the_run_for_the_worker(world, capsys):
    call_command("remind", "--enqueue")
    queued = DBTaskResult.objects.get()
    assert capsys.readouterr().out.strip() == (
        f"已提交当天的提醒任务（编号 {queued.id}），由 shigan worker 执行。"
    )
    assert queued.task_path == "shigan.reminders.tasks.remind_task"
    assert queued.args_kwargs == {"args": [None], "kwargs": {}}
    assert Reminder.objects.count() == 0


def test_remind_enqueue_refuses_a_dry_run(world):
    with pytest.raises(CommandError, match="--enqueue 与 --dry-run 不能同时使用"):
        call_command("remind", "--enqueue", "--dry-run")


def test_remind_enqueue_says_why_the_run_failed(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("数据库只读")

    monkeypatch.setattr(tasks, "remind_run", broken)
    with pytest.raises(
        CommandError, match="2023-08-25的提醒任务执行失败：RuntimeError: 数据库只读"
    ):
        call_command("remind", "--enqueue", "--date", DAY)


@override_settings(SHIGAN_EMAIL_ENABLED=True, SHIGAN_QUIET_HOURS="")
def test_deliver_sends_what_is_due_and_enqueues_for_the_worker(world, capsys, settings):
    pending_email(world)
    call_command("deliver")
    assert capsys.readouterr().out.strip() == ("外发消息：发送成功1、待重试0、失败0、免打扰延后0。")
    assert len(mail.outbox) == 1
    pending_email(world, key="test:2")
    settings.TASKS = DATABASE_TASKS
    call_command("deliver", "--enqueue")
    queued = DBTaskResult.objects.get()
    assert capsys.readouterr().out.strip() == (
        f"已提交发送任务（编号 {queued.id}），由 shigan worker 执行。"
    )
    assert queued.task_path == "shigan.reminders.tasks.deliver_task" and len(mail.outbox) == 1
    run_db_worker()
    assert len(mail.outbox) == 2


def test_cron_enqueues_and_the_worker_runs_it_on_a_fresh_install(tmp_path):
    """The README's worker set-up on SQLite: migrate, `shigan remind --enqueue` (cron), then
    `shigan worker --batch` runs the queued run and stops."""
    env = {"SHIGAN_TODAY": DAY}
    assert run("migrate", cwd=tmp_path, **env).returncode == 0
    done = run("remind", "--enqueue", cwd=tmp_path, **env)
    assert done.returncode == 0 and "由 shigan worker 执行" in done.stdout, done.stderr
    database = tmp_path / "shigan-data" / "shigan.sqlite3"
    assert task_states(database) == ["READY"]
    done = run("worker", "--batch", cwd=tmp_path, **env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert task_states(database) == ["SUCCESSFUL"]


def task_states(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [s for (s,) in db.execute(f"SELECT status FROM {DBTaskResult._meta.db_table}")]


def test_worker_help_needs_no_database(tmp_path):
    done = run("worker", "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "--batch" in done.stdout and "SHIGAN_TASKS_BACKEND" in done.stdout
    assert not (tmp_path / "shigan-data").exists()


def test_worker_is_listed_in_the_command_help(tmp_path):
    done = run("--help", cwd=tmp_path)
    assert done.returncode == 0 and "worker" in done.stdout


def test_worker_polls_every_five_seconds_by_default_as_the_readme_says():
    args = build_parser().parse_args(["worker"])
    assert (args.interval, args.batch, args.max_tasks) == (5.0, False, None)
    assert worker_command("database", args)[3:5] == ["--interval", "5.0"]


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
