"""KPI pages, included into ``cases/urls.py`` (names ``cases:kpi_ranking``, ``cases:kpi_export``)."""

from django.urls import path

from . import views_kpi

urlpatterns = [
    path("kpi/", views_kpi.kpi_ranking, name="kpi_ranking"),
    path("kpi/export.xlsx", views_kpi.kpi_export, name="kpi_export"),
]
