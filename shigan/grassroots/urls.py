from django.urls import path  # noqa: F401

from .views import pairing, practice, promises, reception  # noqa: F401

app_name = "grassroots"
urlpatterns = []
