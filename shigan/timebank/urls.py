from django.urls import path

from .views import accounts, postings, workbooks

app_name = "timebank"
urlpatterns = [
    path("", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/export/", accounts.account_export, name="account_export"),
    path("accounts/<int:pk>/export.csv", accounts.account_export_csv, name="account_export_csv"),
    path("accounts/<int:pk>/services/new/", postings.service_create, name="service_create"),
    path("accounts/<int:pk>/redeem/", postings.redemption_create, name="redemption_create"),
    path("queue/", postings.service_queue, name="service_queue"),
    path("services/<int:pk>/confirm/", postings.service_confirm_view, name="service_confirm"),
    path("services/<int:pk>/return/", postings.service_return_view, name="service_return"),
    path("services/<int:pk>/resubmit/", postings.service_resubmit_view, name="service_resubmit"),
    path(
        "transactions/<int:pk>/reverse/",
        postings.transaction_reverse_view,
        name="transaction_reverse",
    ),
    path("import/", workbooks.service_import, name="service_import"),
    path("import/template/", workbooks.service_import_template, name="service_import_template"),
]
