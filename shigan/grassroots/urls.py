from django.urls import path  # noqa: F401

from .views import (  # noqa: F401
    categories,
    concern_import,
    concerns,
    index,
    pairing,
    practice,
    promises,
    reception,
    visits,
)

app_name = "grassroots"
urlpatterns = [
    path("", index.index, name="index"),
    path("concerns/", concerns.concern_list, name="concern_list"),
    path("concerns/new/", concerns.concern_create_view, name="concern_create"),
    path("concerns/export/", concerns.concern_export, name="concern_export"),
    path("concerns/import/", concern_import.concern_import, name="concern_import"),
    path("concerns/import/template/", concern_import.concern_template, name="concern_template"),
    path("concerns/<int:pk>/", concerns.concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/step/", concerns.concern_step_view, name="concern_step"),
    path("concerns/<int:pk>/contact/", concerns.concern_contact, name="concern_contact"),
    path("concern-categories/", categories.category_list, name="category_list"),
    path("concern-categories/<int:pk>/", categories.category_edit, name="category_edit"),
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/photos/<int:pk>/", visits.visit_photo, name="visit_photo"),
]
