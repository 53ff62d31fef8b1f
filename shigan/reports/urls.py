from django.urls import path

from . import views, views_checker

app_name = "reports"
urlpatterns = [
    path("", views.report_page, name="report_page"),
    path("download/<str:fmt>/", views.report_download, name="report_download"),
    path("narrative/", views.narrative_edit, name="narrative_edit"),
    path("check/", views_checker.check_page, name="check"),
]
