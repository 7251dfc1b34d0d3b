"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (403) is an expected answer, not a fault: django.request logs it with
    the PermissionDenied traceback attached, which buries real errors in the log. Keep the one
    warning line ("Forbidden (Permission denied): /path") and drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
