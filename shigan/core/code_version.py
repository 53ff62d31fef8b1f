"""A digest of the code this process runs: cached renderings (the task list's rows, the battle
map's fragments) are keyed on it, so an upgrade — a template or a filter changed — never serves
HTML made by the previous version from the shared file cache, whose entries outlive a restart."""

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
SUFFIXES = {".py", ".html", ".txt"}


@functools.cache
def code_digest() -> str:
    """Every source and template file of the package by path, size and modification time (a
    stat per file, once per process)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in SUFFIXES and path.is_file():
            stat = path.stat()
            digest.update(
                f"{path.relative_to(PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()[:16]
