"""Sign-in, sign-out and the TOTP second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import otp


class LoginView(auth_views.LoginView):
    template_name = "people/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["timed_out"] = self.request.GET.get("timeout") == "1"
        return ctx


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@login_required
def otp_setup(request):
    """Enrol (first time) or verify (each sign-in) the TOTP second factor."""
    next_url = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    device = otp.confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = otp.pending_device(request.user)
    if request.method == "POST":
        if otp.verify(request, device, request.POST.get("token", "")):
            messages.success(request, _("二次验证已通过"))
            return redirect(next_url)
        messages.error(request, _("验证码不正确或已过期，请重试"))
    ctx = {"enrolling": enrolling, "next": next_url}
    if enrolling:
        ctx["qr_svg"] = otp.qr_svg(device)
        ctx["secret"] = otp.secret_b32(device)
    return render(request, "people/otp.html", ctx)
