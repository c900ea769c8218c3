from django.urls import path

from . import views

app_name = "deliberation"

urlpatterns = [
    path("", views.topic_list, name="topics"),
    path("topics/new/", views.topic_new, name="topic_new"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/support/", views.topic_support, name="topic_support"),
    path("topics/<int:pk>/drop/", views.topic_drop, name="topic_drop"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda_add, name="meeting_agenda_add"),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/open/", views.meeting_open, name="meeting_open"),
    path("meetings/<int:pk>/sign-in/", views.meeting_sign_in, name="meeting_sign_in"),
    path("meetings/<int:pk>/motions/", views.motion_new, name="motion_new"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/sign-in.pdf", views.meeting_sign_in_pdf, name="meeting_sign_in_pdf"),
    path("motions/<int:pk>/vote/", views.motion_vote, name="motion_vote"),
    path("motions/<int:pk>/close/", views.motion_close, name="motion_close"),
    path("motions/<int:pk>/ballot.pdf", views.motion_ballot_pdf, name="motion_ballot_pdf"),
    path("motions/<int:pk>/resolution/", views.resolution_new, name="resolution_new"),
    path("resolutions/<int:pk>/", views.resolution_detail, name="resolution_detail"),
    path("resolutions/<int:pk>/publish/", views.resolution_publish, name="resolution_publish"),
    path("resolutions/<int:pk>/follow-up/", views.resolution_follow_up, name="resolution_follow_up"),
    path("resolutions/<int:pk>/progress/", views.resolution_progress, name="resolution_progress"),
    path("resolutions/<int:pk>/resolution.pdf", views.resolution_pdf, name="resolution_pdf"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
]
