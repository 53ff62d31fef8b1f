"""Statements the ORM builds once per process (issue 18): for the queries every page runs (the
frame's person and unread count) and the task page's, resolving and compiling the queryset cost
more Python than the database spent answering it (the unread count of a coordinator: 5–7 ms of
compiling for 0.1 ms of SQLite). Here a queryset is built and compiled the first time, its SQL
and the compiler's description of the columns kept, and later calls run the same SQL with their
own parameter values through Django's own iterables (converters, select_related, annotations,
prefetch_related alike): the same rows as the ORM's, never a cached result — nothing to go stale.

`key` names everything the statement's text depends on besides the arguments (a day, a flag…),
the database vendor is added. The arguments are passed to `build` as placeholders — distinct
integers no real id takes — found back among the compiled parameters and replaced by each call's
values; an argument must reach the statement as one parameter (a filter on an id), not written
into its text (an `UnitIds` list) nor changed on the way (a date): those go into the key."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# The placeholders build() receives: no table holds ids this low.
_PLACEHOLDER_BASE = -7_340_110_000
_KEPT: dict[tuple, "_Compiled"] = {}
MAX_KEPT = 2048  # statements per process (one per key and vendor): emptied when reached


class _Compiled:
    """A queryset compiled once: its statement, where its arguments go, and its columns."""

    def __init__(self, queryset: QuerySet, arity: int):
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        self.slots = []
        for n in range(arity):
            placeholder = _PLACEHOLDER_BASE - n
            where = [i for i, p in enumerate(params) if p == placeholder]
            if not where or str(placeholder) in sql:
                raise ValueError(f"argument {n} is not one parameter of the statement: key it")
            self.slots.append(where)
        self.sql, self.params = sql, params
        self.query = queryset.query
        self.model = queryset.model
        self.db = queryset.db
        self.prefetch = queryset._prefetch_related_lookups
        self.iterable = queryset._iterable_class
        self.fields = queryset._fields
        self.columns = (
            compiler.select,
            compiler.klass_info,
            compiler.annotation_col_map,
            compiler.col_count,
            compiler.has_extra_select,
        )

    def with_values(self, values) -> list:
        params = list(self.params)
        for where, value in zip(self.slots, values, strict=True):
            for i in where:
                params[i] = value
        return params

    def queryset(self, values) -> QuerySet:
        """A queryset whose compiler runs the kept statement with `values`."""
        connection = connections[self.db]
        compiler = connection.ops.compiler("SQLCompiler")(self.query, connection, self.db)
        (compiler.select, compiler.klass_info, compiler.annotation_col_map,
         compiler.col_count, compiler.has_extra_select) = self.columns  # fmt: skip
        sql, params = self.sql, self.with_values(values)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        queryset = QuerySet(model=self.model, query=_Replay(self.query, compiler), using=self.db)
        queryset._iterable_class, queryset._fields = self.iterable, self.fields
        queryset._prefetch_related_lookups = self.prefetch
        return queryset


class _Replay:
    """Stands for the kept query in a QuerySet: hands out the compiler holding the statement."""

    def __init__(self, query, compiler):
        self._query, self._compiler = query, compiler
        self.values_select = query.values_select

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):  # anything else a QuerySet reads of its query (model, …)
        return getattr(self._query, name)


def _compiled(key: tuple, build, arity: int) -> _Compiled:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    full = (vendor, *key)
    found = _KEPT.get(full)
    if found is None:
        placeholders = [_PLACEHOLDER_BASE - n for n in range(arity)]
        found = _Compiled(build(*placeholders), arity)
        if len(_KEPT) >= MAX_KEPT:
            _KEPT.clear()
        _KEPT[full] = found
    return found


def rows(key: tuple, build, *args) -> list:
    """What `build(*args)` (a queryset) yields — model instances, values or value lists — by its
    statement compiled once under `key`."""
    return list(_compiled(key, build, len(args)).queryset(args))


def count(key: tuple, build, *args) -> int:
    """How many rows `build(*args)` (a queryset) holds, as QuerySet.count() answers: one
    COUNT(*) over its statement, compiled once under `key`."""
    compiled = _compiled(key, build, len(args))
    with connections[compiled.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({compiled.sql}) counted", compiled.with_values(args))
        return cursor.fetchone()[0]


def clear() -> None:
    """Forget every kept statement (tests)."""
    _KEPT.clear()
