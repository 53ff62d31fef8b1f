"""Evidence files (佐证材料): what is accepted, and storing them against a report or request.

Accepted: PDF, OFD, JPEG, PNG, Word and Excel (old and new), up to settings.MAX_UPLOAD_MB.
The content is sniffed, so a renamed executable is refused whatever its extension.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction

from .models import Evidence

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


def validate_evidence(upload) -> None:
    """Raise ValidationError naming the file when it is too large, empty or of a refused type."""
    name = upload.name
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size == 0:
        raise ValidationError(f"文件“{name}”是空文件。")
    if upload.size > limit:
        size_mb = upload.size / 1024 / 1024
        raise ValidationError(
            f"文件“{name}”大小为 {size_mb:.1f} MB，超过 {settings.MAX_UPLOAD_MB} MB 的上限。"
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


def evidence_store(*, task, upload, by, report=None, change_request=None) -> Evidence:
    """Save one validated upload against a report or change request, and audit it."""
    evidence = Evidence(
        task=task,
        report=report,
        change_request=change_request,
        original_name=PurePath(upload.name).name[:255],
        size=upload.size,
        uploaded_by=by,
    )
    evidence.file.save(PurePath(upload.name).name, upload, save=False)
    evidence.save()
    audit_record(actor=by, obj=evidence, action=AuditAction.CREATE, task_id=task.pk)
    return evidence
