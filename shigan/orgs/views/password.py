"""修改密码: every account's own page; the only one an account with an initial or reset password
opens (orgs.middleware) until it has changed it."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse_lazy

from ..access import password_change_required
from ..forms import PasswordChangeForm
from ..services import password_change_record


class PasswordChange(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = password_change_required(self.request.user)
        return context

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            password_change_record(user=self.request.user)
        messages.success(self.request, "密码已修改，请牢记新密码。")
        return response


password_change = PasswordChange.as_view()


def admin_password_change(request, extra_context=None):
    """The admin site's 修改密码 (its own form checks the current password unthrottled): the
    app's page instead, whose current password counts against the account (orgs.forms)."""
    return redirect("password_change")
