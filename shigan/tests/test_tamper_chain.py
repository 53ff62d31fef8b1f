"""The tamper-evident chain (shigan.core.chain): records written through the services verify;
rows edited, deleted or inserted with raw SQL behind the app's back are each named. Runs on
SQLite and, with DATABASE_URL, on PostgreSQL."""

import datetime
import io
import json
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from shigan.core.audit import audit_record
from shigan.core.chain import chain_deferred, digest_of, field_hashes, seal_after_migrate
from shigan.core.chain_verify import Kind, compare, verify_all, verify_task
from shigan.core.models import AuditAction, AuditEntry, ChainHead, ChainLink
from shigan.indicators.models import Actual, Indicator, MeasureUnit
from shigan.indicators.services import actual_submit
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.tasks.models import ChangeKind, ChangeRequest, ProgressReport
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.progress import progress_submit
from shigan.testing import make_task, make_user

JULY = datetime.date(2023, 7, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def records(world):
    """A progress report, a change request decided, an indicator's figure: all through services."""
    report = progress_submit(
        task=world.task_a, unit=world.unit_a, period=JULY, by=world.reporter_a,
        text="完成路基 3 公里", milestones_reached={}, uploads=[],
    )  # fmt: skip
    request = change_request_create(
        task=world.task_b, by=world.reporter_b, kind=ChangeKind.EXTEND, reason="汛期停工",
        proposed_due_date=datetime.date(2024, 3, 31),
    )  # fmt: skip
    change_request_decide(change_request=request, by=world.coordinator, approve=True, note="同意")
    indicator = Indicator.objects.create(
        name="固定资产投资", responsible_unit=world.unit_a, measure_unit=MeasureUnit.WAN_YUAN
    )
    actual = actual_submit(
        indicator=indicator, year=2023, month=7, value=Decimal("30000.50"), is_estimate=False,
        note="", by=world.reporter_a, unit=world.unit_a,
    )  # fmt: skip
    return {"report": report, "request": request, "actual": actual}


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def found(findings) -> set[tuple]:
    return {(f.kind, f.record_type, f.record_id) for f in findings}


def test_records_written_through_services_verify_and_each_has_a_link(records):
    assert list(verify_all()) == []
    for record_type, obj in [
        ("tasks.progressreport", records["report"]),
        ("tasks.changerequest", records["request"]),
        ("indicators.actual", records["actual"]),
    ]:
        assert ChainLink.objects.filter(record_type=record_type, record_id=obj.pk).exists()
    # The decision is a second link of the same change request: submitted, then decided.
    assert ChainLink.objects.filter(record_id=records["request"].pk,
                                    record_type="tasks.changerequest").count() == 2  # fmt: skip
    entries = AuditEntry.objects.count()
    assert ChainLink.objects.filter(record_type="core.auditentry").count() == entries


def test_links_of_one_district_form_one_chain_numbered_from_1(records, world):
    seqs = list(ChainLink.objects.filter(district=world.district.pk).values_list("seq", flat=True))
    assert sorted(seqs) == list(range(1, len(seqs) + 1))
    head = ChainHead.objects.get(district=world.district.pk)
    assert head.seq == len(seqs)


def test_a_progress_report_edited_with_sql_is_named_with_its_field(records):
    report = records["report"]
    sql(
        f"UPDATE {table(ProgressReport)} SET text = %s WHERE id = %s",
        ["完成路基 30 公里", report.pk],
    )
    findings = list(verify_all())
    assert [(f.kind, f.record_type, f.record_id, f.fields) for f in findings] == [
        (Kind.CHANGED, "tasks.progressreport", report.pk, ("text",))
    ]
    assert findings[0].message == f"进展填报 #{report.pk} 被改动（字段：进展情况（text））"


def test_a_figure_and_a_decision_edited_with_sql_are_named(records):
    actual, request = records["actual"], records["request"]
    sql(f"UPDATE {table(Actual)} SET value = %s WHERE id = %s", [Decimal("90000"), actual.pk])
    sql(f"UPDATE {table(ChangeRequest)} SET state = %s WHERE id = %s", ["returned", request.pk])
    findings = {(f.record_type, f.record_id): f.fields for f in verify_all()}
    assert findings == {
        ("indicators.actual", actual.pk): ("value",),
        ("tasks.changerequest", request.pk): ("state",),
    }


def test_a_timestamp_moved_by_one_microsecond_is_named(records):
    report = records["report"]
    moved = report.submitted_at + datetime.timedelta(microseconds=1)
    sql(f"UPDATE {table(ProgressReport)} SET submitted_at = %s WHERE id = %s",
        [connection.ops.adapt_datetimefield_value(moved), report.pk])  # fmt: skip
    assert [f.fields for f in verify_all()] == [("submitted_at",)]


def test_an_audit_entry_deleted_with_sql_is_named_as_removed(records):
    entry = AuditEntry.objects.filter(record_type="tasks.progressreport").get()
    sql(f"DELETE FROM {table(AuditEntry)} WHERE id = %s", [entry.pk])
    assert found(verify_all()) == {(Kind.REMOVED, "core.auditentry", entry.pk)}


def test_a_progress_report_inserted_with_sql_is_named_as_inserted(records, world):
    report = records["report"]
    columns = [f.column for f in ProgressReport._meta.concrete_fields if not f.primary_key]
    copied = ", ".join("%s" if c == "text" else c for c in columns)
    sql(
        f"INSERT INTO {table(ProgressReport)} ({', '.join(columns)})"
        f" SELECT {copied} FROM {table(ProgressReport)} WHERE id = %s",
        ["伪造的进展", report.pk],
    )
    forged = ProgressReport.objects.exclude(pk=report.pk).get()
    assert found(verify_all()) == {(Kind.INSERTED, "tasks.progressreport", forged.pk)}


def test_an_audit_entry_inserted_with_sql_is_named_as_inserted(records):
    sql(
        f"INSERT INTO {table(AuditEntry)} (at, source, action, record_type, record_id,"
        " record_repr, changes, note) VALUES (%s, 'system', 'approve', 'tasks.task', 1, '伪造',"
        " '{}', '')",
        [connection.ops.adapt_datetimefield_value(datetime.datetime.now(datetime.UTC))],
    )
    forged = AuditEntry.objects.order_by("-id").first()
    assert found(verify_all()) == {(Kind.INSERTED, "core.auditentry", forged.pk)}


def test_a_link_deleted_from_the_middle_is_named_with_its_record(records, world):
    link = ChainLink.objects.filter(district=world.district.pk).order_by("seq")[2]
    sql(f"DELETE FROM {table(ChainLink)} WHERE id = %s", [link.pk])
    findings = list(verify_all())
    gap = [f for f in findings if f.kind == Kind.LINK]
    assert [(f.district, f.seq) for f in gap] == [(world.district.pk, link.seq + 1)]
    assert f"第{link.seq}–{link.seq}环被删除" in gap[0].message
    # The record whose only link it was is now a record outside the chain.
    assert (Kind.INSERTED, link.record_type, link.record_id) in found(findings)


def test_a_link_whose_digest_is_rewritten_to_match_an_edit_is_named(records, world):
    report = records["report"]
    sql(f"UPDATE {table(ProgressReport)} SET text = %s WHERE id = %s", ["改过", report.pk])
    link = ChainLink.objects.get(record_type="tasks.progressreport", record_id=report.pk)
    report.refresh_from_db()
    fields = field_hashes(report)
    link.fields, link.digest = fields, digest_of(fields)
    link.save(update_fields=["fields", "digest"])  # behind the app: no new hash
    findings = list(verify_all())
    assert [(f.kind, f.seq) for f in findings] == [(Kind.LINK, link.seq)]
    assert "链环被改动（进展填报" in findings[0].message


def test_links_cut_off_the_end_are_named_by_the_head(records, world):
    last = ChainLink.objects.filter(district=world.district.pk).order_by("-seq").first()
    sql(f"DELETE FROM {table(ChainLink)} WHERE id = %s", [last.pk])
    findings = list(verify_all())
    assert any(f.kind == Kind.LINK and "链尾与链头" in f.message for f in findings)


def test_audit_verify_exits_1_and_names_each_problem(records):
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "校验通过" in out.getvalue()
    report = records["report"]
    sql(f"UPDATE {table(ProgressReport)} SET text = %s WHERE id = %s", ["改过", report.pk])
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify", stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert f"进展填报 #{report.pk} 被改动（字段：进展情况（text））" in out.getvalue()
    assert "1处问题" in err.getvalue()


def test_seal_links_records_written_before_the_chain(records):
    ChainLink.objects.all().delete()
    ChainHead.objects.all().delete()
    assert found(verify_all())  # every record is outside the chain
    out = io.StringIO()
    call_command("audit", "seal", stdout=out)
    assert f"已为{AuditEntry.objects.count() + 3}条记录补链" in out.getvalue()
    assert list(verify_all()) == []


def test_seal_does_not_launder_a_record_inserted_behind_the_chain(records):
    # Once the chain holds links every write is linked as it is made: a record without a link
    # was put in behind the app's back, and sealing it would make verify pass again.
    out = io.StringIO()
    call_command("audit", "seal", stdout=out)  # nothing unlinked: nothing to refuse
    assert "已为0条记录补链" in out.getvalue()
    report = records["report"]
    columns = [f.column for f in ProgressReport._meta.concrete_fields if not f.primary_key]
    copied = ", ".join("%s" if c == "text" else c for c in columns)
    sql(
        f"INSERT INTO {table(ProgressReport)} ({', '.join(columns)})"
        f" SELECT {copied} FROM {table(ProgressReport)} WHERE id = %s",
        ["伪造的进展", report.pk],
    )
    forged = ProgressReport.objects.exclude(pk=report.pk).get()
    links = ChainLink.objects.count()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "seal", stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert f"进展填报 #{forged.pk}" in err.getvalue() and "--force" in err.getvalue()
    assert ChainLink.objects.count() == links
    assert found(verify_all()) == {(Kind.INSERTED, "tasks.progressreport", forged.pk)}
    call_command("audit", "seal", "--force", stdout=out)
    assert list(verify_all()) == []


def test_task_page_warns_when_its_records_do_not_verify(records, world, client_for):
    c = client_for(world.coordinator)
    page = c.get(f"/tasks/{world.task_a.pk}/").content.decode()
    assert 'data-warning="tampered"' not in page
    report = records["report"]
    sql(f"UPDATE {table(ProgressReport)} SET text = %s WHERE id = %s", ["改过", report.pk])
    assert [f.record_id for f in verify_task(world.task_a.pk)] == [report.pk]
    assert verify_task(world.task_b.pk) == []
    page = c.get(f"/tasks/{world.task_a.pk}/").content.decode()
    assert 'data-warning="tampered"' in page
    assert f"进展填报 #{report.pk} 被改动（字段：进展情况（text））" in page
    assert 'data-warning="tampered"' not in c.get(f"/tasks/{world.task_b.pk}/").content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's writers queue for the file")
def test_concurrent_writers_of_one_district_extend_one_unbroken_chain(world):
    def write(user):
        try:
            for _ in range(10):
                with transaction.atomic():
                    audit_record(actor=user, obj=world.task_a, action=AuditAction.VIEW)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, [world.reporter_a, world.reporter_b, world.coordinator, world.leader]))
    seqs = list(ChainLink.objects.filter(district=world.district.pk).values_list("seq", flat=True))
    assert sorted(seqs) == list(range(1, 41))
    assert list(verify_all()) == []


