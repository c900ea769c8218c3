from django.urls import path

from . import views

app_name = "territory"

urlpatterns = [
    path("", views.browser, name="browser"),
    path("grids.geojson", views.grids_geojson, name="grids_geojson"),
    path("r/<str:code>/", views.region_detail, name="region_detail"),
    path("r/<str:code>/panel/", views.grid_panel, name="grid_panel"),
    path("compounds/", views.compound_list, name="compound_list"),
    path("compounds/export.xlsx", views.compound_export, name="compound_export"),
]
