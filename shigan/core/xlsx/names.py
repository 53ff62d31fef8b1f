"""Names typed in a workbook matched against a register (units, people): lists of several names
in one cell, and the closest registered name suggested for one that is not registered (difflib),
never guessed."""

import difflib
import re

from .layout import norm

# 、，, ；; / and line breaks separate several names in one cell.
LIST_SEPARATORS = re.compile(r"[、，,；;/／\n\r]+")


def split_list(text: str) -> list[str]:
    """The names of a cell listing several ("交通局、水务局\n财政所"), stripped, blanks left out."""
    return [part.strip() for part in LIST_SEPARATORS.split(text or "") if part.strip()]


def closest(name: str, candidates: dict[str, str]) -> str | None:
    """The candidate (`candidates`: normalised name -> name as registered) closest to `name`:
    one containing it or contained in it, else difflib's closest, else None."""
    key = norm(name)
    contains = [full for k, full in candidates.items() if key in k or (len(k) > 1 and k in key)]
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.4)
    best = sorted(set(contains))[:1] or [candidates[c] for c in close]
    return best[0] if best else None


def suggestion(name: str, candidates: dict[str, str]) -> str:
    """“，是否为“…”？” naming the closest candidate, or "" when none is close."""
    best = closest(name, candidates)
    return f"，是否为“{best}”？" if best else ""
