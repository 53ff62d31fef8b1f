from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("import/", views.import_upload, name="import_upload"),
    path("templates/targets.xlsx", views.template_targets, name="template_targets"),
    path("templates/actuals.xlsx", views.template_actuals, name="template_actuals"),
    path("export/table.xlsx", views.export_indicator_table, name="export_indicator_table"),
    path("export/projects.xlsx", views.export_key_projects, name="export_key_projects"),
]
