from django.urls import path

from .views import battle_map, cockpit, levels

app_name = "dashboards"
urlpatterns = [
    path("", battle_map.battle_map, name="battle_map"),
    path("group/", battle_map.battle_map_group, name="battle_map_group"),
    path("cockpit/", cockpit.cockpit, name="cockpit"),
    path("levels/", levels.levels, name="levels"),
    path("levels/late/", levels.levels_late, name="levels_late"),
    path("export.xlsx", battle_map.battle_map_xlsx, name="battle_map_xlsx"),
    path("export.csv", battle_map.battle_map_csv, name="battle_map_csv"),
]
