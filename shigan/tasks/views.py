from django.shortcuts import render

from shigan.orgs.access import get_task_for_user


def task_detail(request, pk):
    task = get_task_for_user(request.user, pk)
    return render(request, "tasks/task_detail.html", {"task": task})
