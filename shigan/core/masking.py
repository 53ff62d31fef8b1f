"""Masking personal numbers (phone, ID number) for pages, lists and exports read by people who
do not handle the case: 138****1234, 4201**********1234. Who sees a number in full is the
owning app's access rule; this module only hides digits."""

PHONE_KEEP = (3, 4)
ID_KEEP = (4, 4)


def _mask(value: str, head: int, tail: int) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) <= head + tail:
        # Too short to keep both ends: keep at most the last quarter.
        keep = len(text) // 4
        return "*" * (len(text) - keep) + text[len(text) - keep :]
    return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234 (the first 3 and last 4 characters kept)."""
    return _mask(phone, *PHONE_KEEP)


def mask_id_number(id_number: str) -> str:
    """420102199001011234 → 4201**********1234 (the first 4 and last 4 characters kept)."""
    return _mask(id_number, *ID_KEEP)
