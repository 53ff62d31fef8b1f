from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.message_open, name="message_open"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("reminders/filing/", views.filing_board_page, name="filing_board"),
    path("reminders/filing/chase/", views.filing_chase, name="filing_chase"),
    path("reminders/overdue/", views.item_chase, name="item_chase"),
    path("reminders/handdown/<int:pk>/chase/", views.handdown_chase, name="handdown_chase"),
    path("reminders/rules/", views.rule_settings_page, name="rule_settings"),
    path("inbox/settings/", views.delivery_settings, name="delivery_settings"),
    path("reminders/robots/", views.robot_list, name="robot_list"),
    path("reminders/robots/new/", views.robot_new, name="robot_new"),
    path("reminders/robots/<int:pk>/", views.robot_edit, name="robot_edit"),
    path("reminders/robots/<int:pk>/delete/", views.robot_remove, name="robot_delete"),
    path("reminders/robots/<int:pk>/test/", views.robot_test, name="robot_test"),
    path("reminders/deliveries/", views.delivery_list, name="delivery_list"),
    path("reminders/deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
]
