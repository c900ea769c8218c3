from django.urls import path

from . import views

app_name = "partybrands"

urlpatterns = [
    path("", views.brand_list, name="list"),
    path("brands.xlsx", views.brand_export, name="export"),
    path("matrix/", views.brand_matrix, name="matrix"),
    path("new/", views.brand_create, name="create"),
    path("<int:pk>/", views.brand_detail, name="detail"),
    path("<int:pk>/edit/", views.brand_edit, name="edit"),
    path("<int:pk>/do/<str:verb>/", views.brand_action, name="action"),
]
