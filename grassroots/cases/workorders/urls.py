"""The work-order import page, included into ``cases/urls.py`` (name ``cases:import_work_orders``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_work_orders, name="import_work_orders"),
]
