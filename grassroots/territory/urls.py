"""Territory's own pages. The region and grid pages (``r/<code>/``, ``r/<code>/panel/``) join this namespace from
the page layer (``web.pages.territory``), which composes them from several apps."""

from django.urls import path

from . import views

app_name = "territory"

urlpatterns = [
    path("", views.browser, name="browser"),
    path("grids.geojson", views.grids_geojson, name="grids_geojson"),
    path("compounds/", views.compound_list, name="compound_list"),
    path("compounds/export.xlsx", views.compound_export, name="compound_export"),
]
