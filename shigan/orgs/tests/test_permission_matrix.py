"""Each role × each page and action of the ledger: allowed or refused, guessed ids included.

Expected codes: 200 (page shown), 302 (action done, redirected), 403 (read-only role),
404 (outside the user's scope, or an id that does not exist), 405 (wrong method).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.tasks.evidence import evidence_store
from shigan.tasks.models import ChangeKind, ChangeRequest, ProgressReport

ROLES = ["coordinator", "leader", "reporter_a", "reporter_b", "inspector"]


@pytest.fixture
def records(world, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    report = ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 6, 1),
        text="6月进展",
        submitted_by=world.reporter_a,
    )
    evidence = evidence_store(
        task=world.task_a,
        upload=SimpleUploadedFile("现场照片.pdf", b"%PDF-1.4 test"),
        by=world.reporter_a,
        report=report,
    )
    request = ChangeRequest.objects.create(
        task=world.task_a,
        kind=ChangeKind.EXTEND,
        reason="征地延误",
        proposed_due_date=datetime.date(2024, 3, 31),
        requested_by=world.reporter_a,
    )
    return {"report": report, "evidence": evidence, "request": request}


def _get(path):
    return lambda w, r: ("get", path(w, r), {})


# (name, request builder, expected status per role)
READS = [
    ("battle map", _get(lambda w, r: "/map/"), [200, 200, 200, 200, 200]),
    ("battle map xlsx", _get(lambda w, r: "/map/export.xlsx"), [200, 200, 200, 200, 200]),
    ("task list", _get(lambda w, r: "/tasks/"), [200, 200, 200, 200, 200]),
    ("campaign", _get(lambda w, r: f"/campaigns/{w.campaign.pk}/"), [200] * 5),
    ("own-unit task A", _get(lambda w, r: f"/tasks/{w.task_a.pk}/"), [200, 200, 200, 404, 200]),
    ("task B (unit B)", _get(lambda w, r: f"/tasks/{w.task_b.pk}/"), [200, 404, 404, 200, 200]),
    ("guessed task id", _get(lambda w, r: "/tasks/987654/"), [404] * 5),
    ("new task form", _get(lambda w, r: "/tasks/new/"), [200, 403, 403, 403, 403]),
    ("edit task A", _get(lambda w, r: f"/tasks/{w.task_a.pk}/edit/"), [200, 403, 403, 404, 403]),
    ("approval queue", _get(lambda w, r: "/tasks/requests/"), [200, 403, 403, 403, 403]),
    ("monthly report", _get(lambda w, r: "/tasks/report/"), [200, 403, 200, 200, 403]),
    (
        "monthly report of unit A",
        _get(lambda w, r: f"/tasks/report/?unit={w.unit_a.pk}"),
        [200, 403, 200, 404, 403],
    ),
    (
        "evidence of task A",
        _get(lambda w, r: f"/tasks/evidence/{r['evidence'].pk}/"),
        [200, 200, 200, 404, 200],
    ),
    ("guessed evidence id", _get(lambda w, r: "/tasks/evidence/987654/"), [404] * 5),
    (
        "correct report form",
        _get(lambda w, r: f"/tasks/reports/{r['report'].pk}/correct/"),
        [200, 403, 200, 404, 403],
    ),
]


@pytest.mark.parametrize("name,build,expected", READS, ids=[r[0] for r in READS])
def test_read_matrix(world, records, client_for, name, build, expected):
    for role, code in zip(ROLES, expected, strict=True):
        method, path, data = build(world, records)
        response = getattr(client_for(world.users()[role]), method)(path, data)
        assert response.status_code == code, f"{name}: {role} got {response.status_code}"


def _change_request(w, r):
    return f"/tasks/{w.task_a.pk}/request/", {"kind": "cancel", "reason": "合并到其他任务"}


def _decide(w, r):
    return f"/tasks/requests/{r['request'].pk}/decide/", {"decision": "approve", "note": "同意"}


def _correct(w, r):
    return f"/tasks/reports/{r['report'].pk}/correct/", {
        "text": "更正后的进展",
        "reason": "数字有误",
    }


WRITES = [
    # name, builder, expected codes for [leader, reporter_b, inspector]
    ("request change on task A", _change_request, [403, 404, 403]),
    ("decide a change request", _decide, [403, 404, 403]),
    ("correct a report of task A", _correct, [403, 404, 403]),
]


@pytest.mark.parametrize("name,build,refused", WRITES, ids=[w[0] for w in WRITES])
def test_write_refusals_change_nothing(world, records, client_for, name, build, refused):
    before = (ProgressReport.objects.count(), ChangeRequest.objects.count())
    state = ChangeRequest.objects.get(pk=records["request"].pk).state
    for role, code in zip(["leader", "reporter_b", "inspector"], refused, strict=True):
        path, data = build(world, records)
        response = client_for(world.users()[role]).post(path, data)
        assert response.status_code == code, f"{name}: {role} got {response.status_code}"
    assert (ProgressReport.objects.count(), ChangeRequest.objects.count()) == before
    assert ChangeRequest.objects.get(pk=records["request"].pk).state == state


def test_reporter_of_lead_unit_corrects_and_coordinator_decides(world, records, client_for):
    path, data = _correct(world, records)
    assert client_for(world.reporter_a).post(path, data).status_code == 302
    assert ProgressReport.objects.filter(corrects=records["report"]).count() == 1
    path, data = _decide(world, records)
    assert client_for(world.coordinator).post(path, data).status_code == 302
    records["request"].refresh_from_db()
    assert records["request"].state == "approved"


@pytest.mark.parametrize(
    "path",
    ["/tasks/{a}/request/", "/tasks/requests/{req}/decide/"],
)
def test_post_only_actions_refuse_get(world, records, client_for, path):
    url = path.format(a=world.task_a.pk, req=records["request"].pk)
    assert client_for(world.coordinator).get(url).status_code == 405


@pytest.mark.parametrize(
    "path",
    ["/map/", "/map/export.xlsx", "/tasks/", "/tasks/report/", "/campaigns/", "/admin/"],
)
def test_anonymous_is_sent_to_login(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_reporter_cannot_post_report_for_other_units_task(world, records, client_for):
    """A reporter of unit B posting task A's fields into his own unit's form changes nothing."""
    before = ProgressReport.objects.count()
    response = client_for(world.reporter_b).post(
        "/tasks/report/",
        {
            "period": "2023-07",
            f"task-{world.task_a.pk}-text": "冒名填报",
            f"task-{world.task_a.pk}-seen": "",
        },
    )
    assert response.status_code == 404
    assert ProgressReport.objects.count() == before
