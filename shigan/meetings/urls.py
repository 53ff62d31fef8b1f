from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/", views.decision_table, name="decision_table"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("files/<int:pk>/", views.meeting_file_download, name="meeting_file_download"),
    path("study/", views.study_list, name="study_list"),
    path("study/new/", views.study_create, name="study_create"),
    path("study/<int:pk>/", views.study_detail, name="study_detail"),
    path("study/<int:pk>/correct/", views.study_correct, name="study_correct"),
    path("series/new/", views.series_create_page, name="series_create"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
]
