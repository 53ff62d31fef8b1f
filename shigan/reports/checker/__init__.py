"""The report checker: finds the figure claims of a report text (占年计划的Z%, 比去年增加D,
同比增长P%, totals and their parts, 超/低于/达序时进度, 分别… lists, quantity × unit price), recomputes each from the
numbers the text itself states, and says which hold, which do not, and which cannot be checked."""

from .engine import check_file, check_text
from .readers import ReportReadError, read_report, text_from_bytes
from .results import CheckResult, Claim, ClaimKind, Status

__all__ = [
    "CheckResult",
    "Claim",
    "ClaimKind",
    "ReportReadError",
    "Status",
    "check_file",
    "check_text",
    "read_report",
    "text_from_bytes",
]
