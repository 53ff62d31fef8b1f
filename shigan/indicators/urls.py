from django.urls import path

from .views import dashboard, projects, workbooks

app_name = "indicators"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("<int:pk>/", dashboard.indicator_detail, name="indicator_detail"),
    path("projects/", projects.project_list, name="project_list"),
    path("investment/", projects.investment, name="investment"),
    path("import/", workbooks.import_upload, name="import_upload"),
    path("templates/targets.xlsx", workbooks.template_targets, name="template_targets"),
    path("templates/actuals.xlsx", workbooks.template_actuals, name="template_actuals"),
    path("export/table.xlsx", workbooks.export_indicator_table, name="export_indicator_table"),
    path("export/projects.xlsx", workbooks.export_key_projects, name="export_key_projects"),
]
