"""Task list, detail with history, create/edit (stub: being built)."""

from django.http import HttpResponse
from django.shortcuts import render

from shigan.orgs.access import get_task_for_user


def task_list(request):
    return HttpResponse("todo")


def task_detail(request, pk):
    task = get_task_for_user(request.user, pk)
    return render(request, "tasks/task_detail.html", {"task": task})


def task_create(request):
    return HttpResponse("todo")


def task_edit(request, pk):
    return HttpResponse("todo")
