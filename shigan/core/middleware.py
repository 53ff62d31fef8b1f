"""A refused method (405: a form's address opened from the address bar, or reloaded) answers with
a Chinese page in the site's frame; Django's own answer has an empty body, which browsers show as
their own English error page."""

from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
