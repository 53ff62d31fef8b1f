"""The tamper-evident chain: every audit entry, and the records that are evidence (progress
reports, submitted figures, change requests and their decisions), linked per district.

A link holds a digest of one record's content as the app wrote it and the hash of the link
before it in its district's chain; `shigan.core.chain_verify` recomputes both and names every
record changed, inserted or removed behind the app's back. Links are appended in the
transaction that writes the audit entry (AuditEntry.save / bulk_create call `link_entries`),
so a covered record's link is written when its service audits it. The chain is plain rows
(ChainLink, ChainHead): a dump and restore keeps it, and values are hashed in a canonical form
that survives the round trip on SQLite and PostgreSQL (datetimes in UTC to the microsecond,
decimals without trailing zeros, JSON with sorted keys).

A link's district is its author's (the actor's person's district, `register_district_resolver`
is filled by orgs); writes without a person (the system, an operator) go to chain 0.
"""

import datetime
import hashlib
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import ContextDecorator
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile

from .models import AuditEntry, ChainHead, ChainLink

ENTRY_TYPE = "core.auditentry"
# The records chained besides the audit entries: what the issue calls evidence.
COVERED_TYPES = (
    "tasks.progressreport",
    "tasks.changerequest",
    "indicators.actual",
    "indicators.projectfigure",
)
GENESIS = "0" * 64
NO_DISTRICT = 0
DELETED = {"__deleted__": "1"}
BATCH = 1000

_district_resolvers: list[Callable[[list], dict[int, int | None]]] = []


def register_district_resolver(resolver: Callable[[list], dict[int, int | None]]) -> None:
    """`resolver(users)` (user objects or ids) → {user id: district id or None}."""
    _district_resolvers.append(resolver)


