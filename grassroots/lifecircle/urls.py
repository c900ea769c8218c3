from django.urls import path

from . import views

app_name = "lifecircle"

urlpatterns = [
    path("", views.finder, name="finder"),
    path("items/", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/words/", views.item_words, name="item_words"),
    path("facilities/", views.facility_list, name="facilities"),
    path("facilities/new/", views.facility_new, name="facility_new"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility_detail"),
    path("facilities/<int:pk>/retire/", views.facility_retire, name="facility_retire"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/gaps.geojson", views.gaps_geojson, name="gaps_geojson"),
    path("coverage/gaps.xlsx", views.gaps_export, name="gaps_export"),
]
