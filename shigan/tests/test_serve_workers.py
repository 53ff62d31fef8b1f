"""`shigan serve`'s worker model (issue 18, benchmarks/workers.py): gthread workers with
keep-alive off, so kept-alive connections cannot pile onto one worker while the other idles."""

from gunicorn.app.base import BaseApplication

from shigan import cli


def test_serve_runs_threaded_workers_that_close_each_connection(monkeypatch):
    seen = {}
    monkeypatch.setattr(BaseApplication, "run", lambda app: seen.update(cfg=app.cfg))
    cli.run_gunicorn(host="127.0.0.1", port=8123, workers=3)
    cfg = seen["cfg"]
    assert cfg.worker_class_str == "gthread"
    assert cfg.workers == 3
    assert cfg.threads == 4
    assert cfg.keepalive == 0
    assert cfg.bind == ["127.0.0.1:8123"]
