"""Generate a district, a city or a province of campaign data into the configured database.

    python -m benchmarks.generate --scale district|city|province [--reset]
    python -m benchmarks.generate --scale district --tasks 10000 --reports-per-task 10

Each district is built in memory and inserted with bulk_create in one transaction, with
explicit ids; see shapes.py for what a district holds. Prints the elapsed time and the rows
of each table.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from .env import add_shape_arguments, configure, data_dir_for
from .shapes import shape_from_args


def _reset_sqlite(args: argparse.Namespace) -> None:
    """--reset on SQLite: delete the data folder's database before Django opens it."""
    if args.postgres or os.environ.get("DATABASE_URL"):
        return
    folder = data_dir_for(shape_from_args(args), args.data_dir)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(folder, f"shigan.sqlite3{suffix}").unlink(missing_ok=True)


def _prepare(reset: bool) -> None:
    """Migrate; on PostgreSQL --reset empties every table first. Refuse to generate twice."""
    from django.core.management import call_command
    from django.db import connection

    from shigan.orgs.models import Unit

    call_command("migrate", interactive=False, verbosity=0)
    if reset and connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    if Unit.objects.exists():
        sys.exit("数据库中已有数据：请加 --reset 重新生成（会清空该数据库）。")


def _levels(shape, ids, password, with_indicators, totals) -> dict[int, object]:
    """The province's level (province scale) and each city's (city scale and up), inserted
    before their districts: their units, staff, campaigns of upper tasks and indicators
    (gen_levels.py). Returns the cities' levels by number."""
    from .gen_levels import DIRECTIVES, PROVINCE_DIRECTIVES, build_level

    if shape.scale == "district":
        return {}
    count = shape.indicators if with_indicators else 0
    common = {"ids": ids, "password": password, "indicators": count}
    province = None
    if shape.scale == "province":
        province = build_level(
            key="province", name="示范省", parent=None, order=0,
            directives=PROVINCE_DIRECTIVES, **common,
        )  # fmt: skip
        _add(totals, _insert_district(province))
    cities = {}
    for city in range(1, shape.cities + 1):
        cities[city] = build_level(
            key=f"c{city:02d}", name=f"第{city}市", parent=province, order=city,
            directives=DIRECTIVES, **common,
        )  # fmt: skip
        _add(totals, _insert_district(cities[city]))
    return cities


def _add(totals: dict[str, int], counts: dict[str, int]) -> None:
    for label, n in counts.items():
        totals[label] = totals.get(label, 0) + n


def _backdated(models) -> list[tuple[type, str]]:
    """Submission times the generator sets itself (auto_now_add fields other than created_at)."""
    return [
        (model, field.name)
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now_add", False) and field.name != "created_at"
    ]


def _insert_district(org) -> dict[str, int]:
    from django.db import transaction

    from .bulk import insert, timestamps_as_given

    counts = {}
    with transaction.atomic(), timestamps_as_given(*_backdated(org.rows)):
        for model, objs in org.rows.items():
            counts[model._meta.label] = insert(model, objs)
    return counts


def _district(shape, ids, city, district, level, password, with_indicators) -> dict[str, int]:
    from .gen_grassroots import district_grassroots
    from .gen_indicators import district_indicators
    from .gen_levels import answer_handdowns, answering_tasks, link_indicators
    from .gen_org import district_org
    from .gen_tasks import district_reports, district_tasks
    from .gen_timebank import district_extras

    parent = level.unit if level else None
    org = district_org(city=city, district=district, parent=parent, ids=ids, password=password)
    plans = district_tasks(org, ids, shape)
    if level:
        root = org.units[0]
        answer_handdowns(level, org, root, org.coordinator, answering_tasks(plans), ids, district)
    district_reports(org, ids, plans, shape.reports_per_task)
    if with_indicators:
        district_indicators(org, ids, shape)
        if level:
            link_indicators(level, org.rows.get(level.indicators[0].__class__, []))
    district_extras(district_grassroots(org, ids, shape))
    return _insert_district(org)


def generate(shape) -> dict[str, int]:
    """Generate every district of `shape`; returns the rows inserted per table."""
    from django.contrib.auth.hashers import make_password

    from .bulk import Ids
    from .gen_indicators import indicators_installed
    from .shapes import PASSWORD

    ids, totals, started = Ids(), {}, time.perf_counter()
    password = make_password(PASSWORD)
    with_indicators = indicators_installed()
    if not with_indicators:
        print("shigan.indicators 未安装（或缺少模型）：跳过指标与重点项目。")
    cities = _levels(shape, ids, password, with_indicators, totals)
    for city in range(1, shape.cities + 1):
        for district in range(1, shape.districts_per_city + 1):
            counts = _district(
                shape, ids, city, district, cities.get(city), password, with_indicators
            )
            _add(totals, counts)
            done = (city - 1) * shape.districts_per_city + district
            print(
                f"  {done}/{shape.districts} 区  {time.perf_counter() - started:7.1f} s", flush=True
            )
    _finish(ids)
    return totals


def _finish(ids) -> None:
    """PostgreSQL: move id sequences past the explicit ids and refresh planner statistics."""
    from django.db import connection

    from .bulk import reset_sequences

    if connection.vendor == "postgresql":
        reset_sequences(ids.models())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__)
    add_shape_arguments(parser)
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    parser.add_argument(
        "--no-seal",
        action="store_true",
        help="leave the records out of the tamper-evident chain (`shigan audit seal` later)",
    )
    args = parser.parse_args(argv)
    if args.reset:
        _reset_sqlite(args)
    shape = configure(args)
    from .env import database_label

    print(f"生成 {shape.label}：{shape.districts} 个区，数据库 {database_label()}", flush=True)
    _prepare(args.reset)
    started = time.perf_counter()
    totals = generate(shape)
    elapsed = time.perf_counter() - started
    for label, n in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {label:32} {n:>10,}")
    rows = sum(totals.values())
    print(f"共 {rows:,} 行，用时 {elapsed:.1f} s（{rows / elapsed:,.0f} 行/秒）")
    if not args.no_seal:
        _seal()
    return 0


def _seal() -> None:
    """Link the generated records into the tamper-evident chain, as `shigan audit seal` would
    (the generator inserts rows directly, not through the services that link them)."""
    from shigan.core.chain import chain_seal

    started = time.perf_counter()
    sealed = chain_seal()
    print(f"防篡改链：{sealed:,} 条记录入链，用时 {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
