"""Evidence (佐证材料) on a correction of a month's progress report (a second filing with its
更正原因): the monthly report's card offers the 佐证材料 input under the reason, and
monthly_report_submit stores the files with the correcting report; POST /tasks/{id}/progress
with `reason` and `evidence` parts does exactly the same — the files go with the new report,
the corrected report keeps its own, a refused correction (no reason) stores no file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shigan.core.models import AuditAction, AuditEntry
from shigan.tasks.models import Evidence, ProgressReport

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def by_report() -> list[tuple[str, str | None, list[str]]]:
    """Each report's text, the text of the report it corrects, and its files' names."""
    rows = []
    for report in ProgressReport.objects.order_by("pk").select_related("corrects"):
        names = sorted(
            Evidence.objects.filter(report=report).values_list("original_name", flat=True)
        )
        rows.append((report.text, report.corrects.text if report.corrects_id else None, names))
    return rows


def page_post(client, task, text, *files, reason="", seen=""):
    return client.post(
        f"/tasks/report/?unit={task.lead_unit_id}",
        {"period": "2023-07", f"task-{task.pk}-text": text, f"task-{task.pk}-seen": seen,
         f"task-{task.pk}-reason": reason, f"task-{task.pk}-evidence": list(files)},
    )  # fmt: skip


def api_post(api, task, text, *files, reason=""):
    data = {"period": "2023-07", "text": text, "reason": reason, "evidence": list(files)}
    return api.post(f"/api/v1/tasks/{task.pk}/progress", data)


@pytest.mark.parametrize("user_name", ["reporter_a", "coordinator"])
def test_a_correction_with_evidence_through_the_api_is_the_pages(
    world, token_client, client_for, user_name
):
    user, task = getattr(world, user_name), world.task_a
    page = client_for(user)
    assert page_post(page, task, "初报", pdf("初报.pdf")).status_code == 302
    first = ProgressReport.objects.get()
    with transaction.atomic():  # the page's correction, undone once read
        corrected = page_post(page, task, "更正", pdf("补充.pdf"), reason="补材料", seen=first.pk)
        assert corrected.status_code == 302, corrected.content.decode()[-2000:]
        by_page = by_report()
        transaction.set_rollback(True)
    api, _ = token_client(user)
    response = api_post(api, task, "更正", pdf("补充.pdf"), reason="补材料")
    assert response.status_code == 201, response.content
    assert response.json()["corrects_id"] == first.pk
    assert (
        by_report()
        == by_page
        == [
            ("初报", None, ["初报.pdf"]),
            ("更正", "初报", ["补充.pdf"]),
        ]
    )
    audited = AuditEntry.objects.filter(record_type="tasks.evidence", action=AuditAction.CREATE)
    assert audited.count() == 2
    listed = api.get(f"/api/v1/tasks/{task.pk}/evidence").json()
    assert sorted(f["name"] for f in listed) == ["初报.pdf", "补充.pdf"]


def test_a_correction_without_its_reason_stores_no_file_on_either(world, token_client, client_for):
    task, page = world.task_a, client_for(world.reporter_a)
    assert page_post(page, task, "初报").status_code == 302
    first = ProgressReport.objects.get()
    refused_page = page_post(page, task, "更正", pdf("补充.pdf"), seen=first.pk)
    assert refused_page.status_code == 200 and "更正原因" in refused_page.content.decode()
    api, _ = token_client(world.reporter_a)
    refused = api_post(api, task, "更正", pdf("补充.pdf"))
    assert refused.status_code == 422, refused.content
    assert ProgressReport.objects.count() == 1 and Evidence.objects.count() == 0


def test_the_report_pages_correction_with_evidence_is_the_apis(world, token_client, client_for):
    """The task page's 更正 of a report (tasks:progress_correct: text, reason, 佐证材料) stores
    what the API's second filing with `reason` and `evidence` stores."""
    task, page = world.task_a, client_for(world.reporter_a)
    assert page_post(page, task, "初报", pdf("初报.pdf")).status_code == 302
    first = ProgressReport.objects.get()
    with transaction.atomic():
        url = f"/tasks/reports/{first.pk}/correct/"
        data = {"text": "更正", "reason": "补材料", "evidence": [pdf("补充.pdf")]}
        assert page.post(url, data).status_code == 302
        by_page = by_report()
        transaction.set_rollback(True)
    api, _ = token_client(world.reporter_a)
    assert api_post(api, task, "更正", pdf("补充.pdf"), reason="补材料").status_code == 201
    assert by_report() == by_page == [("初报", None, ["初报.pdf"]), ("更正", "初报", ["补充.pdf"])]
