"""Excel ledgers (台账): import templates, the importer, exports."""

from shigan.core.xlsx.layout import workbook_bytes

from .export import indicator_table_workbook, key_projects_workbook
from .importer import import_workbook
from .result import ImportResult
from .templates import actuals_template, targets_template

__all__ = [
    "ImportResult",
    "actuals_template",
    "import_workbook",
    "indicator_table_workbook",
    "key_projects_workbook",
    "targets_template",
    "workbook_bytes",
]
