import os
import time

from django.conf import settings

from shigan.core import staging


def test_staged_bytes_come_back_once_for_the_same_session_and_kind():
    session = {}
    token = staging.stage(session, b"workbook", kind="task_list")
    assert staging.staged_bytes(session, token, kind="task_list") == b"workbook"
    assert staging.staged_file(session, token, kind="task_list").read() == b"workbook"
    assert staging.staged_bytes(session, token, kind="org") is None  # another import's token
    assert staging.staged_bytes({}, token, kind="task_list") is None  # another session
    path = settings.DATA_DIR / "staging" / f"{token}.upload"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    staging.release(session, token)
    assert staging.staged_bytes(session, token, kind="task_list") is None
    assert not path.exists()


def test_forged_tokens_read_nothing_and_touch_no_other_file():
    session = {staging.SESSION_KEY: {"../../secret_key": "task_list"}}
    assert staging.staged_bytes(session, "../../secret_key", kind="task_list") is None
    staging.release(session, "../../secret_key")
    assert staging.staged_bytes(session, "", kind="task_list") is None


def test_a_session_keeps_its_last_five_and_old_files_are_swept():
    session = {}
    tokens = [
        staging.stage(session, str(i).encode(), kind="k")
        for i in range(staging.KEEP_PER_SESSION + 1)
    ]
    assert staging.staged_bytes(session, tokens[0], kind="k") is None
    assert (
        staging.staged_bytes(session, tokens[-1], kind="k")
        == str(staging.KEEP_PER_SESSION).encode()
    )
    old = settings.DATA_DIR / "staging" / f"{tokens[1]}.upload"
    day_ago = time.time() - staging.KEEP_SECONDS - 60
    os.utime(old, (day_ago, day_ago))
    staging.stage({}, b"new", kind="k")
    assert not old.exists()
