from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("", views.item_list, name="items"),
    path("counts/", views.counts, name="counts"),
    path("ledger.xlsx", views.ledger_export, name="export"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/do/<slug:verb>/", views.item_action, name="item_action"),
    path("items/<int:pk>/measures/", views.measures_set, name="measures_set"),
    path("items/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("items/<int:pk>/milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
    path("items/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("items/<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
]
