from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.battle_map, name="battle_map"),
    path("export.xlsx", views.battle_map_xlsx, name="battle_map_xlsx"),
]
