"""Admin for coordinators only, with every save and delete written to the audit trail."""

import re

from django import forms as django_forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.shortcuts import redirect

from .audit import audit_record, snapshot
from .editing import FIELD, posted_version, record_version, version_check
from .forms import DateField, ModelMultipleChoiceField
from .history import readable_entries
from .models import AuditAction, AuditEntry
from .params import id_or_none

# Dates within core.params' years and ids that fit the database, as on the app's own forms.
# Dates in the browser's date input (YYYY-MM-DD, as DateField reads them): the admin's own
# widget and calendar write the locale's 2023/02/01, which DateField refuses.
FORMFIELD_OVERRIDES = {
    models.DateField: {"form_class": DateField, "widget": DateField.widget},
    models.ManyToManyField: {"form_class": ModelMultipleChoiceField},
}


# Record ids a change list posts: the selected rows of an action, the rows of an editable list.
POSTED_ID = re.compile(rf"^(?:{ACTION_CHECKBOX_NAME}|form-\d+-id)$")


def tampered_ids(data) -> bool:
    """Whether a posted change list names a row by something that is no record id (Django
    passes them to a `pk__in` lookup, where a number past 64 bits overflows on SQLite)."""
    return any(
        value and id_or_none(value) is None
        for key in data
        if POSTED_ID.match(key)
        for value in data.getlist(key)
    )


