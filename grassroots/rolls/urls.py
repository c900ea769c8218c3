from django.urls import path

from . import views

app_name = "rolls"

urlpatterns = [
    path("", views.roll_list, name="rolls"),
    path("new/", views.roll_new, name="roll_new"),
    path("terms-ending/", views.terms_ending, name="terms_ending"),
    path("<int:pk>/", views.roll_detail, name="roll_detail"),
    path("<int:pk>/entries/", views.entry_add, name="entry_add"),
    path("<int:pk>/import/", views.roll_import, name="roll_import"),
    path("<int:pk>/template.xlsx", views.roll_template, name="roll_template"),
    path("entries/<int:pk>/end/", views.entry_end, name="entry_end"),
]
