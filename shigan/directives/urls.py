from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="directive_list"),
    path("new/", views.directive_create_page, name="directive_create"),
    path("<int:pk>/", views.directive_detail, name="directive_detail"),
    path("<int:pk>/edit/", views.directive_edit_page, name="directive_edit"),
    path("files/<int:pk>/", views.directive_file_download, name="file_download"),
    path("handdown/new/", views.handdown_create_page, name="handdown_create"),
    path("inbox/", views.handdown_inbox, name="inbox"),
    path("handdown/<int:pk>/accept/", views.handdown_accept, name="handdown_accept"),
    path("handdown/<int:pk>/return/", views.handdown_return_page, name="handdown_return"),
    path("handdown/<int:pk>/withdraw/", views.handdown_withdraw_page, name="handdown_withdraw"),
    path("task/<int:pk>/", views.upper_task_detail, name="upper_task"),
]
