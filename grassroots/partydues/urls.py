from django.urls import path

from . import views

app_name = "partydues"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("bills/", views.bills, name="bills"),
    path("bills.xlsx", views.bills_export, name="export"),
    path("bills/issue/", views.bills_issue, name="issue"),
    path("bills/<int:pk>/pay/", views.bill_pay, name="pay"),
    path("reductions/", views.reductions, name="reductions"),
    path("reductions/<int:pk>/<str:decision>/", views.reduction_decide, name="reduction_decide"),
    path("summary/", views.summary, name="summary"),
    path("members/<int:pk>/", views.member, name="member"),
    path("members/<int:pk>/base/", views.base_set, name="base_set"),
    path("members/<int:pk>/reduction/", views.reduction_propose, name="reduction_propose"),
]
