"""The benchmark's URLconf: the site's own, plus two reference views. Used only inside the
benchmark runner's process, through ROOT_URLCONF.

- the framework floor: a trivial view behind every middleware, the session and the logged-in
  user, with no page work;
- the empty page: the site's base template (navigation, context processors) around nothing,
  the least any HTML page of the site costs.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

FLOOR_PATH = "/__bench__/floor/"
EMPTY_PAGE_PATH = "/__bench__/empty/"
EMPTY_PAGE = '{% extends "base.html" %}{% block content %}<p>ok</p>{% endblock %}'


@login_required
def floor(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def empty_page(request):
    template = engines["django"].from_string(EMPTY_PAGE)
    return HttpResponse(template.render({}, request))


urlpatterns = [
    path(FLOOR_PATH.lstrip("/"), floor, name="bench_floor"),
    path(EMPTY_PAGE_PATH.lstrip("/"), empty_page, name="bench_empty_page"),
    path("", include("shigan.urls")),
]
