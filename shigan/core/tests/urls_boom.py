"""The site's URLs plus one view that fails, to see the 500 page as a user would."""

from django.urls import path

from shigan.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *site]
