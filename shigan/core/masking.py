"""Masking personal numbers for those who do not handle the case: a mobile phone as
138****1234, an ID number as 4201**********1234. Lists, exports and pages read by anyone but
the record's handler show the masked form; the full number stays in the record."""

import re

DIGITS = re.compile(r"\d")


def mask_phone(phone: str) -> str:
    """138****1234 for an 11-digit mobile; other numbers keep their first 3 and last 4
    characters (those of 7 or fewer show only the last 2); blank stays blank."""
    text = (phone or "").strip()
    if not text:
        return ""
    if len(text) <= 7:
        return "*" * max(len(text) - 2, 1) + text[-2:]
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_id_number(number: str) -> str:
    """4201**********1234: an ID number keeps its first 4 and last 4 characters."""
    text = (number or "").strip()
    if not text:
        return ""
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]
