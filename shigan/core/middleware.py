"""A refused method (405: a form's address opened from the address bar, or reloaded) answers with
a Chinese page in the site's frame; Django's own answer has an empty body, which browsers show as
their own English error page."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


# No inline script anywhere: every script is a static file of the app, so markup that slips into a
# page (a name typed as "<img onerror=…>") cannot run. Inline styles stay allowed: templates hold
# small <style> blocks and ECharts styles its tooltip inline; a style cannot run script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Every response carries the one Content-Security-Policy, unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class NoStoreMiddleware:
    """Pages and downloads served to a signed-in user are not kept by the browser or a proxy
    (Cache-Control: no-store …): a shared office PC's back button or cache shows nothing after
    sign-out. Static files never reach here (WhiteNoise answers them first); a view that set its
    own Cache-Control (the favicon) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


# A session ends after this long without a request (settings.SESSION_IDLE_SECONDS, 2 hours); the
# time of the last request is written into the session at most every SEEN_REFRESH seconds, so a
# busy page does not write the session on every request.
SEEN = "shigan_seen"
SEEN_REFRESH = 300
IDLE_MESSAGE = "您已超过{hours}小时未操作，为安全起见已自动退出，请重新登录。"


def session_seen_at_login(sender, request, user, **kwargs) -> None:
    """user_logged_in: the session starts its idle clock (connected in CoreConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Signs out a session idle for longer than settings.SESSION_IDLE_SECONDS; the next page is
    the login page, with a message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now, idle = int(time.time()), settings.SESSION_IDLE_SECONDS
            seen = request.session.get(SEEN)
            if isinstance(seen, int) and now - seen > idle:
                logout(request)
                messages.info(request, IDLE_MESSAGE.format(hours=f"{idle / 3600:g}"))
            elif not isinstance(seen, int) or now - seen >= SEEN_REFRESH:
                request.session[SEEN] = now
        return self.get_response(request)
