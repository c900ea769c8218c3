from django.urls import path

from . import views

app_name = "partylife"

urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("meetings.xlsx", views.meeting_export, name="meeting_export"),
    path("meetings/new/", views.meeting_plan, name="meeting_plan"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/do/<slug:verb>/", views.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/sign-in/", views.meeting_sign_in, name="meeting_sign_in"),
    path("meetings/<int:pk>/minutes/", views.meeting_hold, name="meeting_hold"),
    path("meetings/<int:pk>/photos/", views.meeting_attach, name="meeting_attach"),
    path("attendance/<int:person_id>/", views.attendance, name="attendance"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts.xlsx", views.alert_export, name="alert_export"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("terms/", views.term_list, name="terms"),
    path("terms.xlsx", views.term_export, name="term_export"),
    path("terms/new/", views.term_start, name="term_start"),
    path("terms/<int:pk>/extension/", views.term_extend, name="term_extend"),
    path("terms/<int:pk>/seats/", views.term_seats, name="term_seats"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("points/", views.points, name="points"),
    path("points.xlsx", views.points_export, name="points_export"),
    path("points/new/", views.points_enter, name="points_enter"),
    path("points/services/", views.points_services, name="points_services"),
    path("points/<int:pk>/decide/", views.points_decide, name="points_decide"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews.xlsx", views.review_export, name="review_export"),
    path("reviews/new/", views.review_record, name="review_record"),
    path("me/", views.me, name="me"),
]
