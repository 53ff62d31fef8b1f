"""Bulk-insert helpers shared by the generators: explicit ids, backdated timestamps, batching."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Max

BATCH = 2000


class Ids:
    """Hands out explicit primary keys per model, so rows can point at rows not yet inserted
    (a correction at the report it corrects) and inserts need no RETURNING round trip."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        pk = self._next[model]
        self._next[model] = pk + 1
        return pk

    def models(self) -> list[type[models.Model]]:
        return list(self._next)


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> int:
    """Insert `objs` with one prepared INSERT run by executemany, in batches.

    Much cheaper than bulk_create, which compiles one multi-row statement per batch value by
    value; the values are still prepared by each field (dates, JSON, decimals), so the rows are
    what the ORM would have written. Auto fields are left to the database when unset.
    """
    if not objs:
        return 0
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objs[0].pk is None)]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    # The connection itself, not the thread-local proxy: it is asked once per value.
    conn = connections[DEFAULT_DB_ALIAS]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    with conn.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            rows = [_row(obj, fields, stamped, conn) for obj in objs[start : start + BATCH]]
            cursor.executemany(sql, rows)
    return len(objs)


def _row(obj: models.Model, fields: list, stamped: list, conn) -> list:
    for f in stamped:
        f.pre_save(obj, add=True)
    return [f.get_db_prep_save(getattr(obj, f.attname), conn) for f in fields]


@contextmanager
def timestamps_as_given(*fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create keep the given values of auto_now / auto_now_add fields (backdating)."""
    saved = []
    for model, name in fields:
        field = model._meta.get_field(name)
        saved.append((field, field.auto_now, field.auto_now_add))
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