def test_each_district_keeps_its_own_chain_and_a_break_names_only_its_own(records, world):
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    bureau = Unit.objects.create(name="乙县交通局", kind=UnitKind.BUREAU, parent=other)
    reporter, _ = make_user("yi_reporter", unit=bureau, role=Role.REPORTER, name="乙填报")
    task = make_task(campaign=world.campaign, category=world.category, unit=bureau, title="乙路")
    report = progress_submit(
        task=task, unit=bureau, period=JULY, by=reporter, text="乙县进展",
        milestones_reached={}, uploads=[],
    )  # fmt: skip
    links = ChainLink.objects.filter(district=other.pk).order_by("seq")
    assert [(link.seq, link.record_type) for link in links] == [
        (1, "core.auditentry"),
        (2, "tasks.progressreport"),
    ]
    assert links[0].prev_hash == "0" * 64
    assert not ChainLink.objects.filter(district=world.district.pk, record_id=report.pk,
                                        record_type="tasks.progressreport").exists()  # fmt: skip
    first = ChainLink.objects.filter(district=world.district.pk).order_by("seq").first()
    sql(f"DELETE FROM {table(ChainLink)} WHERE id = %s", [first.pk])
    broken = {f.district for f in verify_all() if f.kind == Kind.LINK}
    assert broken == {world.district.pk}


