"""The efficiency page's filter: the handling unit, among the units whose concerns the user
reads (unknown values are ignored)."""

from django import forms

from shigan.campaigns.access import narrow_choices
from shigan.orgs.models import Unit

from ..access import concern_units_visible_to
from .concerns import _choice


class EfficiencyFilterForm(forms.Form):
    unit = _choice(Unit.objects.none(), "承办单位", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_choices(self, user)
        self.fields["unit"].queryset = concern_units_visible_to(user)
        self.fields["unit"].empty_label = "全部"

    def chosen_unit(self):
        """The chosen unit, or None (none chosen, or not one whose concerns the user reads)."""
        return self.cleaned_data.get("unit") if self.is_valid() else None
