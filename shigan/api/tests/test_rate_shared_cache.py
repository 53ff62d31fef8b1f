"""The rate limit counts every request on the server's own cache (files in the data folder,
shared by gunicorn's workers and threads), also requests arriving at once: the file cache's
incr is a read then a write, and without the lock taken around it 300 requests at once in one
minute were counted 150 (700 a minute from one token all answered 200)."""

import time
from concurrent.futures import ThreadPoolExecutor

from django.core.cache import cache
from django.test import override_settings

from shigan.api.auth import RATE_WINDOW, _check_rate, rate_key


def test_requests_at_once_are_each_counted_on_the_file_cache(tmp_path):
    files = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    with override_settings(CACHES={"default": files | {"LOCATION": str(tmp_path / "cache")}}):
        first = int(time.time() // RATE_WINDOW)
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda _: _check_rate("token:1"), range(400)))
        windows = range(first, int(time.time() // RATE_WINDOW) + 1)  # a minute may turn
        assert sum(cache.get(rate_key("token:1", w), 0) for w in windows) == 400
