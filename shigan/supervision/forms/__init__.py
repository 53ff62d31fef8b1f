"""Forms of the supervision pages (the services check every rule again; the forms give the
messages next to the fields)."""

from .common import CampaignField, DistrictChoices, FilterForm, UnitField, reason_field
from .inspections import (
    FindingEditForm,
    FindingFilterForm,
    FindingForm,
    InspectionEditForm,
    InspectionFilterForm,
    InspectionForm,
    SpotCheckFilterForm,
    SpotCheckForm,
    VerificationForm,
)
from .notices import (
    ExemplarEditForm,
    ExemplarEditFormSet,
    ExemplarForm,
    ExemplarFormSet,
    NoticeEditForm,
    NoticeFilterForm,
    NoticeForm,
    exemplar_initial,
    exemplar_inputs,
)

__all__ = [
    "CampaignField",
    "DistrictChoices",
    "ExemplarEditForm",
    "ExemplarEditFormSet",
    "ExemplarForm",
    "ExemplarFormSet",
    "FilterForm",
    "FindingEditForm",
    "FindingFilterForm",
    "FindingForm",
    "InspectionEditForm",
    "InspectionFilterForm",
    "InspectionForm",
    "NoticeEditForm",
    "NoticeFilterForm",
    "NoticeForm",
    "SpotCheckFilterForm",
    "SpotCheckForm",
    "UnitField",
    "VerificationForm",
    "exemplar_initial",
    "exemplar_inputs",
    "reason_field",
]