def canonical_value(field: models.Field, value: Any) -> Any:
    """A field's value in the form hashed: the same for the object the app saved and the row
    read back from either database."""
    if value is None:
        return None
    if field.is_relation:
        return canonical_value(field.target_field, value)
    if isinstance(field, models.DateTimeField):
        value = field.to_python(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(field, models.DateField):
        return field.to_python(value).isoformat()
    if isinstance(field, models.DecimalField):
        return format(Decimal(value).normalize(), "f")
    if isinstance(field, models.FloatField):
        return repr(float(value))
    if isinstance(field, models.JSONField):
        return json.loads(json.dumps(value, cls=field.encoder))
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(field, models.BooleanField):
        return bool(value)
    if isinstance(field, models.IntegerField):
        return int(value)
    return str(value)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _dumps(value: Any) -> str:
    # A str, None, a bool or an int as json.dumps writes it with these options, without building
    # an encoder per call: encode_basestring is the function json.dumps calls for a str when
    # ensure_ascii is off, and an int is written by int.__repr__ (test_chain_memo compares).
    kind = value.__class__
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# Hashes computed before, by exact content, for the pages that verify the same records again
# (the task page, issue 18): a process-wide memo, emptied when full. A key holds the value
# itself and its type, and only for types where two equal values of one type have one
# canonical form (a str, an int, a bool, None, a date, a naive or UTC datetime, JSON of those
# with its types kept): a value changed in any way is a different key, hashed afresh — a memo
# never makes a changed record verify.
# Bounded in memory per worker: at most MEMO_MAX entries, and no str longer than MEMO_TEXT_MAX
# characters (a long text costs more to keep than to hash; JSON holding one is not kept either).
_MEMO: dict[tuple, str] = {}
MEMO_MAX = 20_000
MEMO_TEXT_MAX = 256


_SCALARS = (str, int, bool, type(None))


def _frozen_json(value: Any) -> tuple | None:
    """A JSON value of dicts (str keys), lists and scalars as a key equal only for the same
    JSON; None for anything else (a float: 0.0 == -0.0)."""
    kind = value.__class__
    if kind is str and len(value) > MEMO_TEXT_MAX:
        return None
    if kind in _SCALARS:
        return (kind, value)
    if kind is dict:
        items = []
        for k, v in value.items():
            if k.__class__ is not str or (frozen := _frozen_json(v)) is None:
                return None
            items.append((k, frozen))
        return (dict, tuple(items))
    if kind is list:
        frozen = tuple(_frozen_json(v) for v in value)
        return None if None in frozen else (list, frozen)
    return None


def _memo_key(label: str, attname: str, value: Any) -> tuple | None:
    kind = value.__class__
    if kind is datetime.datetime:
        if value.tzinfo is not None and value.tzinfo is not datetime.UTC:
            return None  # another zone: equal values may differ in fold (a hash of their own)
    elif kind is dict or kind is list:
        frozen = _frozen_json(value)
        return None if frozen is None else (label, attname, kind, frozen)
    elif kind not in (*_SCALARS, datetime.date) or (kind is str and len(value) > MEMO_TEXT_MAX):
        return None
    return (label, attname, kind, value)


def _remember(key: tuple, found: str) -> None:
    if len(_MEMO) >= MEMO_MAX:
        _MEMO.clear()
    _MEMO[key] = found


def _field_hash(field: models.Field, value: Any) -> str:
    return _sha(_dumps(canonical_value(field, value)))[:32]


def field_hashes(obj: models.Model) -> dict[str, str]:
    """{column name: hash of its canonical value} for every concrete field of `obj`."""
    label = obj._meta.label_lower
    found = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        key = _memo_key(label, f.attname, value)
        if key is None:
            found[f.attname] = _field_hash(f, value)
        elif (known := _MEMO.get(key)) is not None:
            found[f.attname] = known
        else:
            found[f.attname] = hashed = _field_hash(f, value)
            _remember(key, hashed)
    return found


def digest_of(fields: dict[str, str]) -> str:
    # A link's fields as written (str → str): remembered by their items; anything else (a link
    # edited behind the app's back may hold any JSON) is hashed afresh.
    items = tuple(fields.items())
    if not all(k.__class__ is str and v.__class__ is str for k, v in items):
        return _sha(_dumps(fields))
    key = ("digest", items)
    if (known := _MEMO.get(key)) is None:
        known = _sha(_dumps(fields))
        _remember(key, known)
    return known


def memo_clear() -> None:
    """Forget every remembered hash (tests)."""
    _MEMO.clear()


def link_hash(*, district: int, seq: int, record_type: str, record_id: int, digest: str,
              prev_hash: str) -> str:  # fmt: skip
    return _sha(f"shigan-chain-v1|{district}|{seq}|{record_type}|{record_id}|{digest}|{prev_hash}")


def link_hash_of(link: ChainLink) -> str:
    return link_hash(
        district=link.district, seq=link.seq, record_type=link.record_type,
        record_id=link.record_id, digest=link.digest, prev_hash=link.prev_hash,
    )  # fmt: skip


@dataclass
class Item:
    """One record to link: its type and id, task, content and the chain it goes to."""

    record_type: str
    record_id: int
    task_id: int | None
    fields: dict[str, str]
    district: int


def districts_of(users: list) -> dict[int, int]:
    """{user id: district} for the given users (objects or ids); NO_DISTRICT when unknown."""
    found: dict[int, int | None] = {}
    for resolver in _district_resolvers:
        found.update(resolver(users))
    return {k: v or NO_DISTRICT for k, v in found.items()}


def items_for_entries(entries: Iterable[AuditEntry]) -> list[Item]:
    """The links for saved entries: the entry itself, and the covered record it describes
    (set on the entry by audit_entry) — a tombstone for a deletion."""
    entries = list(entries)
    actors = [e.actor if e.actor_id and "actor" in e._state.fields_cache else e.actor_id
              for e in entries if e.actor_id]  # fmt: skip
    districts = districts_of(actors) if actors else {}
    items = []
    for entry in entries:
        district = districts.get(entry.actor_id, NO_DISTRICT) if entry.actor_id else NO_DISTRICT
        items.append(Item(ENTRY_TYPE, entry.pk, entry.task_id, field_hashes(entry), district))
        record = getattr(entry, "_chain_record", None)
        if record is not None and record._meta.label_lower in COVERED_TYPES:
            fields = DELETED if entry._chain_deleted else field_hashes(record)
            items.append(Item(record._meta.label_lower, record.pk, entry.task_id, fields, district))
    return items


def _lock_head(district: int) -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(district=district).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():  # a savepoint: the race is lost without aborting the writer
            ChainHead.objects.create(district=district, seq=0, hash=GENESIS)
    except IntegrityError:  # another writer created it first
        pass
    return ChainHead.objects.select_for_update().get(district=district)


@transaction.atomic(savepoint=False)
def chain_append(items: list[Item]) -> None:
    """Append the items to their districts' chains: per district one locked read of the head,
    one insert of the links and one update of the head. Districts are locked in id order, so
    two writers never wait on each other crosswise."""
    by_district: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_district[item.district].append(item)
    for district in sorted(by_district):
        head = _lock_head(district)
        links = []
        for item in by_district[district]:
            digest = digest_of(item.fields)
            seq = head.seq + 1
            link = ChainLink(
                district=district, seq=seq, record_type=item.record_type,
                record_id=item.record_id, task_id=item.task_id, fields=item.fields,
                digest=digest, prev_hash=head.hash,
            )  # fmt: skip
            link.hash = link_hash_of(link)
            links.append(link)
            head.seq, head.hash = seq, link.hash
        ChainLink.objects.bulk_create(links)
        ChainHead.objects.filter(pk=head.pk).update(seq=head.seq, hash=head.hash)


_local = threading.local()


def link_entries(entries: list[AuditEntry]) -> None:
    """The hook AuditEntry calls with its saved entries."""
    if entries and not getattr(_local, "deferred", 0):
        chain_append(items_for_entries(entries))


def _unlinked_batches(model: type[models.Model], record_type: str):
    """The rows without a link, BATCH rows at a time in id order (one read of the rows and one
    of their links per batch)."""
    last = None
    while True:
        rows = model.objects.order_by("pk")
        rows = list((rows.filter(pk__gt=last) if last is not None else rows)[:BATCH])
        if not rows:
            return
        last = rows[-1].pk
        linked = set(
            ChainLink.objects.filter(
                record_type=record_type, record_id__gte=rows[0].pk, record_id__lte=last
            ).values_list("record_id", flat=True)
        )
        if unlinked := [r for r in rows if r.pk not in linked]:
            yield unlinked


@transaction.atomic
def chain_seal() -> int:
    """Link every chained record that has no link yet (records written before the chain
    existed); returns how many. Records are linked in id order, entries first, each to the
    district of its entry's actor (the record's own entries for covered records)."""
    sealed = 0
    for record_type in (ENTRY_TYPE, *COVERED_TYPES):
        model = apps.get_model(record_type)
        for batch in _unlinked_batches(model, record_type):
            chain_append(_seal_items(record_type, batch))
            sealed += len(batch)
    return sealed


def _seal_items(record_type: str, rows: list[models.Model]) -> list[Item]:
    if record_type == ENTRY_TYPE:
        actor_of = {r.pk: r.actor_id for r in rows}
        task_of = {r.pk: r.task_id for r in rows}
    else:
        entries = (
            AuditEntry.objects.filter(record_type=record_type, record_id__in=[r.pk for r in rows])
            .order_by("id")
            .values_list("record_id", "actor_id", "task_id")
        )
        actor_of, task_of = {}, {}
        for record_id, actor_id, task_id in entries:
            actor_of.setdefault(record_id, actor_id)
            task_of.setdefault(record_id, task_id)
    actor_ids = sorted({a for a in actor_of.values() if a})
    districts = districts_of(actor_ids) if actor_ids else {}
    return [
        Item(record_type, r.pk, task_of.get(r.pk) or getattr(r, "task_id", None),
             field_hashes(r), districts.get(actor_of.get(r.pk), NO_DISTRICT))
        for r in rows
    ]  # fmt: skip


def seal_after_migrate(**kwargs) -> None:
    """post_migrate: the first migrate that finds records but no link (an installation upgraded
    to the chain) links them, as `shigan audit seal` would; later ones find links and do
    nothing, so a migrate never relinks a tampered record. Not after a migrate back to before
    the chain or one of the chained tables (the state `apps` it leaves lacks them)."""
    state = kwargs.get("apps")
    try:
        for label in ("core.chainlink", ENTRY_TYPE, *COVERED_TYPES):
            if state is not None:
                state.get_model(label)
    except LookupError:
        return
    if ChainLink.objects.exists() or not AuditEntry.objects.exists():
        return
    chain_seal()


@transaction.atomic
def chain_rebuild() -> int:
    """Drop every link and link every record afresh. Only for data the app itself rewrote
    outside its services on purpose (the demo loader backdates its records); never a remedy for
    a failed verification, which it would launder."""
    ChainLink.objects.all().delete()
    ChainHead.objects.all().delete()
    return chain_seal()


class chain_deferred(ContextDecorator):
    """Within it (in this thread) no links are written; leaving it without an error relinks every
    record (chain_rebuild). For a loader that rewrites its own records behind the services (the
    demo backdates them): linking each write only to drop the links at the end is wasted."""

    def __enter__(self):
        _local.deferred = getattr(_local, "deferred", 0) + 1
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        _local.deferred -= 1
        if exc_type is None and not _local.deferred:
            chain_rebuild()
        return False
