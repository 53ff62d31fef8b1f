from django.shortcuts import render


def battle_map(request):
    return render(request, "dashboards/battle_map.html", {})
