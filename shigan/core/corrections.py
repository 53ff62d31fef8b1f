"""Append-only entries with corrections (indicator figures, progress reports …).

A submitted entry is never changed. Submitting again for the same key (an indicator's month, a
task's month) writes a correction: a new entry pointing at the key's current entry (`corrects`),
with a reason (`correction_reason`, required by a database constraint). The key's current entry
is the latest one — the only one no later entry corrects, since a correction must name the
current entry (`correction_problem`: a form rendered before someone else's correction is stale).
Ids grow with insertion and the writers of one key are serialised (row lock, or SQLite's
IMMEDIATE transaction), so "latest" is the highest id; restricted to entries filed before an
instant it is the entry that was current then.

A concrete model inherits Correctable, declares `corrects = corrects_field(label)` and
`correction_reason = reason_field()` where its other fields put them, and lists
`reason_constraint(name)` among its constraints.
"""

import enum
from typing import Any, Self

from django.db import models
from django.db.models import Max, Q


def corrects_field(verbose_name: str) -> models.ForeignKey:
    """The link from a correction to the entry it corrects (reverse: `corrections`)."""
    return models.ForeignKey(
        "self",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )


def reason_field() -> models.TextField:
    return models.TextField("更正原因", blank=True)


def reason_constraint(name: str) -> models.CheckConstraint:
    """A correction carries a reason."""
    return models.CheckConstraint(
        condition=Q(corrects__isnull=True) | ~Q(correction_reason=""), name=name
    )


class CorrectableQuerySet(models.QuerySet):
    def current(self, *key: str) -> Self:
        """The current entry of each key among these entries (one query: the highest id per
        key, in a grouped subquery)."""
        latest = self.order_by().values(*key).annotate(last=Max("pk")).values("last")
        return self.filter(pk__in=latest)

    def current_by(self, *key: str) -> dict[tuple, Any]:
        """The current entries by key value, e.g. {(indicator_id, year, month): entry}."""
        return {tuple(getattr(e, name) for name in key): e for e in self.current(*key)}


class Correctable(models.Model):
    """An append-only entry; see the module docstring."""

    objects = CorrectableQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def append(cls, *, current: Self | None, reason: str, **fields) -> Self:
        """Write a new entry of a key whose current entry is `current` (None: the key's first
        entry); a correction of `current` then, with `reason`. Check correction_problem first."""
        return cls._default_manager.create(
            **fields, corrects=current, correction_reason=reason if current else ""
        )

    @property
    def correction_note(self) -> str:
        """The audit note of a correction (empty for a first entry)."""
        return f"更正原因：{self.correction_reason}" if self.corrects_id else ""


class CorrectionProblem(enum.Enum):
    FOREIGN = "foreign"  # names an entry, but the key has none: the entry is another key's
    STALE = "stale"  # the key's current entry is not the one named: corrected meanwhile
    NO_REASON = "no_reason"  # a correction without a reason


def correction_problem(
    current: Correctable | None, corrects: Correctable | None, reason: str, *, implicit: bool
) -> CorrectionProblem | None:
    """What is wrong with submitting for a key whose current entry is `current`, naming
    `corrects` as the entry corrected, with `reason`; None when nothing is. With `implicit`,
    naming no entry corrects the current one (an import, a form that shows only the current
    figure); without it, a submission naming none when there is one is stale."""
    if current is None:
        return CorrectionProblem.FOREIGN if corrects is not None else None
    if corrects is None and not implicit:
        return CorrectionProblem.STALE
    if corrects is not None and corrects.pk != current.pk:
        return CorrectionProblem.STALE
    if not reason:
        return CorrectionProblem.NO_REASON
    return None
