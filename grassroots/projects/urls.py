from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="projects"),
    path("new/", views.project_new, name="project_new"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/do/<str:verb>/", views.project_action, name="project_action"),
    path("<int:pk>/review/", views.project_review, name="project_review"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/tranches/", views.tranche_pay, name="tranche_pay"),
    path("funds/", views.fund_list, name="funds"),
    path("funds/<str:code>/public/", views.fund_public, name="fund_public"),
    path("funds/<int:pk>/ledger/", views.fund_ledger, name="fund_ledger"),
    path("funds/<int:pk>/donations/", views.donation_add, name="donation_add"),
    path("funds/<int:pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("funds/<int:pk>/reconcile/", views.fund_reconcile, name="fund_reconcile"),
    path("ledger/<int:pk>/correct/", views.entry_correct, name="entry_correct"),
    path("partners/", views.partner_list, name="partners"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("volunteers/", views.volunteer_list, name="volunteers"),
    path("volunteers/<int:pk>/hours/", views.hours_add, name="hours_add"),
    path("volunteers/leaderboard/", views.leaderboard, name="leaderboard"),
]
