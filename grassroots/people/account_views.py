"""Sign-in, sign-out, the TOTP second factor and personal API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from grassroots.core.edges import field_error, or_404, post_action
from grassroots.core.errors import ApplicationError

from . import otp, tokens


def _safe_next(request, raw: str | None) -> str:
    if raw and url_has_allowed_host_and_scheme(raw, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return raw
    return "/"


class LoginView(auth_views.LoginView):
    template_name = "people/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["timed_out"] = self.request.GET.get("timeout") == "1"
        return ctx

    def form_valid(self, form):
        response = super().form_valid(form)
        from .security import needs_second_factor

        if needs_second_factor(self.request.user):
            return redirect(f"{_otp_url()}?{urlencode({'next': self.get_success_url()})}")
        return response


def _otp_url() -> str:
    from django.urls import reverse

    return reverse("otp_setup")


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("您已安全退出"))
    return redirect("login")


@login_required
def otp_setup(request):
    """Enrol (first time) or verify (each sign-in) the TOTP second factor."""
    next_url = _safe_next(request, request.GET.get("next") or request.POST.get("next"))
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


class TokenForm(forms.Form):
    VALIDITY = [("30", gettext_lazy("30天")), ("90", gettext_lazy("90天")), ("365", gettext_lazy("一年")),
                ("", gettext_lazy("长期有效（可随时吊销）"))]
    name = forms.CharField(label=gettext_lazy("用途"), max_length=64)
    valid_days = forms.ChoiceField(label=gettext_lazy("有效期"), choices=VALIDITY, required=False, initial="90")


@login_required
def token_list(request):
    """List one's own tokens; POST creates one and shows its secret once."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["valid_days"]
        try:
            _token, secret = tokens.token_create(actor=request.user, name=form.cleaned_data["name"],
                                                 valid_days=int(days) if days else None)
            form = TokenForm()
        except ApplicationError as err:
            field_error(form, err)
    rows = list(tokens.tokens_for(actor=request.user))
    return render(request, "people/tokens.html", {"form": form, "tokens": rows, "secret": secret},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = or_404(tokens.token_get, actor=request.user, pk=pk)
    return post_action(request, lambda: tokens.token_revoke(actor=request.user, token=token), _("令牌已吊销"), "tokens")
