from django.urls import path

from .views import changes, progress, tasks

app_name = "tasks"
urlpatterns = [
    path("", tasks.task_list, name="task_list"),
    path("new/", tasks.task_create, name="task_create"),
    path("<int:pk>/", tasks.task_detail, name="task_detail"),
    path("<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("<int:pk>/request/", changes.change_request_new, name="change_request_create"),
    path("requests/", changes.change_request_list, name="change_request_list"),
    path(
        "requests/<int:pk>/decide/", changes.change_request_decision, name="change_request_decide"
    ),
    path("reports/<int:pk>/correct/", progress.progress_correct, name="progress_correct"),
    path("evidence/<int:pk>/", progress.evidence_download, name="evidence_download"),
]
