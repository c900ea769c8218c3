from django.urls import path

from . import account_views, signup_views

urlpatterns = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.logout_view, name="logout"),
    path("otp/", account_views.otp_setup, name="otp_setup"),
    path("tokens/", account_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", account_views.token_revoke, name="token_revoke"),
    path("register/", signup_views.register, name="signup_register"),
    path("login/phone/", signup_views.phone_login, name="signup_phone_login"),
    path("reset/", signup_views.password_reset, name="signup_reset"),
    path("invite/", signup_views.invite_redeem, name="signup_invite"),
]
