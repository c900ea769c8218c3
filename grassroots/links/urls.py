from django.urls import path

from . import views

app_name = "links"
URL_PREFIX = "s/"

urlpatterns = [
    path("<str:token>/", views.open_link, name="open"),
    path("revoke/<int:pk>/", views.revoke, name="revoke"),
]
