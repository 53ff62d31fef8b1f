"""The organisation workbook (组织架构表): template, example, export, preview and import."""

from .importer import OrgImportResult, open_upload, org_import_apply, org_import_preview
from .reader import is_org_workbook
from .writer import org_example, org_template, org_workbook

__all__ = [
    "OrgImportResult",
    "is_org_workbook",
    "open_upload",
    "org_example",
    "org_import_apply",
    "org_import_preview",
    "org_template",
    "org_workbook",
]
