"""Stored files (evidence, meeting files …): what is accepted, how it is stored, how it is served.

Accepted: PDF, OFD, JPEG, PNG, Word and Excel (old and new), not empty, up to
settings.MAX_UPLOAD_MB (SHIGAN_MAX_UPLOAD_MB). The content is sniffed, so a renamed executable is
refused whatever its extension. A stored file keeps the name it was uploaded with (for the
download) and lies under MEDIA_ROOT in its owner's folder (`StoredFile.folder`); the storage
makes the name unique there. A download is an attachment under the original, often Chinese, name
(RFC 6266 `filename*`, with a plain ASCII `filename` beside it for clients that read only that,
such as `curl -OJ`); who may download is the caller's access rule, asked before serving.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import PurePath
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header

from .audit import audit_record
from .models import AuditAction

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".ofd": (ZIP,),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".doc": (OLE,),
    ".xls": (OLE,),
}
ACCEPTED_LABEL = "PDF、OFD、JPG、PNG、Word、Excel"
NAME_LENGTH = 255


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def upload_name(upload) -> str:
    """The file name an upload came with, without any folder a browser sent."""
    return PurePath(upload.name).name


def validate_upload(upload) -> None:
    """Raise ValidationError naming the file when it is empty, too large or of a refused type."""
    name = upload.name
    if upload.size == 0:
        raise ValidationError(f"文件“{name}”是空文件。")
    if upload.size > max_upload_bytes():
        size_mb = upload.size / 1024 / 1024
        raise ValidationError(
            f"文件“{name}”大小为{size_mb:.1f} MB，超过{settings.MAX_UPLOAD_MB} MB 的上限。"
        )
    suffix = PurePath(name).suffix.lower()
    signatures = SIGNATURES.get(suffix)
    if signatures is None:
        raise ValidationError(f"文件“{name}”的类型不支持，只接受 {ACCEPTED_LABEL} 文件。")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(f"文件“{name}”的内容与扩展名 {suffix} 不符，请上传真实的文件。")


def upload_errors(uploads: Iterable) -> list[str]:
    """Every refused upload's message, in order; empty when all are accepted."""
    problems: list[str] = []
    for upload in uploads:
        try:
            validate_upload(upload)
        except ValidationError as error:
            problems.extend(error.messages)
    return problems


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    """Where a stored file goes under MEDIA_ROOT: its owner's folder, the uploaded name."""
    return f"{instance.folder()}/{filename}"


class StoredFile(models.Model):
    """An uploaded file kept with its original name, size, uploader and time.

    A concrete model adds the foreign key to what the file belongs to and names the folder
    (`folder`); `store` validates nothing — call validate_upload (or upload_errors) first."""

    file = models.FileField("文件", upload_to=stored_file_path)
    original_name = models.CharField("原文件名", max_length=NAME_LENGTH)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def folder(self) -> str:
        """The folder under MEDIA_ROOT, e.g. evidence/<task id>."""
        raise NotImplementedError

    def store(self, upload, *, by, task_id: int | None = None) -> None:
        """Save `upload` as this record's file, then the record, and audit its creation."""
        name = upload_name(upload)
        self.original_name, self.size, self.uploaded_by = name[:NAME_LENGTH], upload.size, by
        self.file.save(name, upload, save=False)
        self.save()
        audit_record(actor=by, obj=self, action=AuditAction.CREATE, task_id=task_id)

    def download(self) -> FileResponse:
        """The file as an attachment under its original name; 404 when it is gone from disk.
        Ask the owner's access rule first."""
        try:
            handle = self.file.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在。") from None
        response = FileResponse(handle, as_attachment=True, filename=self.original_name)
        response["Content-Disposition"] = attachment_header(self.original_name, f"file-{self.pk}")
        return response


def attachment_header(filename: str, fallback_stem: str) -> str:
    """Content-Disposition for a download named `filename`: an ASCII name as it is; otherwise
    `filename="<fallback_stem><extension>"` for clients that read only that, and the real name
    in `filename*` (RFC 6266), which the others prefer."""
    if filename.isascii():
        return content_disposition_header(True, filename)
    suffix = PurePath(filename).suffix.lower()
    fallback = fallback_stem + (suffix if suffix.isascii() else "")
    return f"attachment; filename=\"{fallback}\"; filename*=utf-8''{quote(filename)}"


@contextmanager
def files_discarded_on_error() -> Iterator[list[StoredFile]]:
    """Collects the records stored inside the block; if the block fails (the transaction is
    rolled back), deletes their files, so a refused submission leaves no file behind."""
    stored: list[StoredFile] = []
    try:
        yield stored
    except BaseException:
        for record in stored:
            record.file.storage.delete(record.file.name)
        raise


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none were chosen). Each file's
    type and size are validate_upload's to check."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items if d]
