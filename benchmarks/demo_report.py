"""Generation time of the demo district's summary report as of 2023-07-31.

    python -m benchmarks.demo_report [--repeat 10] [--pdf]

Loads the demo (`load_demo`) into a fresh SQLite database in /tmp/shigan-bench-demo-report, then
times, over repeated runs: building the Document from the records (`build_summary`), rendering
HTML, Markdown and docx, and — with --pdf — the docx → PDF conversion through LibreOffice.
Prints p50 and p95 in milliseconds and the number of SQL queries of one build.
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

DATA_DIR = Path("/tmp/shigan-bench-demo-report")


def _setup() -> None:
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        SHIGAN_DATA_DIR=str(DATA_DIR),
        SHIGAN_SECRET_KEY="benchmark-only",
        SHIGAN_TODAY="2023-07-31",
        DJANGO_SETTINGS_MODULE="shigan.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from shigan.demo.district import load_demo

    load_demo()


def _time(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--pdf", action="store_true", help="also time the LibreOffice conversion")
    args = parser.parse_args()
    _setup()

    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shigan.campaigns.models import Campaign
    from shigan.reports.compose import ReportOptions, build_summary
    from shigan.reports.render.docx import render_docx
    from shigan.reports.render.html import render_html
    from shigan.reports.render.md import render_md

    campaign = Campaign.objects.get()
    as_of = datetime.date(2023, 7, 31)

    def build():
        return build_summary(campaign=campaign, as_of=as_of, options=ReportOptions())

    with CaptureQueriesContext(connection) as queries:
        document = build()
    out = Path(tempfile.mkdtemp(prefix="shigan-demo-report-"))
    rows = [
        ("build_summary (records → Document)", lambda: build()),
        ("render HTML", lambda: render_html(document)),
        ("render Markdown", lambda: render_md(document)),
        ("render docx", lambda: render_docx(document, str(out / "r.docx"))),
        ("build + docx", lambda: render_docx(build(), str(out / "r.docx"))),
    ]
    if args.pdf:
        from shigan.reports.render.pdf import render_pdf

        rows.append(("render PDF (LibreOffice)", lambda: render_pdf(document, str(out / "r.pdf"))))
    print(f"demo report as of {as_of}: {len(document.figures)} figures, {len(queries)} queries")
    print(f"{'step':40} {'p50 ms':>9} {'p95 ms':>9}")
    for label, fn in rows:
        p50, p95 = _time(fn, 3 if "PDF" in label else args.repeat)
        print(f"{label:40} {p50:9.1f} {p95:9.1f}")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
