from django.urls import path

from .views import checker, report

app_name = "reports"
urlpatterns = [
    path("", report.report_page, name="report_page"),
    path("download/<str:fmt>/", report.report_download, name="report_download"),
    path("narrative/", report.narrative_edit, name="narrative_edit"),
    path("check/", checker.check_page, name="check"),
]
