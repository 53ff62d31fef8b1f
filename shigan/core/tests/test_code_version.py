"""The code digest moves when a source or template file of the package changes."""

import os

from shigan.core import code_version


def test_the_digest_moves_when_a_template_changes(tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "rows.html"
    template.write_text("<tr>{{ row }}</tr>")
    (tmp_path / "notes.md").write_text("not code")
    monkeypatch.setattr(code_version, "PACKAGE", tmp_path)
    code_version.code_digest.cache_clear()
    try:
        before = code_version.code_digest()
        (tmp_path / "notes.md").write_text("still not code, longer")
        code_version.code_digest.cache_clear()
        assert code_version.code_digest() == before
        template.write_text("<tr>{{ row }}</tr>")
        stat = template.stat()
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        code_version.code_digest.cache_clear()
        assert code_version.code_digest() != before
    finally:
        code_version.code_digest.cache_clear()
