"""An upload kept between its preview and its confirmation (导入预览 → 确认导入).

The preview stages the file's bytes under DATA_DIR/staging/ (0600) and gets back a random token
that only this session may use; the confirmation reads the very same bytes back (what is saved
is exactly what was previewed) and then releases them. Staged files older than a day are removed
whenever a new one is staged; a token from another session, a spent one or a forged one reads
as None (the page then asks for the file again).
"""

import io
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "core_staged_uploads"
KEEP_SECONDS = 24 * 3600
KEEP_PER_SESSION = 5
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "staging"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def stage(session, data: bytes, *, kind: str) -> str:
    """Keep `data` for this session under a new token; `kind` (e.g. "task_list") must match when
    it is read back, so a token of one import cannot confirm another."""
    folder = _folder()
    _sweep(folder)
    token = secrets.token_urlsafe(16)
    path = folder / f"{token}.upload"
    path.touch(mode=0o600)
    path.write_bytes(data)
    staged = {**session.get(SESSION_KEY, {}), token: kind}
    for old in list(staged)[:-KEEP_PER_SESSION]:
        release(session, old, staged=staged)
    session[SESSION_KEY] = staged
    return token


def staged_bytes(session, token: str, *, kind: str) -> bytes | None:
    """The bytes staged under `token` by this session for `kind`, or None."""
    token = token or ""
    if not TOKEN.fullmatch(token) or session.get(SESSION_KEY, {}).get(token) != kind:
        return None
    try:
        return (_folder() / f"{token}.upload").read_bytes()
    except FileNotFoundError:
        return None


def staged_file(session, token: str, *, kind: str) -> io.BytesIO | None:
    """The staged bytes as a file object (what the importers read), or None."""
    data = staged_bytes(session, token, kind=kind)
    return io.BytesIO(data) if data is not None else None


def release(session, token: str, *, staged: dict | None = None) -> None:
    """Forget `token` and remove its file (after the confirmation, or a cancel)."""
    staged = staged if staged is not None else dict(session.get(SESSION_KEY, {}))
    staged.pop(token, None)
    session[SESSION_KEY] = staged
    if TOKEN.fullmatch(token or ""):
        (_folder() / f"{token}.upload").unlink(missing_ok=True)
