from django.urls import path

from . import views

app_name = "partydevelopment"

urlpatterns = [
    path("", views.cases, name="cases"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/steps/", views.step_record, name="step_record"),
    path("cases/<int:pk>/notice/", views.notice_publish, name="notice_publish"),
    path("cases/<int:pk>/extend/", views.case_extend, name="case_extend"),
]
