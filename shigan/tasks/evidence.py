"""Evidence files (佐证材料): stored against a progress report or a change request.

What is accepted (types, size limit) and how files are stored and served is core.files'; the
names below are the tasks app's for it.
"""

from shigan.core.files import ACCEPTED_LABEL, validate_upload

from .models import Evidence

__all__ = ["ACCEPTED_LABEL", "evidence_store", "validate_evidence"]

validate_evidence = validate_upload


def evidence_store(*, task, upload, by, report=None, change_request=None) -> Evidence:
    """Save one validated upload against a report or change request, and audit it."""
    evidence = Evidence(task=task, report=report, change_request=change_request)
    evidence.store(upload, by=by, task_id=task.pk)
    return evidence
