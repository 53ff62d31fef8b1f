"""core.files: the one rule for uploads (size, type, name), storing and downloading, on the two
models built on StoredFile (tasks.Evidence, meetings.MeetingFile), with real files on disk."""

import datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from shigan.core import files
from shigan.core.files import (
    MultipleFileField,
    StoredFile,
    attachment_header,
    files_discarded_on_error,
    upload_errors,
    validate_upload,
)
from shigan.core.models import AuditAction, AuditEntry
from shigan.meetings.models import Meeting, MeetingFile, MeetingKind
from shigan.tasks.models import Evidence

PDF = "%PDF-1.4\n% 现场照片\n".encode()
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def messages(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


# --- size -------------------------------------------------------------------------------


def test_a_file_of_exactly_the_limit_is_accepted_one_byte_more_is_refused(settings):
    settings.MAX_UPLOAD_MB = 1
    validate_upload(upload("方案.pdf", PDF + b"0" * (MB - len(PDF))))
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("方案.pdf", PDF + b"0" * (MB - len(PDF) + 1)))
    assert messages(error) == "文件“方案.pdf”大小为1.0 MB，超过1 MB 的上限。"


def test_the_limit_follows_the_setting(settings):
    big = upload("图纸.pdf", PDF + b"0" * (2 * MB))
    settings.MAX_UPLOAD_MB = 2
    assert upload_errors([big]) == ["文件“图纸.pdf”大小为2.0 MB，超过2 MB 的上限。"]
    settings.MAX_UPLOAD_MB = 3
    assert upload_errors([big]) == []


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("空.pdf", b""))
    assert messages(error) == "文件“空.pdf”是空文件。"


# --- type -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("照片.JPG", b"\xff\xd8\xff\xe0 jpeg"),
        ("截图.png", b"\x89PNG\r\n\x1a\n png"),
        ("台账.xlsx", b"PK\x03\x04 zip"),
        ("通知.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 ole"),
        ("公文.ofd", b"PK\x03\x04 ofd"),
    ],
)
def test_accepted_types_pass(name, content):
    validate_upload(upload(name, content))


def test_a_refused_extension_names_the_accepted_types():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("setup.exe", b"MZ\x90\x00"))
    assert (
        messages(error)
        == "文件“setup.exe”的类型不支持，只接受 PDF、OFD、JPG、PNG、Word、Excel 文件。"
    )


def test_a_renamed_executable_is_refused_and_the_upload_is_rewound():
    renamed = upload("报告.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as error:
        validate_upload(renamed)
    assert messages(error) == "文件“报告.pdf”的内容与扩展名 .pdf 不符，请上传真实的文件。"
    accepted = upload("报告.pdf", PDF)
    validate_upload(accepted)
    assert accepted.read() == PDF  # read from the start after sniffing


def test_upload_errors_lists_every_refused_file_in_order():
    batch = [upload("a.pdf", PDF), upload("b.txt", b"x"), upload("c.pdf", b"")]
    assert upload_errors(batch) == [
        "文件“b.txt”的类型不支持，只接受 PDF、OFD、JPG、PNG、Word、Excel 文件。",
        "文件“c.pdf”是空文件。",
    ]


# --- storing and serving ----------------------------------------------------------------


def meeting(world) -> Meeting:
    return Meeting.objects.create(
        campaign=world.campaign,
        kind=MeetingKind.SPECIAL,
        title="专题会",
        date=datetime.date(2023, 3, 1),
        chair=world.leader_person,
    )


def test_both_stored_file_models_share_one_definition():
    for model in (Evidence, MeetingFile):
        assert issubclass(model, StoredFile)
        names = [f.name for f in model._meta.concrete_fields]
        assert {"file", "original_name", "size", "uploaded_by", "uploaded_at"} <= set(names)
        assert model._meta.ordering == ["uploaded_at", "id"]


def test_evidence_is_stored_in_its_tasks_folder_under_its_original_name(world, media):
    evidence = Evidence(task=world.task_a)
    evidence.store(upload("兴业大道现场.pdf", PDF), by=world.reporter_a, task_id=world.task_a.pk)
    evidence.refresh_from_db()
    assert evidence.original_name == "兴业大道现场.pdf"
    assert evidence.size == len(PDF)
    assert evidence.uploaded_by == world.reporter_a
    assert evidence.file.name == f"evidence/{world.task_a.pk}/兴业大道现场.pdf"
    assert (media / evidence.file.name).read_bytes() == PDF
    entry = AuditEntry.objects.get(record_type="tasks.evidence", record_id=evidence.pk)
    assert (entry.action, entry.actor) == (AuditAction.CREATE, world.reporter_a)
    assert entry.task_id == world.task_a.pk


def test_a_second_file_of_the_same_name_is_kept_beside_the_first(world, media):
    first = MeetingFile(meeting=meeting(world))
    first.store(upload("纪要.pdf", PDF), by=world.coordinator)
    second = MeetingFile(meeting=first.meeting)
    second.store(upload("纪要.pdf", PDF + b"v2"), by=world.coordinator)
    assert first.file.name.startswith(f"meetings/{first.meeting_id}/")
    assert second.file.name != first.file.name
    assert second.original_name == first.original_name == "纪要.pdf"
    assert (media / first.file.name).read_bytes() == PDF
    assert (media / second.file.name).read_bytes() == PDF + b"v2"


def test_a_long_name_fits_the_column_and_keeps_its_extension(world):
    stored = MeetingFile(meeting=meeting(world))
    stored.store(upload("很" * 300 + ".pdf", PDF), by=world.coordinator)
    stored.refresh_from_db()
    assert len(stored.original_name) <= 255
    assert stored.original_name.endswith("很.pdf")


def test_download_is_an_attachment_under_the_chinese_name(world):
    stored = MeetingFile(meeting=meeting(world))
    stored.store(upload("会议纪要（定稿）.pdf", PDF), by=world.coordinator)
    response = stored.download()
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('会议纪要（定稿）.pdf')}" in disposition
    assert response["Content-Type"] == "application/pdf"
    # clients that read only `filename` (curl -OJ) get an ASCII name with the extension
    assert f'filename="file-{stored.pk}.pdf";' in disposition


