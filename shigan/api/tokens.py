"""The token's shape and its hash: `sg_<prefix>_<secret>`, the prefix public (the lookup key),
the secret 256 random bits; only the SHA-256 of the whole token is stored."""

import hashlib
import hmac
import secrets

from .models import ApiToken

MARK = "sg_"
PREFIX_BYTES = 5  # 10 hex digits: the lookup key, shown in the token list
SECRET_BYTES = 32


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_new() -> tuple[str, str]:
    """A fresh (prefix, raw token)."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    return prefix, f"{MARK}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"


def token_prefix(raw: str) -> str | None:
    """The prefix of a token as a client sent it, None when it is not one of ours."""
    if not raw.startswith(MARK):
        return None
    prefix, _, secret = raw[len(MARK) :].partition("_")
    if len(prefix) != 2 * PREFIX_BYTES or not secret:
        return None
    return prefix


def token_lookup(raw: str) -> ApiToken | None:
    """The token `raw` is, with its user (one query), or None: unknown, or its hash differs."""
    prefix = token_prefix(raw)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, token_hash(raw)):
        return None
    return token
