"""Verify the tamper-evident chain (shigan.core.chain) against the records.

Two walks, each streaming in id order with bounded memory:
- each district's links in `seq` order: a link whose hash or digest does not recompute was
  edited; a gap in `seq` is links removed; a `prev_hash` that is not the previous link's hash is
  a link inserted or moved; the head not matching the last link is links cut off the end or
  added after it.
- each chained record type, its rows merged with its latest links by id: a row whose fields do
  not hash to its latest link's was changed (the fields are named); a link without a row is a
  record removed; a row without a link is a record inserted.
"""

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from . import prepared
from .chain import (
    BATCH,
    COVERED_TYPES,
    DELETED,
    ENTRY_TYPE,
    GENESIS,
    digest_of,
    field_hashes,
    link_hash_of,
)
from .models import ChainHead, ChainLink

TYPE_LABELS = {
    ENTRY_TYPE: "操作记录",
    "tasks.progressreport": "进展填报",
    "tasks.changerequest": "变更申请",
    "indicators.actual": "指标实绩",
    "indicators.projectfigure": "项目数据",
}


class Kind:
    CHANGED = "changed"
    REMOVED = "removed"
    INSERTED = "inserted"
    LINK = "link"


def field_label(record_type: str, attname: str) -> str:
    """A column as the pages name it: "进展情况（text）"."""
    try:
        fields = {f.attname: f for f in apps.get_model(record_type)._meta.concrete_fields}
    except LookupError:
        return attname
    field = fields.get(attname)
    return f"{field.verbose_name}（{attname}）" if field is not None else attname


@dataclass(frozen=True)
class Finding:
    """One thing that does not verify, named for the operator."""

    kind: str
    district: int | None = None
    record_type: str = ""
    record_id: int | None = None
    seq: int | None = None
    fields: tuple[str, ...] = ()
    detail: str = ""

    @property
    def record(self) -> str:
        return f"{TYPE_LABELS.get(self.record_type, self.record_type)} #{self.record_id}"

    @property
    def message(self) -> str:
        if self.kind == Kind.CHANGED:
            named = "、".join(field_label(self.record_type, f) for f in self.fields) or "内容"
            return f"{self.record} 被改动（字段：{named}）"
        if self.kind == Kind.REMOVED:
            return f"{self.record} 被删除"
        if self.kind == Kind.INSERTED:
            return f"{self.record} 被插入（不在链中）"
        return f"区县 {self.district} 的链第{self.seq}环：{self.detail}"


def compare(record_type: str, row: models.Model | None, link: dict | None) -> Finding | None:
    """The finding for one record and its latest link (either may be missing)."""
    if link is None or link["fields"] == DELETED:
        if row is None:
            return None
        return Finding(Kind.INSERTED, record_type=record_type, record_id=row.pk)
    if row is None:
        return Finding(
            Kind.REMOVED, district=link["district"], record_type=record_type,
            record_id=link["record_id"], seq=link["seq"],
        )  # fmt: skip
    actual, expected = field_hashes(row), link["fields"]
    # Only the columns the link recorded that the table still has: a column a later migration
    # added (or dropped) is not a change made behind the app's back.
    changed = tuple(k for k in sorted(expected) if k in actual and actual[k] != expected[k])
    if not changed:
        return None
    return Finding(
        Kind.CHANGED, district=link["district"], record_type=record_type, record_id=row.pk,
        seq=link["seq"], fields=changed,
    )  # fmt: skip


def _link_finding(link: ChainLink, detail: str) -> Finding:
    return Finding(
        Kind.LINK, district=link.district, record_type=link.record_type,
        record_id=link.record_id, seq=link.seq, detail=detail,
    )  # fmt: skip


def _link_edited(link: ChainLink) -> Finding | None:
    if digest_of(link.fields) == link.digest and link_hash_of(link) == link.hash:
        return None
    label = TYPE_LABELS.get(link.record_type, link.record_type)
    return _link_finding(link, f"链环被改动（{label} #{link.record_id}）")


def _link_problems(link: ChainLink, prev: ChainLink | None) -> Iterator[Finding]:
    def finding(detail: str) -> Finding:
        return _link_finding(link, detail)

    if edited := _link_edited(link):
        yield edited
    expected_seq = prev.seq + 1 if prev else 1
    if link.seq != expected_seq:
        yield finding(f"第{expected_seq}–{link.seq - 1}环被删除")
    elif link.prev_hash != (prev.hash if prev else GENESIS):
        yield finding("与前一环不相接（链环被插入或替换）")


