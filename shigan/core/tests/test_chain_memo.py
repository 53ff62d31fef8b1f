"""The chain's remembered hashes (shigan.core.chain, issue 18): the same hashes as computed
afresh, and a record or link changed in any way after its hashes were remembered is still named
by the verifier — the memo is keyed by exact content, never by a record's id."""

import datetime
import json

import pytest
from django.db import connection

from shigan.core import chain
from shigan.core.chain_verify import Kind, verify_task
from shigan.core.models import ChainLink
from shigan.tasks.models import ProgressReport
from shigan.tasks.services.progress import progress_submit

JULY = datetime.date(2023, 7, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def empty_memo():
    chain.memo_clear()
    yield
    chain.memo_clear()


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@pytest.mark.parametrize(
    "value",
    ['a"b\\c\n\t\x00\x1f\u2028é中文', "", "x" * 300, 0, -7, 2**70, True, False, None,
     {"b": [1, True, None, "二"], "a": {"z": "y"}}, [], 1.5],
)  # fmt: skip
def test_the_quick_json_of_a_value_is_json_dumps_own(value):
    expected = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert chain._dumps(value) == expected


@pytest.fixture
def report(world):
    return progress_submit(
        task=world.task_a, unit=world.unit_a, period=JULY, by=world.reporter_a,
        text="完成路基3公里", milestones_reached={}, uploads=[],
    )  # fmt: skip


def test_remembered_hashes_are_the_hashes_computed_afresh(report):
    fresh = chain.field_hashes(report)  # the memo is empty: computed
    assert chain._MEMO
    assert chain.field_hashes(ProgressReport.objects.get(pk=report.pk)) == fresh
    link = ChainLink.objects.filter(record_type="tasks.progressreport", record_id=report.pk).get()
    assert chain.digest_of(link.fields) == link.digest == chain.digest_of(dict(link.fields))


def test_a_second_verification_hashes_no_field_again(world, report, monkeypatch):
    assert verify_task(world.task_a.pk) == []
    hashed = []
    original = chain._field_hash
    monkeypatch.setattr(chain, "_field_hash", lambda f, v: hashed.append(f) or original(f, v))
    assert verify_task(world.task_a.pk) == []
    assert hashed == []


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        ("text", "完成路基4公里", "text"),
        # equal to the old value in Python (1 == True) but another JSON: not the remembered key
        ("milestones_reached", '{"1": true}', "milestones_reached"),
        ("milestones_reached", '{"1": 1.0}', "milestones_reached"),
    ],
)
def test_a_record_changed_after_its_hashes_were_remembered_is_named(
    world, report, column, value, field
):
    if column == "milestones_reached":  # first remembered holding {"1": 1}
        ProgressReport.objects.filter(pk=report.pk).update(milestones_reached={"1": 1})
        fields = chain.field_hashes(ProgressReport.objects.get(pk=report.pk))
        ChainLink.objects.filter(record_type="tasks.progressreport", record_id=report.pk).update(
            fields=fields, digest=chain.digest_of(fields)
        )
    assert [f for f in verify_task(world.task_a.pk) if f.kind != Kind.LINK] == []
    sql(f"UPDATE {table(ProgressReport)} SET {column} = %s WHERE id = %s", [value, report.pk])
    found = [f for f in verify_task(world.task_a.pk) if f.kind == Kind.CHANGED]
    assert [(f.record_id, f.fields) for f in found] == [(report.pk, (field,))]


def test_a_timestamp_moved_by_a_microsecond_after_it_was_remembered_is_named(world, report):
    assert verify_task(world.task_a.pk) == []
    moved = report.submitted_at + datetime.timedelta(microseconds=1)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=moved)
    found = verify_task(world.task_a.pk)
    assert [(f.record_id, f.fields) for f in found] == [(report.pk, ("submitted_at",))]


def test_a_link_edited_after_its_digest_was_remembered_is_named(world, report):
    assert verify_task(world.task_a.pk) == []
    link = ChainLink.objects.filter(record_type="tasks.progressreport", record_id=report.pk).get()
    forged = {**link.fields, "text": "0" * 32}
    ChainLink.objects.filter(pk=link.pk).update(fields=forged)
    found = verify_task(world.task_a.pk)
    assert (Kind.LINK, report.pk) in {(f.kind, f.record_id) for f in found}
    # a link's fields holding other JSON than strings are hashed afresh, not remembered
    ChainLink.objects.filter(pk=link.pk).update(fields={**link.fields, "text": 1})
    assert (Kind.LINK, report.pk) in {(f.kind, f.record_id) for f in verify_task(world.task_a.pk)}


def test_the_memo_is_emptied_when_full(report, monkeypatch):
    chain.memo_clear()
    monkeypatch.setattr(chain, "MEMO_MAX", 3)
    fresh = chain.field_hashes(report)  # more fields than the memo holds
    assert len(fresh) > 3 and 0 < len(chain._MEMO) <= 3
    assert chain.field_hashes(report) == fresh


def test_a_digest_of_fields_other_than_strings_is_never_remembered():
    # 1 == True in Python: keyed by items alone, {"a": True} would be answered {"a": 1}'s digest
    assert chain.digest_of({"a": 1}) == chain._sha('{"a":1}')
    assert chain.digest_of({"a": True}) == chain._sha('{"a":true}')
    assert chain.digest_of({"a": "1"}) == chain._sha('{"a":"1"}')


def test_a_long_text_is_hashed_afresh_not_kept(report, monkeypatch):
    """The memo's memory stays bounded: a str above MEMO_TEXT_MAX characters (or JSON holding
    one) is not a key; its hash is the same as ever."""
    chain.memo_clear()
    long_text = "进" * (chain.MEMO_TEXT_MAX + 1)
    report.text = long_text
    hashes = chain.field_hashes(report)
    assert not any(long_text in key for key in chain._MEMO)
    assert chain._memo_key("x", "text", long_text) is None
    assert chain._memo_key("x", "data", {"a": [long_text]}) is None
    assert chain._memo_key("x", "text", "进" * chain.MEMO_TEXT_MAX) is not None
    monkeypatch.setattr(chain, "MEMO_TEXT_MAX", 10_000)
    chain.memo_clear()
    assert chain.field_hashes(report) == hashes  # kept or not, one hash
    assert any(long_text in key for key in chain._MEMO)
