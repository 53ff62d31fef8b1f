"""Task categories (任务类别) of a campaign, set up on their page: create, rename or reorder,
delete one that holds no task. Each write checks its input first (one ValidationError keyed by
field), then writes and audits; a deletion is also recorded on the campaign
(campaigns.services.campaign_part_removed), where the categories page finds it again.

The page's two reads are here too, each one query whatever the number of categories and tasks.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.deletion import ProtectedError

from shigan.campaigns.models import Campaign
from shigan.campaigns.services import campaign_part_removed, raise_errors
from shigan.core.audit import audit_record, snapshot
from shigan.core.history import readable_entries
from shigan.core.models import AuditAction, AuditEntry

from ..models import TaskCategory

WHAT = "任务类别"


def categories_with_counts(campaign: Campaign) -> QuerySet:
    """The campaign's categories in their order, each with `task_count` (every task of it)."""
    return campaign.task_categories.annotate(task_count=Count("tasks")).order_by("sort_order", "id")


def category_history(campaign: Campaign, categories) -> list[AuditEntry]:
    """The 历史记录 of the campaign's categories: their own entries and the campaign's entries
    recording a deleted one (one query)."""
    ids = [c.pk for c in categories]
    entries = AuditEntry.objects.filter(
        Q(record_type=TaskCategory._meta.label_lower, record_id__in=ids)
        | Q(record_type=Campaign._meta.label_lower, record_id=campaign.pk, changes__has_key=WHAT)
    )
    return readable_entries(entries.select_related("actor__person"))


def _name_error(campaign: Campaign, name: str, category: TaskCategory | None) -> str | None:
    name = name.strip()
    if not name:
        return "请填写类别名称。"
    same = campaign.task_categories.filter(name=name)
    if category is not None:
        same = same.exclude(pk=category.pk)
    if same.exists():
        return f"本活动已有任务类别“{name}”，类别名称不能重复。"
    return None


def _save(category: TaskCategory) -> None:
    # uniq_task_category settles a race between two coordinators naming a category alike.
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        message = f"本活动已有任务类别“{category.name}”，类别名称不能重复。"
        raise ValidationError({"name": message}) from None


@transaction.atomic
def category_create(
    *, campaign: Campaign, by, name: str, sort_order: int | None = None
) -> TaskCategory:
    """Add a category to the campaign, last unless `sort_order` is given. Refused: no name, a
    name the campaign's categories already have."""
    raise_errors({"name": _name_error(campaign, name, None)})
    if sort_order is None:
        last = campaign.task_categories.aggregate(last=Max("sort_order"))["last"]
        sort_order = 1 if last is None else last + 1
    category = TaskCategory(campaign=campaign, name=name.strip(), sort_order=sort_order)
    _save(category)
    audit_record(actor=by, obj=category, action=AuditAction.CREATE, note=f"活动：{campaign}")
    return category


@transaction.atomic
def category_update(
    *, category: TaskCategory, by, name: str, sort_order: int | None = None
) -> TaskCategory:
    """Rename or reorder a category (its tasks keep it). Refused as category_create."""
    category = (
        TaskCategory.objects.select_for_update().select_related("campaign").get(pk=category.pk)
    )
    raise_errors({"name": _name_error(category.campaign, name, category)})
    before = snapshot(category)
    category.name = name.strip()
    if sort_order is not None:
        category.sort_order = sort_order
    _save(category)
    audit_record(actor=by, obj=category, action=AuditAction.UPDATE, before=before)
    return category


def category_delete_error(category: TaskCategory) -> str | None:
    """Why the category cannot be deleted (it holds tasks), or None."""
    count = category.tasks.count()
    if count:
        return (
            f"任务类别“{category.name}”下有{count}项任务，不能删除；"
            "请先把这些任务改到其他类别，或保留该类别。"
        )
    return None


@transaction.atomic
def category_delete(*, category: TaskCategory, by) -> None:
    """Delete a category that holds no task (audited on it and on its campaign). Refused, with
    nothing changed, while any task (cancelled or closed ones too) is in it."""
    category = (
        TaskCategory.objects.select_for_update().select_related("campaign").get(pk=category.pk)
    )
    raise_errors({"name": category_delete_error(category)})
    campaign_part_removed(
        campaign=category.campaign, by=by, part=category, what=WHAT, shown=category.name
    )
    try:
        category.delete()
    except ProtectedError:  # a task filed under it since the check
        raise_errors({"name": category_delete_error(category)})
        raise
