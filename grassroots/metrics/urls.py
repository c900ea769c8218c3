"""KPI pages at ``/cases/kpi/`` (``URL_PREFIX``, where ``config.urls`` mounts them: the paths they had while they
lived in the cases app), names ``metrics:kpi_ranking`` and ``metrics:kpi_export``."""

from django.urls import path

from . import views

app_name = "metrics"
URL_PREFIX = "cases/kpi/"

urlpatterns = [
    path("", views.kpi_ranking, name="kpi_ranking"),
    path("export.xlsx", views.kpi_export, name="kpi_export"),
]
