from django.urls import path

from . import views, views_cockpit

app_name = "dashboards"
urlpatterns = [
    path("", views.battle_map, name="battle_map"),
    path("cockpit/", views_cockpit.cockpit, name="cockpit"),
    path("export.xlsx", views.battle_map_xlsx, name="battle_map_xlsx"),
]