class ConstraintCheckedForm(django_forms.ModelForm):
    """Checks every database constraint before saving, also those naming a field the admin shows
    read-only (Django skips those), so a violation is a message rather than an IntegrityError.

    A change form also carries the record's version (core.editing; AuditedAdmin puts the field
    in its fieldsets): a save over one made since the form was shown is refused, naming who
    changed what, as on the app's own edit forms. Inline forms do not render it: unchecked."""

    edit_version = django_forms.CharField(widget=django_forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and FIELD in self.fields:
            self.fields[FIELD].initial = str(record_version(self.instance))

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None:
            seen = posted_version(self.data.get(self.add_prefix(FIELD)))
            what = str(type(self.instance)._meta.verbose_name)
            version_check(self.instance, seen, what=what)
        return data

    def _post_clean(self):
        super()._post_clean()
        if self._errors:  # fields or the constraints Django checked already failed
            return
        model = type(self.instance)
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                try:
                    constraint.validate(model, self.instance)
                except ValidationError as exc:
                    self._update_errors(exc)


def configure_site(site: admin.AdminSite, *, permitted, narrow) -> None:
    """The admin site of 基础设置: `permitted(user)` (the set-up rule of orgs.access, passed in
    by the URLconf) decides who uses it; `narrow(user, records, path)` (orgs.scope's
    within_district) keeps each list and each choice to the user's district, by the model
    admin's `district_path` (a path to a unit id). Every admin here asks the site."""
    site.site_header = "实干 · 管理后台"
    site.site_title = "实干"
    site.index_title = "基础数据设置"
    site.has_permission = lambda request: permitted(request.user)
    site.narrow = narrow


def _permitted(model_admin, request) -> bool:
    return model_admin.admin_site.has_permission(request)


def _narrowed(site, request, records, path: str):
    """`records` kept to the user's district (made distinct where the path crosses a to-many
    link, as a leading group's members)."""
    narrowed = site.narrow(request.user, records, path)
    fields = get_fields_from_path(records.model, path)
    return narrowed.distinct() if any(f.many_to_many or f.one_to_many for f in fields) else narrowed


# Models chosen in the admin without an admin of their own: login accounts by their person.
UNREGISTERED_PATHS = {"auth.user": "person__unit_id"}


def _narrow_choices(model_admin, request, field):
    """A foreign-key or many-to-many form field offering only the user's district's records,
    by the district_path of the related model's admin (every model chosen here has one)."""
    choices = getattr(field, "queryset", None)
    if choices is None:
        return field
    related = model_admin.admin_site._registry.get(choices.model)
    path = getattr(related, "district_path", None) or UNREGISTERED_PATHS.get(
        choices.model._meta.label_lower
    )
    if path is None:
        raise ImproperlyConfigured(f"{choices.model.__name__} 的 admin 没有 district_path")
    field.queryset = _narrowed(model_admin.admin_site, request, choices, path)
    return field


def _related_only(model, entry):
    if isinstance(entry, str) and get_fields_from_path(model, entry)[-1].is_relation:
        return (entry, admin.RelatedOnlyFieldListFilter)
    return entry


class DistrictChoices:
    """Foreign-key and many-to-many choices kept to the user's district."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _narrow_choices(self, request, field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _narrow_choices(self, request, field)


class AuditedAdmin(DistrictChoices, admin.ModelAdmin):
    """A ModelAdmin for coordinators whose saves and deletes land in the audit trail with
    before/after values; a record's 历史 page lists those entries. `district_path` (required)
    names the unit whose district a record belongs to: lists, record pages and choices keep to
    the user's district."""

    object_history_template = "admin/audited_history.html"
    form = ConstraintCheckedForm
    formfield_overrides = FORMFIELD_OVERRIDES
    district_path: str = ""

    def get_fieldsets(self, request, obj=None):
        """The record's version (ConstraintCheckedForm) goes with a change form's fields."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not fieldsets:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], FIELD]}), *rest]

    def get_list_filter(self, request):
        """A filter by a related record lists only those the list holds (Django's default
        lists every unit or person of the database)."""
        return [_related_only(self.model, entry) for entry in super().get_list_filter(request)]

    def get_queryset(self, request):
        if not self.district_path:
            raise ImproperlyConfigured(f"{type(self).__name__} 没有 district_path")
        records = super().get_queryset(request)
        return _narrowed(self.admin_site, request, records, self.district_path)

    def has_module_permission(self, request):
        return _permitted(self, request)

    def has_view_permission(self, request, obj=None):
        return _permitted(self, request)

    def has_add_permission(self, request):
        return _permitted(self, request)

    def has_change_permission(self, request, obj=None):
        return _permitted(self, request)

    def has_delete_permission(self, request, obj=None):
        return _permitted(self, request)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and tampered_ids(request.POST):
            messages.error(request, "提交的数据有误：所选记录的编号无效，请刷新页面后重试。")
            return redirect(request.get_full_path())
        return super().changelist_view(request, extra_context=extra_context)

    def history_view(self, request, object_id, extra_context=None):
        entries = AuditEntry.objects.filter(
            record_type=self.model._meta.label_lower, record_id=object_id
        ).select_related("actor__person")
        extra_context = {**(extra_context or {}), "audit_entries": readable_entries(entries)}
        return super().history_view(request, object_id, extra_context=extra_context)

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            before = snapshot(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            obj=obj,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            before=before,
            task_id=getattr(obj, "task_id", None)
            or (obj.pk if obj._meta.model_name == "task" else None),
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, obj=obj, action=AuditAction.DELETE, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        befores = {
            f.instance.pk: snapshot(type(f.instance).objects.get(pk=f.instance.pk))
            for f in formset.forms
            if f.instance.pk and f.has_changed()
        }
        instances = formset.save(commit=False)
        # A form marked for deletion is not validated: with a tampered id its instance is a new,
        # unsaved object, and there is nothing to delete.
        for obj in (o for o in formset.deleted_objects if o.pk is not None):
            audit_record(
                actor=request.user, obj=obj, action=AuditAction.DELETE, before=snapshot(obj)
            )
            obj.delete()
        for obj in instances:
            is_new = obj.pk is None
            obj.save()
            audit_record(
                actor=request.user,
                obj=obj,
                action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
                before=befores.get(obj.pk),
                task_id=getattr(obj, "task_id", None),
            )
        formset.save_m2m()


class CoordinatorInlineMixin(DistrictChoices):
    """Inlines follow AuditedAdmin's rule (coordinators only) instead of Django's model
    permissions, which Shigan's accounts do not carry; the parent admin audits their saves."""

    extra = 0
    form = ConstraintCheckedForm
    formfield_overrides = FORMFIELD_OVERRIDES

    def has_view_permission(self, request, obj=None):
        return _permitted(self, request)

    def has_add_permission(self, request, obj=None):
        return _permitted(self, request)

    def has_change_permission(self, request, obj=None):
        return _permitted(self, request)

    def has_delete_permission(self, request, obj=None):
        return _permitted(self, request)


class CoordinatorTabularInline(CoordinatorInlineMixin, admin.TabularInline):
    pass


class CoordinatorStackedInline(CoordinatorInlineMixin, admin.StackedInline):
    pass


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only. The author is named as text (AuditEntry.author), not linked: user accounts are
    not changed here, so a link to one would end on a refusal. A coordinator reads the entries
    written by the people of his district (an operator's account every entry)."""

    district_path = "actor__person__unit_id"

    list_select_related = ["actor__person"]
    list_display = ["at", "author", "action", "record_type", "record_repr"]
    list_filter = ["action", "record_type"]
    search_fields = ["record_repr", "note"]
    fields = [
        "at", "author", "action", "record_type", "record_id", "record_repr", "task_id",
        "changes", "note",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="操作人")
    def author(self, obj: AuditEntry) -> str:
        return obj.author

    def get_queryset(self, request):
        records = super().get_queryset(request).select_related("actor__person")
        return _narrowed(self.admin_site, request, records, self.district_path)

    def has_module_permission(self, request):
        return _permitted(self, request)

    def has_view_permission(self, request, obj=None):
        return _permitted(self, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
