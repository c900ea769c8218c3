from django.urls import path

from . import views

app_name = "party"

urlpatterns = [
    path("", views.org_tree, name="org_tree"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/children/new/", views.org_create, name="org_create"),
    path("orgs/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("orgs/<int:pk>/transfer-in/", views.transfer_in, name="transfer_in"),
    path("members/", views.member_list, name="member_list"),
    path("members/export.xlsx", views.member_export, name="member_export"),
    path("members/import/", views.member_import, name="member_import"),
    path("members/import/template.xlsx", views.member_import_template, name="member_import_template"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/promote/", views.member_promote, name="member_promote"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("members/<int:pk>/transfer-letter/", views.transfer_issue, name="transfer_issue"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/<int:pk>/receive/", views.transfer_receive, name="transfer_receive"),
    path("transfers/<int:pk>/letter.pdf", views.transfer_letter, name="transfer_letter"),
    path("report-ins/", views.report_in_list, name="report_in_list"),
    path("report-ins/new/", views.report_in_create, name="report_in_create"),
    path("report-ins/<int:pk>/", views.report_in_detail, name="report_in_detail"),
    path("report-ins/<int:pk>/claim/", views.service_post_claim, name="service_post_claim"),
    path("report-ins/<int:pk>/end/", views.report_in_end, name="report_in_end"),
    path("service-posts/", views.service_post_list, name="service_post_list"),
    path("org-report-ins/", views.org_report_in_list, name="org_report_in_list"),
    path("org-report-ins/new/", views.org_report_in_create, name="org_report_in_create"),
    path("liaisons/", views.liaison_list, name="liaison_list"),
    path("liaisons/new/", views.liaison_create, name="liaison_create"),
    path("liaisons/<int:pk>/end/", views.liaison_end, name="liaison_end"),
]