def test_a_record_deleted_through_its_audit_leaves_a_tombstone_that_verifies(records, world):
    report = records["report"]
    audit_record(actor=world.coordinator, obj=report, action=AuditAction.DELETE,
                 task_id=report.task_id)  # fmt: skip
    report_id = report.pk
    report.delete()
    assert list(verify_all()) == []
    # Put back behind the app's back, the deleted report is a record inserted.
    columns = [f.column for f in ProgressReport._meta.concrete_fields]
    values = [getattr(report, f.attname) for f in ProgressReport._meta.concrete_fields]
    values[0] = report_id
    values = [connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime.datetime)
              else v for v in values]  # fmt: skip
    values = [json.dumps(v) if isinstance(v, dict | list) else v for v in values]
    marks = ", ".join(["%s"] * len(columns))
    sql(f"INSERT INTO {table(ProgressReport)} ({', '.join(columns)}) VALUES ({marks})", values)
    assert found(verify_all()) == {(Kind.INSERTED, "tasks.progressreport", report_id)}


def test_within_chain_deferred_nothing_is_linked_until_it_ends_and_then_all_is(records, world):
    before = ChainLink.objects.count()
    with chain_deferred():
        audit_record(actor=world.coordinator, obj=world.task_a, action=AuditAction.VIEW)
        assert ChainLink.objects.count() == before
    assert ChainLink.objects.count() == AuditEntry.objects.count() + 3  # relinked, once each
    assert list(verify_all()) == []
    with pytest.raises(ValueError), chain_deferred():
        raise ValueError
    linked = ChainLink.objects.count()
    audit_record(actor=world.coordinator, obj=world.task_a, action=AuditAction.VIEW)
    assert ChainLink.objects.count() == linked + 1


def test_a_column_the_link_did_not_record_is_not_a_change(records):
    report = records["report"]
    link = ChainLink.objects.filter(record_type="tasks.progressreport", record_id=report.pk).get()
    older = {k: v for k, v in link.fields.items() if k != "text"}  # as if text came later
    older["dropped_column"] = "0" * 32  # and a column since dropped
    report.text = "迁移后改写"
    as_linked = {"record_id": report.pk, "seq": link.seq, "district": link.district}
    assert compare("tasks.progressreport", report, {**as_linked, "fields": older}) is None
    changed = compare("tasks.progressreport", report, {**as_linked, "fields": link.fields})
    assert changed.fields == ("text",)


def test_the_first_migrate_after_the_upgrade_seals_and_later_ones_never_relink(records):
    ChainLink.objects.all().delete()
    ChainHead.objects.all().delete()
    seal_after_migrate()
    assert list(verify_all()) == []
    report = records["report"]
    sql(f"UPDATE {table(ProgressReport)} SET text = %s WHERE id = %s", ["改过", report.pk])
    seal_after_migrate()
    assert [f.fields for f in verify_all()] == [("text",)]
