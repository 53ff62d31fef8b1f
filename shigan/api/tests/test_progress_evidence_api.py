"""A progress report with its evidence (佐证材料) through the API is the monthly report's card
with its files: the same multipart address as the JSON one, the page's service
(monthly_report_submit), the page's file checks (core.files.validate_upload), all or nothing
and audited; each role's token files exactly where the page lets the role file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shigan.core.models import AuditAction, AuditEntry
from shigan.tasks.models import Evidence, ProgressReport

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="验收报告.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def file(client, task, *files, headers=None, **data):
    data = {"period": "2023-07", "text": "完成路基施工"} | data
    url = f"/api/v1/tasks/{task.pk}/progress"
    return client.post(url, data | {"evidence": list(files)}, headers=headers)


def test_reporter_files_a_report_with_evidence_audited_and_downloadable(world, token_client):
    api, _ = token_client(world.reporter_a)
    response = file(api, world.task_a, pdf(), SimpleUploadedFile("../现场.png", PNG))
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get()
    assert response.json()["id"] == report.pk and report.text == "完成路基施工"
    evidence = list(Evidence.objects.filter(report=report).order_by("pk"))
    assert [e.original_name for e in evidence] == ["验收报告.pdf", "现场.png"]  # no folder kept
    audited = AuditEntry.objects.filter(record_type="tasks.evidence", action=AuditAction.CREATE)
    assert audited.count() == 2 and {e.actor for e in audited} == {world.reporter_a}
    assert AuditEntry.objects.get(record_type="tasks.progressreport").action == AuditAction.SUBMIT
    listed = api.get(f"/api/v1/tasks/{world.task_a.pk}/evidence").json()
    assert [f["name"] for f in listed] == ["验收报告.pdf", "现场.png"]
    download = api.get(listed[0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_multipart_without_files_and_with_milestones_as_json_text(world, token_client):
    milestone = world.task_a.milestones.create(title="路基完成", due_date="2023-08-31")
    api, _ = token_client(world.reporter_a)
    reached = f'[{{"id": {milestone.pk}, "done_on": "2023-07-18"}}]'
    response = file(api, world.task_a, milestones_reached=reached)
    assert response.status_code == 201, response.content
    milestone.refresh_from_db()
    assert str(milestone.done_on) == "2023-07-18" and Evidence.objects.count() == 0
    bad = file(api, world.task_a, text="再报", reason="补充", milestones_reached="[{")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "milestones_reached"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("空.pdf", b"", "是空文件"),
        ("程序.exe", b"MZ\x90\x00", "类型不支持"),
        ("假.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名 .pdf 不符"),
    ],
)
def test_a_refused_file_stores_no_report_and_no_file(
    world, token_client, settings, name, content, message
):
    api, _ = token_client(world.reporter_a)
    response = file(api, world.task_a, pdf(), SimpleUploadedFile(name, content))
    assert response.status_code == 422, response.content
    body = response.json()
    assert message in body["detail"] and body["errors"][0]["field"] == "evidence"
    assert ProgressReport.objects.count() == 0 and Evidence.objects.count() == 0
    assert stored_files(settings) == []  # the accepted PDF was not left behind either


def test_a_refused_report_stores_no_file(world, token_client, settings):
    api, _ = token_client(world.reporter_a)
    assert file(api, world.task_a).status_code == 201
    refused = file(api, world.task_a, pdf(), text="补充")  # a correction needs its reason
    assert refused.status_code == 422, refused.content
    assert Evidence.objects.count() == 0 and stored_files(settings) == []
    assert ProgressReport.objects.count() == 1
    blank = file(api, world.task_a, pdf(), text="")
    assert blank.status_code == 422 and Evidence.objects.count() == 0


def test_each_roles_token_files_evidence_where_the_page_lets_the_role(
    world, token_client, client_for
):
    task = world.task_a
    for name, user in world.users().items():
        latest = ProgressReport.objects.filter(task=task).order_by("-submitted_at", "-id").first()
        with transaction.atomic():  # the page's filing, undone once counted
            page = client_for(user).post(
                f"/tasks/report/?unit={task.lead_unit_id}",
                {"period": "2023-07", f"task-{task.pk}-text": f"{name}页面",
                 f"task-{task.pk}-seen": latest.pk if latest else "",
                 f"task-{task.pk}-reason": "更正", f"task-{task.pk}-evidence": pdf()},
            )  # fmt: skip
            page_stored = ProgressReport.objects.filter(text=f"{name}页面").exists()
            transaction.set_rollback(True)
        api, _ = token_client(user)
        response = file(api, task, pdf(), text=f"{name}接口", reason="更正")
        api_stored = ProgressReport.objects.filter(text=f"{name}接口").exists()
        assert api_stored == page_stored, (name, page.status_code, response.content)
        assert response.status_code == (201 if page_stored else response.status_code)
        if not page_stored:
            assert response.status_code in {403, 404}, (name, response.content)
    assert sorted(ProgressReport.objects.values_list("text", flat=True)) == [
        "coordinator接口",
        "reporter_a接口",
    ]
    assert Evidence.objects.count() == 2


def test_read_only_token_is_refused(world, token_client, settings):
    api, _ = token_client(world.reporter_a, scope="read")
    response = file(api, world.task_a, pdf())
    assert response.status_code == 403
    assert response.json()["detail"] == "该令牌为只读令牌，不能用于修改数据。"
    assert ProgressReport.objects.count() == 0 and stored_files(settings) == []


KEY = {"Idempotency-Key": "k-evidence-1"}


def test_replay_with_the_same_key_stores_once(world, token_client):
    api, _ = token_client(world.reporter_a)
    first = file(api, world.task_a, pdf(), headers=KEY)
    again = file(api, world.task_a, pdf(), headers=KEY)
    assert first.status_code == again.status_code == 201, (
        first.content.decode(),
        again.content.decode(),
    )
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert ProgressReport.objects.count() == 1 and Evidence.objects.count() == 1
    other = file(api, world.task_a, pdf(content=PDF + b" "), headers=KEY)
    assert other.status_code == 422 and Evidence.objects.count() == 1  # another file, same key
