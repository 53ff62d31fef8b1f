from django.urls import path

from . import views, views_dashboard, views_projects

app_name = "indicators"
urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("<int:pk>/", views_dashboard.indicator_detail, name="indicator_detail"),
    path("projects/", views_projects.project_list, name="project_list"),
    path("investment/", views_projects.investment, name="investment"),
    path("import/", views.import_upload, name="import_upload"),
    path("templates/targets.xlsx", views.template_targets, name="template_targets"),
    path("templates/actuals.xlsx", views.template_actuals, name="template_actuals"),
    path("export/table.xlsx", views.export_indicator_table, name="export_indicator_table"),
    path("export/projects.xlsx", views.export_key_projects, name="export_key_projects"),
]
