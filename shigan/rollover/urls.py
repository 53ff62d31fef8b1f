from django.urls import path

from . import views

app_name = "rollover"
urlpatterns = [
    path("<int:pk>/rollover/", views.campaign_rollover_page, name="campaign_rollover"),
]
