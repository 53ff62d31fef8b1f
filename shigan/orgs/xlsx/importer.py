"""The one road for an organisation workbook, from the upload page and the command line alike:
open it, read every sheet, match it against the importing coordinator's district (the plan the
preview shows), and — on confirmation — apply it through services.org_import, all or nothing."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shigan.core.models import AuditSource
from shigan.core.xlsx.reading import Book, Unreadable, open_book

from ..access import can_import_org
from ..models import Unit
from ..queries import district_named
from ..scope import district_id_of, person_of
from ..services.org_import import OrgOutcome, org_import
from .changes import OrgPlan
from .plan import org_plan
from .reader import read_org_file

REFUSED = "只有专班可以导入组织架构。"
NO_DISTRICT = "无法确定导入到哪个区县：请以本区县专班的账号导入（命令行用 --user 指定）。"
CONFLICT = ("保存时与系统中已有的记录冲突（例如两个单位互换名称，或他人同时修改了组织架构）："
            "未导入任何内容，请重新预览后再导入。")  # fmt: skip


@dataclass
class OrgImportResult:
    """What reading (and, when confirmed, applying) a workbook gave: file errors, or the plan
    with its problems, or the outcome."""

    plan: OrgPlan | None = None
    file_errors: list[str] = field(default_factory=list)
    outcome: OrgOutcome | None = None
    unreadable: bool = False

    @property
    def problems(self) -> list:
        return self.plan.problems if self.plan is not None else []

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.problems

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [str(p) for p in self.problems]

    def summary(self) -> str:
        if self.file_errors:
            return self.file_errors[0]
        if self.problems:
            return f"发现{len(self.problems)}处错误，未导入任何内容，请修改后重新导入。"
        plan, o = self.plan, self.outcome
        units_new, units_changed, units_same = plan.unit_counts
        people_new, people_changed, people_same = plan.person_counts
        if o is None:
            parts = [
                f"单位：新增{len(units_new)}个，更新{len(units_changed)}个，不变{units_same}个",
                f"人员：新增{len(people_new)}人，更新{len(people_changed)}人，不变{people_same}人",
                f"分管关系新增{len(plan.oversight_created)}条",
                f"领导小组成员新增{len(plan.seats_created)}人、更新{len(plan.seats_updated)}人",
                f"文件中没有的{len(plan.removals)}项（勾选后才删除）",
            ]
            return "预览：" + "；".join(parts) + "。"
        if not o.changed:
            return "未作任何更改：文件与系统中的组织架构相同。"
        parts = [
            f"单位新增{o.units_created}个、更新{o.units_updated}个",
            f"人员新增{o.people_created}人、更新{o.people_updated}人",
            f"分管关系新增{o.oversight_created}条",
            f"领导小组成员新增{o.seats_created}人、更新{o.seats_updated}人",
        ]
        if o.removed or o.disabled:
            parts.append(f"删除{len(o.removed)}项、停用账号{len(o.disabled)}个")
        return "已导入组织架构：" + "；".join(parts) + "。"


def open_upload(path_or_file) -> Book:
    return open_book(path_or_file, max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024)


def _district(by, org_file=None) -> Unit | None:
    """The importing coordinator's district; at the command line without --user, the district
    of the database's only tree (None when there are several roots): the district the file's one top
    row (no 上级单位) names — a district below a county is no root — else the root."""
    if by is not None:
        pk = district_id_of(by)
        return Unit.objects.filter(pk=pk).first() if pk else None
    roots = list(Unit.objects.filter(parent=None)[:2])
    if len(roots) != 1:
        return None
    tops = [row for row in getattr(org_file, "units", []) if not row.parent]
    if len(tops) == 1 and (named := district_named(tops[0].name)) is not None:
        return named  # a district of the only tree, below its root (a county's district)
    return roots[0]


def _plan(path_or_file, by, result: OrgImportResult) -> OrgPlan | None:
    if by is not None and not can_import_org(by):
        result.file_errors = [REFUSED]
        return None
    try:
        book = path_or_file if isinstance(path_or_file, Book) else open_upload(path_or_file)
    except Unreadable as exc:
        if _district(by) is None:
            result.file_errors = [NO_DISTRICT]
        else:
            result.file_errors, result.unreadable = [str(exc)], True
        return None
    org_file = read_org_file(book)
    district = _district(by, org_file)
    if district is None:
        result.file_errors = [NO_DISTRICT]
        return None
    result.plan = org_plan(org_file, district=district, me=person_of(by) if by else None)
    return result.plan


def org_import_preview(*, path_or_file, by) -> OrgImportResult:
    """Read the workbook and say what importing it would do; writes nothing."""
    result = OrgImportResult()
    _plan(path_or_file, by, result)
    return result


def org_import_apply(*, path_or_file, by, remove: set[str] = frozenset()) -> OrgImportResult:
    """Read the workbook, plan it against the district as it is now and apply it with the
    removals `remove` (their keys): all of it or nothing. `by` None is an operator at the command
    line (audit entries signed 数据导入)."""
    result = OrgImportResult()
    try:
        with transaction.atomic():
            plan = _plan(path_or_file, by, result)
            if plan is None or plan.problems:
                return result
            result.outcome = org_import(
                plan=plan, by=by, remove=set(remove), source=AuditSource.IMPORT
            )
    except ValidationError as refused:
        result.file_errors, result.outcome = list(refused.messages), None
    except IntegrityError:
        result.file_errors, result.outcome = [CONFLICT], None
    return result
