"""Recording meetings, their decisions (议定事项) and study sessions, and setting up meeting
series: every service checks its whole input first and raises one ValidationError, keyed by
field, before writing anything; each record it writes goes to the audit trail."""

from .meetings import (
    DUPLICATE_MESSAGE,
    campaign_date_error,
    decision_errors,
    decision_record,
    meeting_record,
    meeting_update,
    series_error,
)
from .series import series_create, series_update
from .study import study_session_correct, study_session_record

__all__ = [
    "DUPLICATE_MESSAGE",
    "campaign_date_error",
    "decision_errors",
    "decision_record",
    "meeting_record",
    "meeting_update",
    "series_create",
    "series_error",
    "series_update",
    "study_session_correct",
    "study_session_record",
]