def test_an_ascii_name_is_sent_as_it_is_and_odd_extensions_are_left_out():
    assert (
        attachment_header("minutes 2023.pdf", "file-1") == 'attachment; filename="minutes 2023.pdf"'
    )
    assert attachment_header('a"b.xlsx', "file-1") == 'attachment; filename="a\\"b.xlsx"'
    odd = attachment_header("纪要.pdf²", "file-9")
    assert odd.startswith('attachment; filename="file-9"; filename*=')


def test_download_of_a_file_gone_from_disk_is_404(world):
    evidence = Evidence(task=world.task_a)
    evidence.store(upload("照片.pdf", PDF), by=world.reporter_a)
    evidence.file.storage.delete(evidence.file.name)
    with pytest.raises(Http404):
        evidence.download()


def test_files_stored_in_a_failing_block_are_deleted(world, media):
    with pytest.raises(RuntimeError), files_discarded_on_error() as stored:
        for name in ("一.pdf", "二.pdf"):
            record = Evidence(task=world.task_a)
            record.store(upload(name, PDF), by=world.reporter_a)
            stored.append(record)
        raise RuntimeError("the transaction fails after the files were written")
    assert len(stored) == 2
    assert not any((media / record.file.name).exists() for record in stored)


def test_files_stored_in_a_block_that_succeeds_stay(world, media):
    with files_discarded_on_error() as stored:
        record = Evidence(task=world.task_a)
        record.store(upload("一.pdf", PDF), by=world.reporter_a)
        stored.append(record)
    assert (media / record.file.name).read_bytes() == PDF


# --- the form field ---------------------------------------------------------------------


class FilesForm(forms.Form):
    files = MultipleFileField(required=False)


def test_multiple_file_field_cleans_to_a_list():
    a, b = upload("a.pdf", PDF), upload("b.pdf", PDF)
    form = FilesForm(data={}, files={"files": [a, b]})
    assert form.is_valid()
    assert form.cleaned_data["files"] == [a, b]
    none = FilesForm(data={}, files={})
    assert none.is_valid() and none.cleaned_data["files"] == []
    assert "multiple" in str(FilesForm()["files"])


def test_the_accepted_label_names_every_signature_family():
    assert set(files.SIGNATURES) == {
        ".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls",
    }  # fmt: skip
    for word in ("PDF", "OFD", "JPG", "PNG", "Word", "Excel"):
        assert word in files.ACCEPTED_LABEL
