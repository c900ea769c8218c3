from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("objections/", views.objections_waiting, name="objections_waiting"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:pk>/objections/", views.objection_submit, name="objection_submit"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
]
