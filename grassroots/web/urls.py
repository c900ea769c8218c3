from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_mark_read, name="notifications_read"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("grassroots.people.account_urls")),
]
