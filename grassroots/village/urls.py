from django.urls import path

from . import views

app_name = "village"

urlpatterns = [
    path("", views.collective_list, name="list"),
    path("<int:pk>/", views.collective_detail, name="detail"),
    path("<int:pk>/entries/", views.entry_add, name="entry"),
    path("<int:pk>/contracts/", views.contract_add, name="contract_add"),
    path("<int:pk>/members/", views.member_confirm, name="member_confirm"),
    path("<int:pk>/disclosures/", views.disclosure_publish, name="publish"),
    path("<int:pk>/statement.xlsx", views.statement_export, name="statement_export"),
    path("<int:pk>/households/<int:household>/", views.household_statement, name="household"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("payments/<int:pk>/pay/", views.payment_pay, name="pay"),
    path("rents/", views.rents, name="rents"),
    path("rents.xlsx", views.rents_export, name="rents_export"),
    path("members/<int:pk>/exit/", views.member_exit, name="member_exit"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="disclosure"),
    path("alliances/", views.alliance_list, name="alliances"),
    path("alliances/new/", views.alliance_create, name="alliance_create"),
    path("alliances/<int:pk>/", views.alliance_detail, name="alliance"),
]
