"""Change requests: adjust due date, cancel, complete (stub: being built)."""

from django.http import HttpResponse


def change_request_create(request, pk):
    return HttpResponse("todo")


def change_request_list(request):
    return HttpResponse("todo")


def change_request_decide(request, pk):
    return HttpResponse("todo")
