"""`shigan remind` (remind_run) over a generated data set: time and SQL queries of one day's run.

    python -m benchmarks.remind --scale city [--day 2023-10-31] [--repeat 3] [--email] [--postgres]

On a data set made by `benchmarks.generate` (a city: 20 districts, each with its own running
campaign of 300 tasks), for one day, each round measures in this order:

1. a dry run (`shigan remind --dry-run`): what would fire, nothing written;
2. the first run of the day: every firing recorded (reminders, recipients, audit entries on the
   items' history), each person's digest built and queued;
3. a second run on the same day: idempotent, nothing new — every firing found recorded;
4. a dry run after it: nothing would fire.

Then the rows the rounds wrote are deleted (every reminders table and the audit entries past
the marks taken before), so the next round — and the next benchmark — starts from the data set
as generated. The generated accounts have no email address and the units no group robot, so
only the inbox is written; `--email` gives every account an address for the run (removed
after) and turns email on with Django's in-memory mail backend and no quiet hours, so each run
also queues the digests as email and sends what is due (at most 500 a run: deliver_pending's
limit). Prints wall and CPU time and SQL queries (counted with connection.execute_wrapper) of
each step, the median over `--repeat` rounds, and the ratios to the first run. Not a test.
"""

import argparse
import contextlib
import datetime
import statistics
import sys
import time
from dataclasses import dataclass

from .env import BENCH_TODAY, add_shape_arguments, configure, database_label, migrate

STEPS = [
    ("dry run (nothing written)", True),
    ("first run of the day", False),
    ("second run, same day", False),
    ("dry run after it", True),
]


@dataclass
class Step:
    name: str
    wall_s: list[float]
    cpu_s: list[float]
    queries: list[int]
    fired: int = 0
    digests: int = 0
    queued: int = 0
    sent: int = 0


def _written_models() -> list:
    """What a run writes, in an order that deletes children before their parents."""
    from shigan.core.models import AuditEntry
    from shigan.reminders.models import Delivery, Digest, Message, Notice, Reminder

    return [Delivery, Notice, Digest, Message, Reminder, AuditEntry]


class Marks:
    """Deletes the rows written after it was entered (every model of _written_models)."""

    def __enter__(self):
        from django.db.models import Max

        self.marks = {m: m.objects.aggregate(x=Max("id"))["x"] or 0 for m in _written_models()}
        return self

    def __exit__(self, *exc) -> None:
        from django.db import transaction

        with transaction.atomic():
            for model, mark in self.marks.items():
                model.objects.filter(id__gt=mark).delete()


def _timed(day: datetime.date, dry_run: bool):
    from django.db import connection
    from django.utils import timezone

    from shigan.reminders.services import remind_run

    count = [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        wall, cpu = time.perf_counter(), time.process_time()
        report = remind_run(today=day, now=timezone.now(), dry_run=dry_run)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return report, wall, cpu, count[0]


def measure(day: datetime.date, repeat: int) -> list[Step]:
    steps = [Step(name, [], [], []) for name, _ in STEPS]
    for round_ in range(repeat):
        with Marks():
            for step, (_, dry_run) in zip(steps, STEPS, strict=True):
                report, wall, cpu, queries = _timed(day, dry_run)
                step.wall_s.append(wall)
                step.cpu_s.append(cpu)
                step.queries.append(queries)
                step.fired, step.digests = report.total, report.digests
                step.queued, step.sent = report.deliveries, report.sent
        print(
            f"  round {round_ + 1}/{repeat}: " + ", ".join(f"{s.wall_s[-1]:.2f} s" for s in steps)
        )
    return steps


def describe_data(day: datetime.date) -> str:
    from shigan.reminders.services.remind import campaigns_running
    from shigan.tasks.models import Task, TaskState

    campaigns = campaigns_running(day).count()
    active = Task.objects.filter(state=TaskState.ACTIVE, campaign__in=campaigns_running(day))
    overdue = active.filter(due_date__lt=day).count()
    return f"{campaigns} running campaigns, {active.count():,} active tasks ({overdue:,} past due)"


def print_table(steps: list[Step]) -> None:
    first = statistics.median(steps[1].wall_s)
    first_q = statistics.median(steps[1].queries)
    first_cpu = statistics.median(steps[1].cpu_s)
    print(
        "| step | wall s | CPU s | queries | new reminders | digests | email queued | sent "
        "| wall / first | CPU / first | queries / first |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for step in steps:
        wall, cpu = statistics.median(step.wall_s), statistics.median(step.cpu_s)
        queries = statistics.median(step.queries)
        print(
            f"| {step.name} | {wall:.2f} | {cpu:.2f} | {queries:,.0f} | {step.fired:,} "
            f"| {step.digests:,} | {step.queued:,} | {step.sent:,} | {wall / first:.2f} "
            f"| {cpu / first_cpu:.2f} | {queries / first_q:.2f} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.remind", description=__doc__)
    add_shape_arguments(parser)
    parser.set_defaults(scale="city")
    parser.add_argument("--day", default=BENCH_TODAY, help=f"the day run (default {BENCH_TODAY})")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--email", action="store_true", help="every account with an address")
    args = parser.parse_args(argv)
    shape = configure(args)
    migrate()
    day = datetime.date.fromisoformat(args.day)
    print(f"shigan remind on {day}, {shape.label} ({database_label()}): {describe_data(day)}")
    with email_on(args.email):
        steps = measure(day, args.repeat)
    print_table(steps)
    return 0


@contextlib.contextmanager
def email_on(enabled: bool):
    """Mail to Django's in-memory backend, never SMTP; with `enabled`, every account has an
    address for the duration and email is on, without quiet hours."""
    from django.contrib.auth import get_user_model
    from django.db.models import F, Value
    from django.db.models.functions import Concat
    from django.test.utils import override_settings

    users = get_user_model().objects.filter(email="")
    options = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if enabled:
        options.update(SHIGAN_EMAIL_ENABLED=True, SHIGAN_QUIET_HOURS="")
        marked = list(users.values_list("id", flat=True))
        users.update(email=Concat(F("username"), Value("@bench.example.gov.cn")))
    with override_settings(**options):
        try:
            yield
        finally:
            if enabled:
                get_user_model().objects.filter(id__in=marked).update(email="")


if __name__ == "__main__":
    sys.exit(main())
