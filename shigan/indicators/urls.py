from django.urls import path

from .views import dashboard, definitions, investment_records, project_records, projects, workbooks

app_name = "indicators"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("<int:pk>/", dashboard.indicator_detail, name="indicator_detail"),
    path("setup/", definitions.definition_list, name="definition_list"),
    path("new/", definitions.indicator_create, name="indicator_create"),
    path("<int:pk>/edit/", definitions.indicator_edit, name="indicator_edit"),
    path("<int:pk>/year/", definitions.indicator_year, name="indicator_year"),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", project_records.project_create, name="project_create"),
    path("projects/<int:pk>/edit/", project_records.project_edit, name="project_edit"),
    path("enterprises/", project_records.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", project_records.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/edit/", project_records.enterprise_edit, name="enterprise_edit"),
    path("investment/", projects.investment, name="investment"),
    path("investment/trips/new/", investment_records.trip_create, name="trip_create"),
    path("investment/trips/<int:pk>/edit/", investment_records.trip_edit, name="trip_edit"),
    path(
        "investment/agreements/new/", investment_records.agreement_create, name="agreement_create"
    ),
    path(
        "investment/agreements/<int:pk>/edit/",
        investment_records.agreement_edit,
        name="agreement_edit",
    ),
    path(
        "investment/agreements/<int:pk>/land/",
        investment_records.agreement_land_view,
        name="agreement_land",
    ),
    path("import/", workbooks.import_upload, name="import_upload"),
    path("templates/targets.xlsx", workbooks.template_targets, name="template_targets"),
    path("templates/actuals.xlsx", workbooks.template_actuals, name="template_actuals"),
    path("export/table.xlsx", workbooks.export_indicator_table, name="export_indicator_table"),
    path("export/projects.xlsx", workbooks.export_key_projects, name="export_key_projects"),
    path(
        "export/table.csv", workbooks.export_indicator_table_csv, name="export_indicator_table_csv"
    ),
    path("export/projects.csv", workbooks.export_key_projects_csv, name="export_key_projects_csv"),
]
