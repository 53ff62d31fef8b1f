"""`Idempotency-Key` on the API's writes (POST, PUT, DELETE): a client that retries a write
(its answer lost to the network) sends the same key again and gets the first answer — its
status and body — with nothing written a second time. Keys are the caller's (his token's, or his session's), kept
KEEP_HOURS; the same key with another body (or another address) is refused (422).

Two decorators of every operation (installed by `install`): `settled` (after authentication,
around the endpoint) looks the key up — a replay answers at once; else it holds the key, a row
inserted in the request's transaction (the unique constraint makes a concurrent retry wait for
the first and then replay it) — and `kept` (around the whole operation) opens that transaction
and stores a 2xx answer in the row; any other answer rolls back the transaction, key included,
since an error writes nothing and may be retried.

Expired keys go as new ones come (purge_expired, bounded, in each keyed request), whoever's
they are; `shigan api_keys purge` clears them all (for cron, or after a quiet spell)."""

import datetime
import functools
import hashlib
import json

from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone

from .models import IdempotentRequest
from .problems import Problem

HEADER = "Idempotency-Key"
KEEP_HOURS = 24
MAX_LENGTH = 255
REPLAYED = "Idempotent-Replayed"
METHODS = {"POST", "PUT", "DELETE"}
# Expired keys of any caller deleted by each request that holds a key: bounded, so a request
# never waits on a large purge, and enough that the table keeps only about KEEP_HOURS of keys
# (each new key clears up to this many old ones). `shigan api_keys purge` clears every one.
PURGE_BATCH = 100

OPENAPI_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": (
        f"幂等键（建议用UUID）：重试时带上同一键，返回首次的状态码和应答，不再重复写入；"
        f"保留{KEEP_HOURS}小时，同一键配不同请求体则拒绝（422）。"
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH, "pattern": "^[!-~]+$"},
}


def _key(request) -> str | None:
    """The request's key, or None; a key that is not 1 to 255 visible ASCII characters: 422."""
    if request.method not in METHODS:
        return None
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_LENGTH or not all("!" <= ch <= "~" for ch in key):
        detail = f"{HEADER} 头应为1至{MAX_LENGTH}个可见ASCII字符（建议用UUID）。"
        raise Problem(422, detail, errors=[{"field": HEADER, "detail": detail}])
    return key


def _multipart(request) -> bytes:
    """A multipart body by what it holds, not by its bytes (a client draws a new boundary for
    each retry): its fields, and each file's field, name and content digest, sorted. A body
    that does not parse (no boundary, malformed) is 400, as anywhere else."""
    try:
        request.POST  # noqa: B018 — parses the body (and its files)
    except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
        raise Problem(400, "multipart/form-data 请求体无法解析。") from None
    fields = sorted((k, v) for k in request.POST for v in request.POST.getlist(k))
    files = []
    for name in request.FILES:
        for upload in request.FILES.getlist(name):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            files.append((name, upload.name, upload.size, digest.hexdigest()))
    return json.dumps([fields, sorted(files)], ensure_ascii=False).encode()


def _fingerprint(request) -> str:
    """The method, the path and the body (a JSON body by its content, keys sorted; a multipart
    one by its fields and files)."""
    if request.content_type == "multipart/form-data":
        body = _multipart(request)
    else:
        try:
            body = json.dumps(json.loads(request.body), sort_keys=True, ensure_ascii=False).encode()
        except (ValueError, UnicodeDecodeError, RecursionError):
            body = request.body
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def purge_expired(*, now=None, limit: int | None, caller: str | None = None) -> int:
    """Delete expired keys (older than KEEP_HOURS): the oldest `limit` of anyone's (None: all)
    and every one of `caller` (whose expired key must not be replayed). One statement; the
    number deleted."""
    now = now or timezone.now()
    expired = IdempotentRequest.objects.filter(
        created_at__lt=now - datetime.timedelta(hours=KEEP_HOURS)
    )
    if limit is None:
        return expired.delete()[0]
    # Rows another request is purging are skipped, not waited for (PostgreSQL; in the
    # request's transaction): two purges never lock the same rows in opposite orders.
    oldest = (
        expired.order_by("created_at", "pk").select_for_update(skip_locked=True).values("pk")
    )[:limit]
    chosen = Q(pk__in=oldest) | Q(caller=caller) if caller is not None else Q(pk__in=oldest)
    return expired.filter(chosen).delete()[0]


def _caller(request) -> str:
    token = getattr(request, "api_token", None)
    return f"token:{token.pk}" if token is not None else f"user:{request.user.pk}"


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type
    )
    response[REPLAYED] = "true"
    return response


def _held(request, key: str) -> IdempotentRequest | HttpResponse:
    """The row holding `key` for this request, or the first answer to replay."""
    caller, fingerprint, now = _caller(request), _fingerprint(request), timezone.now()
    purge_expired(now=now, limit=PURGE_BATCH, caller=caller)
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                user=request.user, caller=caller, key=key, fingerprint=fingerprint,
                status=0, content_type="", body=b"", created_at=now,
            )  # fmt: skip
    except IntegrityError:  # the key's first request, committed (or waited for)
        first = IdempotentRequest.objects.get(caller=caller, key=key)
    if first.fingerprint != fingerprint:
        detail = (
            f"该{HEADER}已用于另一请求（{timezone.localtime(first.created_at):%Y-%m-%d %H:%M}），"
            "请求体或地址不同；新的请求请换用新的键。"
        )
        raise Problem(422, detail, errors=[{"field": HEADER, "detail": detail}])
    return _replay(first)


def settled(view):
    """Around an endpoint, after authentication: replay or hold the request's key."""

    @functools.wraps(view)
    def run(request, *args, **kwargs):
        key = _key(request)
        if key is not None:
            held = _held(request, key)
            if isinstance(held, HttpResponse):
                return held
            request.idempotent_request = held
        return view(request, *args, **kwargs)

    return run


def kept(run):
    """Around the whole operation: the key's transaction, and the 2xx answer kept in it."""

    @functools.wraps(run)
    def operation(request, *args, **kwargs):
        if request.method not in METHODS or HEADER not in request.headers:
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            record = getattr(request, "idempotent_request", None)
            if not 200 <= response.status_code < 300:
                transaction.set_rollback(True)  # an error wrote nothing; its key is not kept
            elif record is not None:
                record.status = response.status_code
                record.content_type = response.get("Content-Type", "")
                record.body = response.content
                record.save(update_fields=["status", "content_type", "body"])
        return response

    return operation


def install(api) -> None:
    api.add_decorator(kept, mode="view")
    api.add_decorator(settled, mode="operation")


def documented(schema: dict) -> dict:
    """The OpenAPI schema with the header on every write."""
    for operations in schema["paths"].values():
        for method in sorted(m.lower() for m in METHODS):
            if method in operations:
                operations[method].setdefault("parameters", []).append(dict(OPENAPI_PARAMETER))
    return schema
