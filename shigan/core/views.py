"""Site-wide responses that belong to no domain: the favicon browsers ask for at /favicon.ico."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = "shigan/favicon.ico"


@login_not_required
@require_safe
@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request):
    """The site icon, from the collected static files or, in development, the app's own."""
    path = finders.find(FAVICON) or staticfiles_storage.path(FAVICON)
    try:
        return FileResponse(open(path, "rb"), content_type="image/x-icon")
    except OSError:
        raise Http404("favicon") from None