def verify_district(district: int) -> Iterator[Finding]:
    """Walk one district's chain in `seq` order, BATCH links at a time."""
    prev = None
    while True:
        batch = list(
            ChainLink.objects.filter(district=district, seq__gt=prev.seq if prev else 0).order_by(
                "seq"
            )[:BATCH]
        )
        for link in batch:
            yield from _link_problems(link, prev)
            prev = link
        if len(batch) < BATCH:
            break
    head = ChainHead.objects.filter(district=district).first()
    last_seq, last_hash = (prev.seq, prev.hash) if prev else (0, GENESIS)
    if head is None or (head.seq, head.hash) != (last_seq, last_hash):
        yield Finding(
            Kind.LINK, district=district, seq=last_seq,
            detail=f"链尾与链头（第{head.seq if head else 0}环）不符：链尾的环被删除或追加",
        )  # fmt: skip


def district_ids() -> list[int]:
    heads = set(ChainHead.objects.values_list("district", flat=True))
    links = set(ChainLink.objects.order_by().values_list("district", flat=True).distinct())
    return sorted(heads | links)


def _latest_links(record_type: str, **filters) -> Iterator[dict]:
    links = (
        ChainLink.objects.filter(record_type=record_type, **filters)
        .order_by("record_id", "seq")
        .values("record_id", "seq", "district", "fields")
        .iterator(chunk_size=BATCH)
    )
    for _, group in itertools.groupby(links, key=lambda link: link["record_id"]):
        *_, latest = group
        yield latest


def merge(
    record_type: str, rows: Iterable[models.Model], links: Iterable[dict]
) -> Iterator[Finding]:
    """Merge rows and latest links, both in id order, into findings."""
    rows, links = iter(rows), iter(links)
    row, link = next(rows, None), next(links, None)
    while row is not None or link is not None:
        if link is None or (row is not None and row.pk < link["record_id"]):
            found, row = compare(record_type, row, None), next(rows, None)
        elif row is None or link["record_id"] < row.pk:
            found, link = compare(record_type, None, link), next(links, None)
        else:
            found = compare(record_type, row, link)
            row, link = next(rows, None), next(links, None)
        if found is not None:
            yield found


def verify_records(record_type: str) -> Iterator[Finding]:
    model = apps.get_model(record_type)
    rows = model.objects.order_by("pk").iterator(chunk_size=BATCH)
    yield from merge(record_type, rows, _latest_links(record_type))


def verify_all() -> Iterator[Finding]:
    """Every finding of the database: each district's chain, then each record type."""
    for district in district_ids():
        yield from verify_district(district)
    for record_type in (ENTRY_TYPE, *COVERED_TYPES):
        yield from verify_records(record_type)


def _task_links(task_id: int):
    return ChainLink.objects.filter(task_id=task_id).order_by("record_type", "record_id", "seq")


def verify_task(task_id: int, read: dict[str, list] | None = None) -> list[Finding]:
    """The findings of one task's records (its audit entries, progress reports and change
    requests) against their links: a bounded number of queries (one per record type plus one),
    for the task page. `read`: every record of the task of a type ("tasks.progressreport"),
    as the page has already read them (in any order): compared without reading them again.
    The district-wide walk is `shigan audit verify`'s."""
    read = read or {}
    # Its statement compiled once per process (core.prepared): the page asks on every request.
    links = prepared.rows(("verify_task:links",), _task_links, task_id)
    findings = []
    latest: dict[str, list[dict]] = {}
    for link in links:
        if edited := _link_edited(link):
            findings.append(edited)
        rows = latest.setdefault(link.record_type, [])
        as_dict = {"record_id": link.record_id, "seq": link.seq, "district": link.district,
                   "fields": link.fields}  # fmt: skip
        if rows and rows[-1]["record_id"] == link.record_id:
            rows[-1] = as_dict
        else:
            rows.append(as_dict)
    for record_type in (ENTRY_TYPE, *COVERED_TYPES):
        model = apps.get_model(record_type)
        if not any(f.attname == "task_id" for f in model._meta.concrete_fields):
            continue
        if record_type in read:
            rows = sorted(read[record_type], key=lambda row: row.pk)
        else:
            rows = model.objects.filter(task_id=task_id).order_by("pk")
        findings.extend(merge(record_type, rows, latest.get(record_type, [])))
    return findings
