"""Logging filters named by settings.LOGGING."""

import logging


class ForbiddenInOneLine(logging.Filter):
    """A refused request (403) is logged as the one line “Forbidden (Permission denied): /path”.

    Django logs a PermissionDenied at WARNING with its traceback; a 403 is the access rules
    working (a read-only user on a write page), and a traceback for each one buries the 500s."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
