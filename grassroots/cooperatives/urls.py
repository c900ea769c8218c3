from django.urls import path

from . import views

app_name = "cooperatives"

urlpatterns = [
    path("", views.coop_list, name="list"),
    path("new/", views.coop_register, name="register"),
    path("<int:pk>/", views.coop_detail, name="detail"),
    path("<int:pk>/members.xlsx", views.members_export, name="members_export"),
    path("<int:pk>/join/", views.member_join, name="join"),
    path("<int:pk>/transactions/", views.transaction_add, name="transaction"),
    path("<int:pk>/transactions/import/", views.transaction_import, name="transaction_import"),
    path("<int:pk>/transactions/template.xlsx", views.transaction_template, name="transaction_template"),
    path("<int:pk>/subsidies/", views.subsidy_add, name="subsidy"),
    path("<int:pk>/charter/", views.charter_add, name="charter"),
    path("<int:pk>/trial/", views.plan_trial, name="trial"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/leave/", views.member_leave, name="leave"),
    path("members/<int:pk>/contributions/", views.contribution_add, name="contribution"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/do/<slug:verb>/", views.plan_action, name="plan_action"),
    path("plans/<int:pk>/plan.xlsx", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
]
