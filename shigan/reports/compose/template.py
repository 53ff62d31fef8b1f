"""Narrative with placeholders: people write the words, records fill in the figures.

A narrative body may name generated clauses in 【】: 【宣传报道】 (a clause the builder writes
from records, e.g. "在中央、省、市、县等各级媒体发表“实干年”主题报道13篇") or an indicator
by name, 【订单种植面积】 (its current figure), 【油茶种植面积.目标】 (its annual target),
【油茶种植面积.完成率】 (its completion share).

When a placeholder has no backing record as of the report's date, the whole clause holding it
is left out — the text between two punctuation marks (，；、： or a sentence end), together with
one of them — so the report never states a figure without a record and the sentence still
reads. Punctuation inside quotes, book-title marks and brackets does not end a clause.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from shigan.reports.document import Run

PLACEHOLDER = re.compile(r"【([^【】\n]{1,60})】")
SOFT_STOPS = "，；、："
STRENGTH = {"、": 0, "，": 1, "：": 2, "；": 3}
HARD_STOPS = "。！？"
OPENERS = {"“": "”", "《": "》", "（": "）", "【": "】", "‘": "’"}


class Unknown:
    """A placeholder that names nothing the builder knows; it is kept as written."""


UNKNOWN = Unknown()
Resolution = list[Run] | None | Unknown
Resolver = Callable[[str], Resolution]


@dataclass
class Clause:
    text: str
    stop: str  # the punctuation that ends it, "" at the end of the text


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def clauses(text: str) -> list[Clause]:
    """Split at clause-ending punctuation outside quotes and brackets."""
    found: list[Clause] = []
    closing: list[str] = []
    start = 0
    for i, char in enumerate(text):
        if closing and char == closing[-1]:
            closing.pop()
        elif char in OPENERS:
            closing.append(OPENERS[char])
        elif not closing and char in SOFT_STOPS + HARD_STOPS:
            found.append(Clause(text[start:i], char))
            start = i + 1
    if start < len(text):
        found.append(Clause(text[start:], ""))
    return found


def _ends_soft(runs: list[Run]) -> bool:
    return bool(runs) and isinstance(runs[-1], str) and runs[-1][-1:] in SOFT_STOPS


def _drop_last_char(runs: list[Run]) -> None:
    runs[-1] = runs[-1][:-1]
    if not runs[-1]:
        runs.pop()


def _drop(out: list[Run], clause: Clause) -> None:
    """Leave out a clause with one of the two marks around it, keeping the stronger: "A、【x】，B"
    → "A，B"; "A，【x】。" → "A。"; "【x】，B" → "B"."""
    if not _ends_soft(out):
        return
    previous = out[-1][-1]
    _drop_last_char(out)
    if not clause.stop:
        return
    if clause.stop in HARD_STOPS or STRENGTH.get(clause.stop, -1) > STRENGTH[previous]:
        out.append(clause.stop)
    else:
        out.append(previous)


def _fill(clause_text: str, resolved: dict[str, Resolution]) -> list[Run]:
    runs: list[Run] = []
    position = 0
    for match in PLACEHOLDER.finditer(clause_text):
        runs.append(clause_text[position : match.start()])
        value = resolved[match.group(1)]
        runs.extend([match.group(0)] if isinstance(value, Unknown) else value)
        position = match.end()
    runs.append(clause_text[position:])
    return runs


def expand(text: str, resolve: Resolver) -> list[Run]:
    """The runs of `text` with each placeholder filled by `resolve` (see the module docstring)."""
    out: list[Run] = []
    for clause in clauses(text):
        resolved = {key: resolve(key) for key in placeholders(clause.text)}
        if any(value is None for value in resolved.values()):
            _drop(out, clause)
            continue
        out.extend(_fill(clause.text, resolved))
        out.append(clause.stop)
    return merge(out)


def merge(runs: list[Run]) -> list[Run]:
    """Adjacent strings joined, empty strings removed."""
    merged: list[Run] = []
    for run in runs:
        if isinstance(run, str):
            if not run:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += run
                continue
        merged.append(run)
    return merged


def unknown_placeholders(text: str, known: Callable[[str], bool]) -> list[str]:
    """Placeholders in `text` that name nothing known (for form validation)."""
    return [key for key in dict.fromkeys(placeholders(text)) if not known(key)]
