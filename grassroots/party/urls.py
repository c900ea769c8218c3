from django.urls import path

from . import views

app_name = "party"

urlpatterns = [
    path("", views.org_tree, name="org_tree"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("members/", views.member_list, name="member_list"),
    path("members/export.xlsx", views.member_export, name="member_export"),
    path("members/import/", views.member_import, name="member_import"),
    path("members/import/template.xlsx", views.member_import_template, name="member_import_template"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/promote/", views.member_promote, name="member_promote"),
    path("report-ins/", views.report_in_list, name="report_in_list"),
    path("report-ins/<int:pk>/end/", views.report_in_end, name="report_in_end"),
    path("org-report-ins/", views.org_report_in_list, name="org_report_in_list"),
    path("liaisons/", views.liaison_list, name="liaison_list"),
    path("liaisons/<int:pk>/end/", views.liaison_end, name="liaison_end"),
]
