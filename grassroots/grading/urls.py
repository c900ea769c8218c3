from django.urls import path

from . import views

app_name = "grading"

urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("new/", views.scheme_create, name="scheme_create"),
    path("<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("<int:pk>/move/<slug:verb>/", views.scheme_move, name="scheme_move"),
    path("<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path("<int:pk>/bands/", views.band_set, name="band_set"),
    path("<int:pk>/limits/", views.scheme_limits, name="scheme_limits"),
    path("<int:pk>/targets/", views.assessment_add, name="assessment_add"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.xlsx", views.results_export, name="results_export"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/entries/<int:entry_id>/evidence/", views.evidence_add, name="evidence_add"),
]
