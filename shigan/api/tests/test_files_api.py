"""Attachments through the API as on the pages: a directive's and a meeting's files uploaded
(multipart/form-data) by whoever may edit the record, through the page's service (the same
checks: empty, too large, a type known by its content; the name without its folder; audited;
all or nothing), and every stored file downloaded by whoever reads its record — 404 for
whoever does not, 403 for whoever only reads, as on the pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.core.models import AuditAction, AuditEntry
from shigan.directives.models import DirectiveFile
from shigan.directives.services import directive_create
from shigan.directives.tests.factories import build_county
from shigan.meetings.models import MeetingFile
from shigan.meetings.tests.helpers import make_meeting
from shigan.tasks.models import Evidence
from shigan.tasks.services.progress import progress_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="通知.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def county(db):
    return build_county()


@pytest.fixture
def directive(county):
    return directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕12号",
        title="关于深化实干年活动的通知", issued_on=datetime.date(2023, 7, 31),
        points=["一、营商环境"], files=[pdf()],
    )  # fmt: skip


def upload(client, url, *files, **headers):
    return client.post(url, {"files": list(files)}, **headers)


def test_the_issuing_task_force_adds_attachments_audited(county, directive, token_client):
    api, _ = token_client(county.coordinator)
    url = f"/api/v1/directives/{directive.pk}/files"
    added = upload(api, url, pdf("../../正文.pdf"), SimpleUploadedFile("图.png", PNG))
    assert added.status_code == 201, added.content
    assert [f["name"] for f in added.json()] == ["正文.pdf", "图.png"]  # no folder kept
    assert DirectiveFile.objects.filter(directive=directive).count() == 3
    created = AuditEntry.objects.filter(record_type="directives.directivefile",
                                        action=AuditAction.CREATE)  # fmt: skip
    assert created.count() == 3 and created.last().actor == county.coordinator
    listed = api.get(url).json()
    assert [f["name"] for f in listed] == ["通知.pdf", "正文.pdf", "图.png"]
    download = api.get(listed[1]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    gone = api.delete(listed[0]["download"])
    assert gone.status_code == 204 and DirectiveFile.objects.count() == 2
    assert AuditEntry.objects.filter(record_type="directives.directivefile",
                                     action=AuditAction.DELETE).count() == 1  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("空.pdf", b"", "是空文件"),
        ("程序.exe", b"MZ\x90\x00", "类型不支持"),
        ("假.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名 .pdf 不符"),
    ],
)
def test_a_refused_file_is_named_and_nothing_is_kept(
    county, directive, token_client, name, content, message
):
    api, _ = token_client(county.coordinator)
    url = f"/api/v1/directives/{directive.pk}/files"
    refused = upload(api, url, pdf("好.pdf"), SimpleUploadedFile(name, content))
    assert refused.status_code == 422, refused.content
    error = refused.json()["errors"][0]
    assert error["field"] == "files" and message in error["detail"] and name in error["detail"]
    assert DirectiveFile.objects.count() == 1  # all or nothing: 好.pdf not kept either


def test_a_file_over_the_limit_is_refused(county, directive, token_client, settings):
    settings.MAX_UPLOAD_MB = 1
    api, _ = token_client(county.coordinator)
    big = pdf("大.pdf", PDF + b"0" * (1024 * 1024))
    refused = upload(api, f"/api/v1/directives/{directive.pk}/files", big)
    assert refused.status_code == 422 and "超过1 MB 的上限" in refused.json()["detail"]
    huge = pdf("巨.pdf", PDF + b"0" * (2 * 1024 * 1024 + 10))  # body over 1 MB + 1 MB: 413
    assert upload(api, f"/api/v1/directives/{directive.pk}/files", huge).status_code == 413
    assert DirectiveFile.objects.count() == 1


def test_who_may_upload_download_or_delete_a_directives_file(county, directive, token_client):
    district = county.districts[0].coordinator  # does not read the county's directive
    url = f"/api/v1/directives/{directive.pk}/files"
    file_url = f"/api/v1/directive-files/{directive.files.get().pk}"
    inspector, _ = token_client(county.inspector)
    assert upload(inspector, url, pdf()).status_code == 403
    assert inspector.delete(file_url).status_code == 403
    assert inspector.get(file_url).status_code == 200  # he reads it
    outsider, _ = token_client(district)
    assert upload(outsider, url, pdf()).status_code == 404
    assert outsider.get(file_url).status_code == 404
    assert outsider.delete(file_url).status_code == 404
    read, _ = token_client(county.coordinator, scope="read")
    assert upload(read, url, pdf()).status_code == 403
    assert DirectiveFile.objects.count() == 1


def test_not_multipart_or_no_file_is_refused(county, directive, token_client):
    api, _ = token_client(county.coordinator)
    url = f"/api/v1/directives/{directive.pk}/files"
    as_json = api.post(url, "{}", content_type="application/json")
    assert as_json.status_code == 400 and "multipart/form-data" in as_json.json()["detail"]
    empty = api.post(url, {"other": "x"})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "files"


def test_a_multipart_body_that_does_not_parse_is_400_not_500(county, directive, token_client):
    """No boundary in the Content-Type: the upload, and any write sent with an
    Idempotency-Key (whose body is read as multipart to fingerprint it), answer 400."""
    api, _ = token_client(county.coordinator)
    url = f"/api/v1/directives/{directive.pk}/files"
    for headers in ({}, {"HTTP_IDEMPOTENCY_KEY": "no-boundary"}):
        response = api.post(url, b"--x\r\n", content_type="multipart/form-data", **headers)
        assert response.status_code == 400, (headers, response.content)
        assert response.json()["detail"] == "multipart/form-data 请求体无法解析。"
    decision = api.post(
        "/api/v1/change-requests/1/decision", b"{}", content_type="multipart/form-data",
        HTTP_IDEMPOTENCY_KEY="no-boundary",
    )  # fmt: skip
    assert decision.status_code == 400


def test_a_retried_upload_with_its_key_is_stored_once(county, directive, token_client):
    api, _ = token_client(county.coordinator)
    url = f"/api/v1/directives/{directive.pk}/files"
    key = {"HTTP_IDEMPOTENCY_KEY": "upload-0001"}
    first = upload(api, url, pdf("附件一.pdf"), **key)
    again = upload(api, url, pdf("附件一.pdf"), **key)  # a new multipart boundary, same content
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert DirectiveFile.objects.count() == 2
    other = upload(api, url, pdf("附件二.pdf"), **key)
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_meeting_files_are_added_by_its_task_force_and_read_by_every_role(
    world, token_client, other_district
):
    meeting = make_meeting(world)
    url = f"/api/v1/meetings/{meeting.pk}/files"
    api, _ = token_client(world.coordinator)
    added = upload(api, url, pdf("纪要.pdf"))
    assert added.status_code == 201, added.content
    assert MeetingFile.objects.get(meeting=meeting).original_name == "纪要.pdf"
    reporter, _ = token_client(world.reporter_a)
    assert upload(reporter, url, pdf()).status_code == 403
    download = reporter.get(added.json()[0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    stranger, _ = token_client(other_district[0])
    assert upload(stranger, url, pdf()).status_code == 404
    assert stranger.get(added.json()[0]["download"]).status_code == 404
    assert MeetingFile.objects.count() == 1


def test_evidence_is_downloaded_by_whoever_reads_its_task(world, token_client):
    progress_submit(
        task=world.task_a, unit=world.unit_a, period=datetime.date(2023, 7, 1),
        by=world.reporter_a, text="已完成", milestones_reached={}, uploads=[pdf("佐证.pdf")],
    )  # fmt: skip
    evidence = Evidence.objects.get()
    reader, _ = token_client(world.reporter_a, scope="read")
    listed = reader.get(f"/api/v1/tasks/{world.task_a.pk}/evidence").json()
    assert [f["name"] for f in listed] == ["佐证.pdf"]
    assert reader.get(f"/api/v1/evidence/{evidence.pk}").status_code == 200
    other, _ = token_client(world.reporter_b, scope="read")  # task_a is unit_a's
    assert other.get(f"/api/v1/evidence/{evidence.pk}").status_code == 404
    assert other.get(f"/api/v1/tasks/{world.task_a.pk}/evidence").status_code == 404


def test_a_visits_photo_is_downloaded_by_whoever_reads_the_visit(world, token_client):
    from shigan.grassroots.tests.visit_helpers import visit

    photo = visit(world, unit=world.unit_a, photo=True).photos.get()
    url = f"/api/v1/visit-photos/{photo.pk}"
    for user, status in {
        world.reporter_a: 200,
        world.coordinator: 200,
        world.reporter_b: 404,
    }.items():
        reader, _ = token_client(user, scope="read")
        assert reader.get(url).status_code == status, user
