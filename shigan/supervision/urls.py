from django.urls import path

from .views import findings, inspections, notices, spot_checks

app_name = "supervision"
urlpatterns = [
    path("", inspections.inspection_list, name="inspection_list"),
    path("new/", inspections.inspection_create, name="inspection_create"),
    path("<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("<int:pk>/edit/", inspections.inspection_edit, name="inspection_edit"),
    path("<int:pk>/findings/new/", inspections.finding_create, name="finding_create"),
    path("findings/", findings.finding_list, name="finding_list"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/edit/", findings.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/verify/", findings.verification_create, name="verification_create"),
    path("spot-checks/", spot_checks.spot_check_list, name="spot_check_list"),
    path("spot-checks/draw/", spot_checks.spot_check_new, name="spot_check_draw"),
    path("spot-checks/<int:pk>/", spot_checks.spot_check_detail, name="spot_check_detail"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/new/", notices.notice_create, name="notice_create"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", notices.notice_edit, name="notice_edit"),
]
