from django.urls import path

from . import views

app_name = "property"

urlpatterns = [
    path("", views.rates, name="rates"),
    path("rates.xlsx", views.rates_export, name="rates_export"),
    path("compounds/", views.compound_list, name="compounds"),
    path("compounds/<int:pk>/", views.compound_detail, name="compound_detail"),
    path("compounds/<int:pk>/contracts/", views.contract_add, name="contract_add"),
    path("compounds/<int:pk>/contracts/<int:contract_id>/terminate/", views.contract_terminate, name="contract_terminate"),
    path("compounds/<int:pk>/committees/", views.committee_add, name="committee_add"),
    path("compounds/<int:pk>/meetings/", views.meeting_add, name="meeting_add"),
    path("compounds/<int:pk>/committees/<int:committee_id>/members/", views.member_add, name="member_add"),
    path("firms/", views.firm_list, name="firms"),
    path("firms/<int:firm_id>/coverage/", views.firm_coverage, name="firm_coverage"),
    path("meetings/", views.meeting_list, name="meetings"),
]
