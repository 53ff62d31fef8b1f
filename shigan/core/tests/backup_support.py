"""Shared by the backup tests: a writer submitting progress reports with evidence through the
service, and comparisons of two databases' rows and two folders' bytes."""

import datetime
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.tasks.services.progress import progress_submit

JULY = datetime.date(2023, 7, 1)


def submit_reports(
    world, *, stop: Callable[[], bool], committed: Callable[[int], None], limit: int = 500
) -> None:
    """Submit progress reports on task A, each correcting the last, each with one PDF whose
    bytes name its number, until `stop()`; `committed(id)` after each one."""
    latest = None
    for number in range(1, limit + 1):
        if stop():
            return
        pdf = b"%PDF-1.4\n" + f"evidence {number}\n".encode() * (number % 7 + 1)
        latest = progress_submit(
            task=world.task_a,
            unit=world.unit_a,
            period=JULY,
            by=world.reporter_a,
            text=f"第{number}次进展：路基施工",
            milestones_reached={},
            uploads=[SimpleUploadedFile(f"现场照片{number}.pdf", pdf)],
            corrects=latest,
            reason="补充进展" if latest else "",
        )
        committed(latest.pk)


def table_rows(cursor, introspection, quote) -> dict[str, dict[tuple, tuple]]:
    """Every row of every table by primary key, read in primary-key order (a table without one
    is keyed by the whole row)."""
    rows = {}
    for table in sorted(introspection.table_names(cursor)):
        if table.startswith("sqlite_"):
            continue
        keys = introspection.get_primary_key_columns(cursor, table) or []
        order = ", ".join(quote(key) for key in keys) or "1"
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")
        names = [column[0] for column in cursor.description]
        positions = [names.index(key) for key in keys] or range(len(names))
        rows[table] = {tuple(row[i] for i in positions): tuple(row) for row in cursor.fetchall()}
    return rows


def updated_tables(before: dict, after: dict) -> set[str]:
    """Tables where a row present at both times changed in between (a counter, a head)."""
    return {
        table
        for table, rows in before.items()
        if any(key in after[table] and after[table][key] != row for key, row in rows.items())
    }


def wrapper_rows(wrapper) -> dict[str, dict[tuple, tuple]]:
    with wrapper.cursor() as cursor:
        return table_rows(cursor, wrapper.introspection, wrapper.ops.quote_name)


def folder_bytes(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def consistency_problems(cursor, media_root: Path) -> list[str]:
    """What a half-copied snapshot would show: a report without its evidence row or its audit
    entry, an evidence row without its file (or with other bytes than its number's)."""
    problems = []
    cursor.execute("SELECT id FROM tasks_progressreport")
    reports = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT report_id, file FROM tasks_evidence WHERE report_id IS NOT NULL")
    evidence = {report: name for report, name in cursor.fetchall()}
    cursor.execute(
        "SELECT record_id FROM core_auditentry WHERE record_type = 'tasks.progressreport'"
    )
    audited = {row[0] for row in cursor.fetchall()}
    for report in reports:
        if report not in evidence:
            problems.append(f"report {report} has no evidence row")
        if report not in audited:
            problems.append(f"report {report} has no audit entry")
    for report, name in evidence.items():
        if not (media_root / name).is_file():
            problems.append(f"report {report}'s file {name} is missing")
        elif not (media_root / name).read_bytes().startswith(b"%PDF-1.4\nevidence "):
            problems.append(f"report {report}'s file {name} has other bytes")
    return problems
