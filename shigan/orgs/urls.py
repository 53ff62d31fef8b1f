from django.urls import path

from .views import accounts, org_import, workdays

app_name = "orgs"
urlpatterns = [
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/create-all/", accounts.accounts_new_for_all, name="accounts_create_all"),
    path("accounts/sheet/", accounts.initial_password_sheet, name="initial_password_sheet"),
    path("accounts/<int:pk>/", accounts.person_account, name="person_account"),
    path("accounts/<int:pk>/create/", accounts.account_new, name="account_create"),
    path("accounts/<int:pk>/disable/", accounts.account_disable, name="account_disable"),
    path("accounts/<int:pk>/enable/", accounts.account_enable, name="account_enable"),
    path("accounts/<int:pk>/reset/", accounts.account_reset, name="account_reset"),
    path("accounts/<int:pk>/unlock/", accounts.account_unlock_view, name="account_unlock"),
    path("org/import/", org_import.org_import, name="org_import"),
    path("org/import/confirm/", org_import.org_import_confirm, name="org_import_confirm"),
    path("org/template/", org_import.org_template_download, name="org_template"),
    path("org/example/", org_import.org_example_download, name="org_example"),
    path("org/export/", org_import.org_export, name="org_export"),
    path("org/export.csv", org_import.org_export_csv, name="org_export_csv"),
    path("workdays/", workdays.workday_list, name="workday_list"),
    path("workdays/<int:pk>/", workdays.workday_edit, name="workday_edit"),
    path("workdays/<int:pk>/remove/", workdays.workday_remove, name="workday_remove"),
]
