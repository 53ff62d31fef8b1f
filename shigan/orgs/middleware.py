"""An account holding an initial or reset password changes it before it opens anything else."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from .access import password_change_required

# What such an account may still open: the password-change page itself and logging out.
ALLOWED_URL_NAMES = {"password_change", "logout", "login", "favicon"}


class PasswordChangeRequiredMiddleware:
    """After AuthenticationMiddleware: every other page redirects to 修改密码 (static files are
    served before, by WhiteNoise; this skips STATIC_URL too for the debug server)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        if password_change_required(request.user) and not self._allowed(request.path_info):
            return redirect("password_change")
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        if path.startswith(self.static_prefix):
            return True
        try:
            return resolve(path).view_name in ALLOWED_URL_NAMES
        except Resolver404:
            return False
