"""Attachments (附件): where the pages take files, the API takes them too — a directive's
attachments (文件正文及附件, on its 修改 page) and a meeting's files (on its 编辑 page) — and
every stored file the caller may open on a page is downloadable: those two, a progress
report's evidence (佐证材料) and a visit's photos.

An upload is a multipart/form-data body with one or more `files` parts, read after the access
check (404 for whoever does not read the record, 403 for whoever reads but may not edit it,
as on the pages) and saved by the page's own service (directives.services.directive_update,
meetings.services.meeting_update): the same checks (core.files.validate_upload: not empty, at
most SHIGAN_MAX_UPLOAD_MB, PDF/OFD/JPG/PNG/Word/Excel by content, not by name alone), the
file's name without any folder, every file audited, all or nothing (a refused request leaves
no file behind). A download answers the file as an attachment under its original name."""

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import FileResponse, Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Field, Router, Schema, Status

from shigan.core.files import ACCEPTED_LABEL, StoredFile
from shigan.core.models import user_display_name
from shigan.directives.access import (
    can_edit_directive,
    get_directive_for_user,
    get_directive_to_edit,
    get_file_for_user,
)
from shigan.directives.services import directive_update
from shigan.grassroots.access import get_visit_photo_for_user
from shigan.meetings.access import get_meeting_for_user
from shigan.meetings.models import Meeting, MeetingFile
from shigan.meetings.services.meetings import meeting_update
from shigan.tasks.access import get_task_for_user
from shigan.tasks.models import Evidence

from ..problems import Problem
from ..schemas import RECORD_ERRORS, WRITE_ERRORS, RecordId

router = Router(tags=["附件"])
FIELD = "files"
MAX_FILES = 20


class FileOut(Schema):
    id: int
    name: str = Field(description="原文件名")
    size: int = Field(description="大小（字节）")
    uploaded_by: str
    uploaded_at: datetime.datetime
    download: str = Field(description="下载地址")


def _file_out(record: StoredFile, kind: str) -> dict:
    return {
        "id": record.pk,
        "name": record.original_name,
        "size": record.size,
        "uploaded_by": user_display_name(record.uploaded_by),
        "uploaded_at": record.uploaded_at,
        "download": f"/api/v1/{kind}/{record.pk}",
    }


def files_property(field: str, what: str = "文件") -> dict:
    """The OpenAPI property of a multipart body's file parts named `field` (repeated)."""
    return {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "maxItems": MAX_FILES,
        "description": (
            f"{what}（可多个，同名字段重复）：接受{ACCEPTED_LABEL}，按内容识别类型；"
            f"每个不超过{settings.MAX_UPLOAD_MB}MB，整个请求体不超过"
            f"{settings.MAX_UPLOAD_MB + 1}MB"
        ),
    }


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD],
                    "properties": {FIELD: files_property(FIELD)},
                }
            }
        },
    }
}

