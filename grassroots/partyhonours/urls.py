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
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/quotas/", views.quota_set, name="quota_set"),
    path("campaigns/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("campaigns/<int:pk>/nominations.xlsx", views.nominations_export, name="nominations_export"),
    path("nominations/<int:pk>/do/<str:verb>/", views.nomination_action, name="nomination_action"),
]
