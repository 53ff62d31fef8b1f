from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from shigan.core.admin import configure_site
from shigan.core.views import favicon
from shigan.orgs.access import can_manage_setup
from shigan.orgs.scope import within_own_level
from shigan.orgs.views.jobs import job_detail
from shigan.orgs.views.login import LoginView, ThrottledAdminLoginForm
from shigan.orgs.views.password import admin_password_change, password_change
from shigan.views import home, setup_guide

configure_site(admin.site, permitted=can_manage_setup, narrow=within_own_level)
admin.site.login_form = ThrottledAdminLoginForm  # the login throttle there too (orgs.throttle)
admin.site.password_change = admin_password_change  # the app's throttled page

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", password_change, name="password_change"),
    path("jobs/<int:pk>/", job_detail, name="job"),
    path("admin/", admin.site.urls),
    path("campaigns/", include("shigan.campaigns.urls")),
    path("campaigns/", include("shigan.rollover.urls")),
    path("map/", include("shigan.dashboards.urls")),
    path("tasks/report/", include("shigan.monthly.urls")),
    path("tasks/", include("shigan.tasks.urls")),
    path("indicators/", include("shigan.indicators.urls")),
    path("meetings/", include("shigan.meetings.urls")),
    path("supervision/", include("shigan.supervision.urls")),
    path("publicity/", include("shigan.publicity.urls")),
    path("grassroots/", include("shigan.grassroots.urls")),
    path("timebank/", include("shigan.timebank.urls")),
    path("reports/", include("shigan.reports.urls")),
    path("directives/", include("shigan.directives.urls")),
    path("", include("shigan.reminders.urls")),
    path("setup/", setup_guide, name="setup_guide"),
    path("setup/", include("shigan.orgs.urls")),
    path("api/", include("shigan.api.urls")),
]
