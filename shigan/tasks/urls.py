from django.urls import path

from .views import categories, changes, imports, progress, tasks

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
    path("import/", imports.task_list_import, name="task_list_import"),
    path("import/template/", imports.task_list_template_download, name="task_list_template"),
    path("import/example/", imports.task_list_example_download, name="task_list_example"),
    path("import/export/", imports.task_list_export, name="task_list_export"),
    path("import/export.csv", imports.task_list_export_csv, name="task_list_export_csv"),
    path("categories/", categories.category_list, name="category_list"),
    path("categories/<int:pk>/edit/", categories.category_edit, name="category_edit"),
    path("categories/<int:pk>/delete/", categories.category_delete_page, name="category_delete"),
]
