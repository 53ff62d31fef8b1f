"""The task list (任务清单) as a workbook: template, filled example, export and import."""

from .exporter import task_list_example, task_list_template, task_list_workbook
from .importer import TaskImportResult, import_task_list, is_task_list, open_upload

__all__ = [
    "TaskImportResult",
    "import_task_list",
    "is_task_list",
    "open_upload",
    "task_list_example",
    "task_list_template",
    "task_list_workbook",
]
