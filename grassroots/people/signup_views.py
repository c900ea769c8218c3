"""Pages for people without staff accounts: register with a phone code, open an account from an invitation,
sign in with a phone code, reset a password with a phone code (``services.accounts``). Each form sends a code
(``action=send``) or completes the step; errors of the services show next to their field."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.edges import int_param
from grassroots.core.errors import ApplicationError, NotFound

from . import selectors, services

BACKEND = "django.contrib.auth.backends.ModelBackend"


class PhoneForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("手机号"), max_length=20)
    code = forms.CharField(label=gettext_lazy("验证码"), max_length=10, required=False)


class RegisterForm(PhoneForm):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=64, required=False)
    community = forms.ChoiceField(label=gettext_lazy("居住社区（村）"), required=False)
    id_number = forms.CharField(label=gettext_lazy("身份证号（选填，与登记信息一致可自动关联）"), max_length=32,
                                required=False)
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150, required=False)
    password = forms.CharField(label=gettext_lazy("密码"), widget=forms.PasswordInput(render_value=True),
                               required=False, max_length=128)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "—")] + [
            (str(r.pk), r.name) for r in selectors.registration_communities()]


class ResetForm(PhoneForm):
    password = forms.CharField(label=gettext_lazy("新密码"), widget=forms.PasswordInput, required=False,
                               max_length=128)


class InviteForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("邀请码"), max_length=20)
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    password = forms.CharField(label=gettext_lazy("密码"), widget=forms.PasswordInput, max_length=128)


def _error(form, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _send(request, form, purpose: str) -> None:
    services.send_phone_code(phone=form.cleaned_data["phone"], purpose=purpose)
    messages.success(request, _("验证码已发送，请查收短信"))


def _page(request, template, form, **extra):
    return render(request, template, {"form": form, **extra}, status=400 if form.errors else 200)


def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send":
                _send(request, form, "register")
            else:
                pk = int_param(data["community"])
                try:
                    community = selectors.registration_community_get(pk=pk) if pk else None
                except NotFound:
                    community = None
                claim = services.register(phone=data["phone"], code=data["code"], name=data["name"],
                                          community=community, username=data["username"],
                                          password=data["password"], id_number=data["id_number"])
                login(request, claim.user, backend=BACKEND)
                if claim.person_id:
                    messages.success(request, _("注册成功，已关联您的居民信息"))
                else:
                    messages.info(request, _("注册成功，请等待社区工作人员确认您的身份"))
                return redirect("home")
        except ApplicationError as exc:
            _error(form, exc)
    return _page(request, "people/signup_register.html", form)


def phone_login(request):
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "send":
                _send(request, form, "sign_in")
            else:
                user = services.sign_in_with_code(phone=form.cleaned_data["phone"], code=form.cleaned_data["code"])
                login(request, user, backend=BACKEND)
                return redirect("home")
        except ApplicationError as exc:
            _error(form, exc)
    return _page(request, "people/signup_phone_login.html", form)


def password_reset(request):
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "send":
                _send(request, form, "reset")
            else:
                services.reset_password(phone=form.cleaned_data["phone"], code=form.cleaned_data["code"],
                                        password=form.cleaned_data["password"])
                messages.success(request, _("密码已重置，请用新密码登录"))
                return redirect("login")
        except ApplicationError as exc:
            _error(form, exc)
    return _page(request, "people/signup_reset.html", form)


def invite_redeem(request):
    form = InviteForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invite_redeem(**form.cleaned_data)
            login(request, user, backend=BACKEND)
            messages.success(request, _("账号已开通"))
            return redirect("home")
        except ApplicationError as exc:
            _error(form, exc)
    return _page(request, "people/signup_invite.html", form)
