"""登录 with the throttle (orgs.throttle): a locked account or address is refused before its
password is checked, with the time to try again; a wrong password is counted; a right one clears
the account's count. The admin site's login uses the same form."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from ..services.login import login_failure_record, login_failures_clear
from ..throttle import client_address, login_lock


class ThrottledMixin:
    """clean() of an AuthenticationForm, refused while locked and counted when wrong."""

    locked = False

    def clean(self):
        username = self.data.get("username", "")
        address = client_address(self.request) if self.request is not None else ""
        lock = login_lock(username, address)
        if lock is not None:
            self.locked = True
            raise ValidationError(lock.message(), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if any(e.code == "invalid_login" for e in error.error_list):
                login_failure_record(username=username, address=address)
            raise
        login_failures_clear(username=username)
        return cleaned


class ThrottledLoginForm(ThrottledMixin, AuthenticationForm):
    pass


class ThrottledAdminLoginForm(ThrottledMixin, AdminAuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