DOWNLOAD = {
    "responses": {
        200: {
            "description": "文件（附件形式，Content-Disposition 中为原文件名）",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


def uploads_of(request, field: str = FIELD, *, required: bool = True) -> list:
    """The request's `field` file parts: 400 when the body is not multipart/form-data (or is
    malformed), 422 on `field` when it holds none (if `required`) or too many. Shared by every
    operation that takes files (here, a progress report's evidence, a visit's photos)."""
    if request.content_type != "multipart/form-data":
        raise Problem(400, f"请求体应为 multipart/form-data，文件放在 {field} 字段中。")
    try:
        uploads = request.FILES.getlist(field)
    except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
        raise Problem(400, "multipart/form-data 请求体无法解析。") from None
    if required and not uploads:
        detail = f"请选择要上传的文件（{field} 字段）。"
        raise Problem(422, detail, errors=[{"field": field, "detail": detail}])
    if len(uploads) > MAX_FILES:
        detail = f"一次最多上传{MAX_FILES}个文件。"
        raise Problem(422, detail, errors=[{"field": field, "detail": detail}])
    return uploads


def _refused(error: ValidationError) -> Problem:
    """The service's refusal of the files, on `files` (a directive's messages are plain, a
    meeting's keyed by field)."""
    keyed = hasattr(error, "error_dict")
    messages = error.message_dict.get(FIELD, error.messages) if keyed else error.messages
    errors = [{"field": FIELD, "detail": m} for m in messages]
    return Problem(422, "；".join(messages), errors=errors)


@contextmanager
def _unseen():
    """A file that does not exist and a file of a record the caller does not read answer the
    same 404: the record's own message (会议不存在。) would tell an outsider which file ids
    exist."""
    try:
        yield
    except Http404:
        raise Problem(404, "文件不存在或无权查看。") from None


def _download(record: StoredFile) -> HttpResponse:
    response: FileResponse = record.download()
    response["Content-Type"] = "application/octet-stream"
    return response


# --- directives (文件) -----------------------------------------------------------------------


@router.get(
    "/directives/{directive_id}/files",
    response={200: list[FileOut], **RECORD_ERRORS},
    summary="文件的附件列表",
)
def directive_file_list(request, directive_id: RecordId):
    """The attachments of a directive the caller reads (directives.access)."""
    directive = get_directive_for_user(request.user, directive_id)
    files = directive.files.select_related("uploaded_by__person")
    return [_file_out(f, "directive-files") for f in files]


@router.post(
    "/directives/{directive_id}/files",
    response={201: list[FileOut], **WRITE_ERRORS},
    summary="上传文件的附件",
    url_name="directive_file_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=UPLOAD_BODY,
)
def directive_file_upload(request, directive_id: RecordId):
    """Add attachments to a directive as its 修改 page does (directives.services
    .directive_update, its fields and points left as they are): the task force of its issuing
    level (404 for whoever does not read it, 403 for whoever only reads it). Answered with the
    files added."""
    directive = get_directive_to_edit(request.user, directive_id)
    uploads = uploads_of(request)
    before = set(directive.files.values_list("pk", flat=True))
    points = [(p.pk, p.text) for p in directive.points.all()]
    try:
        directive_update(
            by=request.user, directive=directive, issuer=directive.issuer,
            issuer_name=directive.issuer_name, number=directive.number, title=directive.title,
            issued_on=directive.issued_on, points=points, files=uploads,
        )  # fmt: skip
    except ValidationError as error:
        raise _refused(error) from None
    added = directive.files.exclude(pk__in=before).select_related("uploaded_by__person")
    return Status(201, [_file_out(f, "directive-files") for f in added])


@router.get(
    "/directive-files/{file_id}",
    response={**RECORD_ERRORS},
    summary="下载文件的附件",
    openapi_extra=DOWNLOAD,
)
def directive_file_download(request, file_id: RecordId):
    return _download(get_file_for_user(request.user, file_id))


@router.delete(
    "/directive-files/{file_id}",
    response={204: None, **RECORD_ERRORS},
    summary="删除文件的附件",
    url_name="directive_file_download",
)
def directive_file_delete(request, file_id: RecordId):
    """Remove an attachment as the directive's 修改 page does (directive_update's
    `remove_files`, audited; the stored file deleted once committed): the task force of its
    issuing level."""
    record = get_file_for_user(request.user, file_id)
    directive = get_directive_for_user(request.user, record.directive_id)
    if not can_edit_directive(request.user, directive):
        raise PermissionDenied("只有发文单位所在层级的专班可以修改该文件。")
    points = [(p.pk, p.text) for p in directive.points.all()]
    try:
        directive_update(
            by=request.user, directive=directive, issuer=directive.issuer,
            issuer_name=directive.issuer_name, number=directive.number, title=directive.title,
            issued_on=directive.issued_on, points=points, remove_files=[record.pk],
        )  # fmt: skip
    except ValidationError as error:
        raise _refused(error) from None
    return Status(204, None)


# --- meetings (会议) -------------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}/files",
    response={200: list[FileOut], **RECORD_ERRORS},
    summary="会议材料列表",
)
def meeting_file_list(request, meeting_id: RecordId):
    meeting = get_meeting_for_user(request.user, meeting_id)
    files = meeting.files.select_related("uploaded_by__person")
    return [_file_out(f, "meeting-files") for f in files]


@router.post(
    "/meetings/{meeting_id}/files",
    response={201: list[FileOut], **WRITE_ERRORS},
    summary="上传会议材料",
    url_name="meeting_file_list",
    openapi_extra=UPLOAD_BODY,
)
def meeting_file_upload(request, meeting_id: RecordId):
    """Add files to a meeting as its 编辑 page does (meetings.services.meetings
    .meeting_update, its record left as it is): the task force of its level (404 for whoever
    does not read it, 403 for whoever only reads it). Answered with the files added."""
    queryset = Meeting.objects.select_related("campaign", "series", "chair")
    meeting = get_meeting_for_user(request.user, meeting_id, write=True, queryset=queryset)
    uploads = uploads_of(request)
    before = set(meeting.files.values_list("pk", flat=True))
    try:
        meeting_update(
            meeting=meeting, by=request.user, campaign=meeting.campaign, series=meeting.series,
            kind=meeting.kind, title=meeting.title, date=meeting.date, chair=meeting.chair,
            attendees=list(meeting.attendees.all()), agenda=meeting.agenda,
            minutes=meeting.minutes, files=uploads,
        )  # fmt: skip
    except ValidationError as error:
        raise _refused(error) from None
    added = meeting.files.exclude(pk__in=before).select_related("uploaded_by__person")
    return Status(201, [_file_out(f, "meeting-files") for f in added])


@router.get(
    "/meeting-files/{file_id}",
    response={**RECORD_ERRORS},
    summary="下载会议材料",
    openapi_extra=DOWNLOAD,
)
def meeting_file_download(request, file_id: RecordId):
    """A meeting's file, for whoever reads the meeting (as the page: 404 otherwise)."""
    record = MeetingFile.objects.filter(pk=file_id).first()
    with _unseen():
        if record is None:
            raise Http404
        get_meeting_for_user(request.user, record.meeting_id)
    return _download(record)


# --- evidence (佐证材料) and visit photos (走访照片): downloads -------------------------------


@router.get(
    "/tasks/{task_id}/evidence",
    response={200: list[FileOut], **RECORD_ERRORS},
    summary="任务进展的佐证材料列表",
)
def evidence_list(request, task_id: RecordId):
    """The evidence filed with the progress reports of a task the caller reads (a finding's
    rectification task: GET /findings/{id} gives its task_id)."""
    task = get_task_for_user(request.user, task_id)
    files = Evidence.objects.filter(task=task).select_related("uploaded_by__person")
    return [_file_out(f, "evidence") for f in files]


@router.get(
    "/evidence/{file_id}",
    response={**RECORD_ERRORS},
    summary="下载佐证材料",
    openapi_extra=DOWNLOAD,
)
def evidence_download(request, file_id: RecordId):
    """A progress report's evidence, for whoever reads its task (as the page: 404 otherwise)."""
    record = Evidence.objects.filter(pk=file_id).first()
    with _unseen():
        if record is None:
            raise Http404
        get_task_for_user(request.user, record.task_id)
    return _download(record)


@router.get(
    "/visit-photos/{file_id}",
    response={**RECORD_ERRORS},
    summary="下载走访照片",
    openapi_extra=DOWNLOAD,
)
def visit_photo_download(request, file_id: RecordId):
    """A visit's photo, for whoever reads the visit or a concern raised on it."""
    return _download(get_visit_photo_for_user(request.user, file_id))
