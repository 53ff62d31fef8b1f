"""The exchange package's file: canonical bytes, signing and reading (no database).

A package file is two lines of UTF-8:

    {"body":…,"created_at":…,"format":"shigan-exchange","from":…,"id":…,"kind":…,…}
    HMAC-SHA256 <64 hex digits>

The first line is the package in canonical JSON (keys sorted, no spaces, UTF-8 not escaped, no
NaN); the second the HMAC-SHA256, with the pair's key, of the first line's bytes exactly. Any
changed byte of the first line breaks the signature; a first line that is not the canonical
form of its own content is refused as malformed (so one package has one file, and one sha256).
"""

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass

FORMAT = "shigan-exchange"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024
KIND_REPORT = "report"  # 上报包: a district's month, up to its county
KIND_HANDDOWN = "handdown"  # 交办包: a county's hand-downs, down to a district
KIND_LABELS = {KIND_REPORT: "上报包", KIND_HANDDOWN: "交办包"}
SIGNATURE_PREFIX = b"HMAC-SHA256 "
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
KEY = re.compile(r"^[0-9a-f]{64}$")


class PackageError(Exception):
    """A package refused before anything is read from it: the message says why, in Chinese."""


def shown(value, limit: int = 40) -> str:
    """A value echoed in a refusal: at most `limit` characters, then "…"."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…"


def new_key() -> str:
    """A pair's key: 32 random bytes, as 64 hex digits."""
    return secrets.token_hex(32)


def canonical(data: dict) -> bytes:
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def signature(key: str, signed: bytes) -> str:
    return hmac.new(bytes.fromhex(key), signed, hashlib.sha256).hexdigest()


def write(data: dict, key: str) -> bytes:
    """The file's bytes for the package `data`, signed with `key`."""
    signed = canonical(data)
    return signed + b"\n" + SIGNATURE_PREFIX + signature(key, signed).encode() + b"\n"


@dataclass(frozen=True)
class Unverified:
    """A package read but not yet verified: its content, signed bytes and claimed signature."""

    data: dict
    signed: bytes
    claimed: str
    sha256: str

    def verify(self, key: str) -> None:
        if not hmac.compare_digest(signature(key, self.signed), self.claimed):
            raise PackageError("签名不符：交换包在导出后被改动，或不是用本对方的密钥签名的。")


def read(raw: bytes) -> Unverified:
    """Parse a package file (size, layout, JSON, format and version); raises PackageError."""
    if len(raw) > MAX_BYTES:
        raise PackageError(
            f"文件超过{MAX_BYTES // 1048576}MB（交换包最大{MAX_BYTES // 1048576}MB）。"
        )
    signed, _, tail = raw.rstrip(b"\n").rpartition(b"\n")
    if not signed or not tail.startswith(SIGNATURE_PREFIX):
        raise PackageError("不是有效的交换包：缺少签名行（文件应由 shigan exchange export 导出）。")
    try:
        data = json.loads(signed.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PackageError("不是有效的交换包：内容不是有效的 JSON。") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PackageError("不是有效的交换包：格式标识不符。")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PackageError(f"不是有效的交换包：版本号无效，本安装只支持版本{VERSION}。")
    if version != VERSION:
        raise PackageError(
            f"交换包格式版本为{shown(str(version), 10)}，本安装只支持版本{VERSION}：请两端使用相同版本的实干。"
        )
    try:
        same = canonical(data) == signed
    except ValueError:
        same = False
    if not same:
        raise PackageError("不是有效的交换包：内容不是规范格式（文件被编辑过）。")
    claimed = tail.removeprefix(SIGNATURE_PREFIX).decode("ascii", "replace").strip()
    return Unverified(data, signed, claimed, hashlib.sha256(raw).hexdigest())


def parse_period(text) -> tuple[int, int]:
    """(year, month) of "2023-07"; raises PackageError."""
    found = PERIOD.match(text) if isinstance(text, str) else None
    if found is None:
        raise PackageError(f"月份“{shown(text)}”格式不对，应为“2023-07”这样的年-月。")
    return int(found[1]), int(found[2])


def period_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def period_label(text: str) -> str:
    year, month = parse_period(text)
    return f"{year}年{month}月"


def next_period(text: str) -> str:
    year, month = parse_period(text)
    return period_text(year + month // 12, month % 12 + 1)
