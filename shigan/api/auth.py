"""Who is calling: a personal token (`Authorization: Bearer <token>`) or the browser's session
(the app's own calls; CSRF checked on writes). Also the per-caller rate limit and the size limit
of a request's body, both checked before anything else is read."""

import fcntl
import os
from contextlib import contextmanager

from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from shigan.core.files import max_upload_bytes

from .problems import Problem
from .services import token_touch
from .tokens import token_lookup

RATE_LIMIT = 600  # requests per caller (token, or session user) and minute
RATE_WINDOW = 60  # seconds
MB = 1024 * 1024
MAX_BODY_BYTES = MB  # 1 MB: a request body larger than this is refused (413)
# An upload (multipart/form-data, endpoints/files.py): one file of the pages' largest size
# (SHIGAN_MAX_UPLOAD_MB, core.files) and 1 MB for the rest of the body.
MULTIPART = "multipart/form-data"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# A cache shared by the server's processes (settings.CACHES) makes the limit the server's;
# Django's default local-memory cache counts per process. The file-based cache's incr is a read
# then a write: requests at once lost half their counts (700 in a minute all answered), so the
# count is taken under a lock on a file beside the cache's (_counting).


@contextmanager
def _counting():
    """Hold an exclusive lock on the cache folder's rate-limit lock file while a count is read
    and written (every process and thread of the server queues on it); nothing to hold for a
    cache whose incr is atomic (local memory in tests, where there is no folder)."""
    folder = getattr(cache, "_dir", None)
    if folder is None:
        yield
        return
    os.makedirs(folder, 0o700, exist_ok=True)
    with open(os.path.join(folder, "api-rate.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _check_size(request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if request.content_type != MULTIPART:
        if length > MAX_BODY_BYTES:
            raise Problem(413, f"请求体超过{MAX_BODY_BYTES // MB}MB的上限。")
        return
    if length > MAX_BODY_BYTES + max_upload_bytes():
        raise Problem(413, upload_too_large())


def upload_too_large() -> str:
    """An upload's 413 in the words of its limits: the per-file one (SHIGAN_MAX_UPLOAD_MB, the
    pages' too), which also bounds the files of one request together, and the rest's 1 MB."""
    per_file, rest = max_upload_bytes() // MB, MAX_BODY_BYTES // MB
    return (
        f"上传的请求体超过{per_file + rest}MB的上限：每个文件不超过{per_file}MB，"
        f"一次上传的文件合计也不超过{per_file}MB（其余字段不超过{rest}MB），"
        "文件较多时请分几次上传。"
    )


def rate_key(caller: str, window: int) -> str:
    """The cache key counting `caller`'s requests in the minute `window` (seconds // 60)."""
    return f"shigan-api-rate:{caller}:{window}"


def _check_rate(key: str) -> None:
    """Fixed one-minute windows per caller: the RATE_LIMIT+1st request of a window is 429 with
    Retry-After, the seconds to the next window."""
    now = timezone.now().timestamp()
    window = int(now // RATE_WINDOW)
    cache_key = rate_key(key, window)
    with _counting():
        try:  # the window's count exists but for the first request: one read and one write
            count = cache.incr(cache_key)
        except ValueError:  # the window's first request (or its count evicted)
            count = 1 if cache.add(cache_key, 1, RATE_WINDOW + 5) else cache.incr(cache_key)
    if count > RATE_LIMIT:
        retry = max(1, int((window + 1) * RATE_WINDOW - now) + 1)
        detail = f"每分钟最多{RATE_LIMIT}次请求，请{retry}秒后再试。"
        raise Problem(429, detail, headers={"Retry-After": str(retry)})


def _bearer(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Problem(
            401,
            "Authorization 头应为“Bearer <令牌>”。",
            headers={"WWW-Authenticate": 'Bearer realm="shigan"'},
        )
    return raw.strip()


def _token_user(request, raw: str):
    token = token_lookup(raw)
    if token is None or not token.is_active() or not token.user.is_active:
        return None
    if request.method not in SAFE_METHODS and not token.can_write:
        raise Problem(403, "该令牌为只读令牌，不能用于修改数据。")
    _check_rate(f"token:{token.pk}")
    token_touch(token)
    request.user = token.user
    request.api_token = token
    return token.user


def api_auth(request):
    """The caller's user, or None (401). A token wins over the session; a read-only token is
    refused on writes (403); a session's write needs the CSRF token."""
    _check_size(request)
    raw = _bearer(request)
    if raw is not None:
        return _token_user(request, raw)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if request.method not in SAFE_METHODS and check_csrf(request) is not None:
        raise Problem(403, "CSRF校验失败：会话中的写操作须带 X-CSRFToken 头。")
    _check_rate(f"user:{user.pk}")
    return user


class ApiAuth(HttpBearer):
    """api_auth, documented in the schema as HTTP bearer (a session works too)."""

    def __call__(self, request):
        return api_auth(request)

    def authenticate(self, request, token):  # pragma: no cover — __call__ decides
        return None
