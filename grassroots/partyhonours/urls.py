from django.urls import path

from . import views

app_name = "partyhonours"

urlpatterns = [
    path("medal50/", views.medal50, name="medal50"),
    path("medal50/confirm/", views.medal50_confirm, name="medal50_confirm"),
    path("medal50/export/", views.medal50_export, name="medal50_export"),
    path("medal50/awards/<int:pk>/", views.award_detail, name="award"),
    path("medal50/awards/<int:pk>/approve/", views.award_approve, name="award_approve"),
    path("medal50/awards/<int:pk>/issue/", views.award_issue, name="award_issue"),
    path("medal50/awards/<int:pk>/withdraw/", views.award_withdraw, name="award_withdraw"),
]
