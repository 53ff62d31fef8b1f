"""The sheet of initial passwords a coordinator hands out: shown once, downloadable once.

The passwords are never stored: the page that shows them carries them, signed, in the download
form (the browser already holds them on that page), and the session keeps only the sheet's
one-time token. The download spends the token: a second one is refused, and a form copied
after the hour is refused too.
"""

import json
import secrets
from dataclasses import asdict

from django.core import signing
from openpyxl import Workbook
from openpyxl.styles import Font

from shigan.core.xlsx import put
from shigan.core.xlsx.layout import workbook_bytes

from .services import InitialPassword

SALT = "shigan.orgs.initial-password-sheet"
MAX_AGE_SECONDS = 3600
SESSION_KEY = "orgs_initial_password_sheets"
KEEP_TOKENS = 10
COLUMNS = [("序号", 6), ("姓名", 12), ("单位", 28), ("职务", 16), ("用户名", 16), ("初始密码", 18)]
NOTE = "初始密码仅显示和下载一次；首次登录后须立即修改密码。请逐人分发，勿外传。"


def sheet_issue(session, rows: list[InitialPassword]) -> str:
    """The signed form value that downloads `rows` once; its token is remembered in `session`."""
    token = secrets.token_urlsafe(16)
    tokens = [*session.get(SESSION_KEY, []), token][-KEEP_TOKENS:]
    session[SESSION_KEY] = tokens
    return signing.dumps(
        {"token": token, "rows": [asdict(r) for r in rows]}, salt=SALT, compress=True
    )


def sheet_redeem(session, value: str) -> list[InitialPassword] | None:
    """The rows of a sheet not downloaded yet, spending its token; None when the value is not
    one this site signed within the hour, or its download was spent (or issued elsewhere)."""
    try:
        data = signing.loads(value or "", salt=SALT, max_age=MAX_AGE_SECONDS)
        token, rows = data["token"], [InitialPassword(**row) for row in data["rows"]]
    except (signing.BadSignature, json.JSONDecodeError, KeyError, TypeError, ValueError):
        return None
    tokens = session.get(SESSION_KEY, [])
    if token not in tokens:
        return None
    session[SESSION_KEY] = [t for t in tokens if t != token]
    return rows


def sheet_workbook(rows: list[InitialPassword], *, issued: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "初始密码"
    put(ws, 1, 1, f"实干 · 初始密码（{issued}）").font = Font(bold=True, size=13)
    put(ws, 2, 1, NOTE)
    for column, (title, width) in enumerate(COLUMNS, start=1):
        put(ws, 3, column, title).font = Font(bold=True)
        ws.column_dimensions[chr(ord("A") + column - 1)].width = width
    for number, row in enumerate(rows, start=1):
        values = [number, row.name, row.unit, row.post, row.username, row.password]
        for column, value in enumerate(values, start=1):
            put(ws, 3 + number, column, value)
    ws.freeze_panes = "A4"
    return workbook_bytes(wb)
