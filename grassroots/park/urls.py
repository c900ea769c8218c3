from django.urls import path

from . import views

app_name = "park"

urlpatterns = [
    path("", views.profile_list, name="list"),
    path("enterprises.xlsx", views.profile_export, name="export"),
    path("new/", views.profile_register, name="register"),
    path("<int:pk>/", views.profile_detail, name="detail"),
    path("<int:pk>/do/<str:verb>/", views.profile_action, name="action"),
    path("cards/<int:pk>.pdf", views.card_pdf, name="card_pdf"),
    path("cards/<int:pk>/revoke/", views.card_revoke, name="card_revoke"),
    path("cards/reprint/", views.reprint, name="reprint"),
    path("instructors/", views.instructors, name="instructors"),
    path("instructors/<int:pk>/", views.instructor_detail, name="instructor"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("chains/", views.chains, name="chains"),
    path("chains/<int:pk>/", views.chain_detail, name="chain"),
]
