from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.message_open, name="message_open"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("reminders/filing/", views.filing_board_page, name="filing_board"),
    path("reminders/filing/chase/", views.filing_chase, name="filing_chase"),
]
