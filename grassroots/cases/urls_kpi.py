"""KPI pages and the work-order import page, included into ``cases/urls.py``
(names ``cases:kpi_ranking``, ``cases:kpi_export``, ``cases:import_work_orders``)."""

from django.urls import path

from . import views_kpi, views_workorders

urlpatterns = [
    path("kpi/", views_kpi.kpi_ranking, name="kpi_ranking"),
    path("kpi/export.xlsx", views_kpi.kpi_export, name="kpi_export"),
    path("import/", views_workorders.import_work_orders, name="import_work_orders"),
]
