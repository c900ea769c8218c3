from django.urls import path

from . import views
from .workorders import urls as workorders_urls

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("channels/", views.channels, name="channels"),
    path("export.xlsx", views.case_export, name="case_export"),
    path("inbox/", views.inbox, name="inbox"),
    path("mine/", views.my_reports, name="my_reports"),
    path("map/", views.case_map, name="case_map"),
    path("map/data.json", views.case_map_data, name="case_map_data"),
    path("patrol/", views.patrol_new, name="patrol_new"),
    path("report/", views.report_new, name="report_new"),
    path("report/done/", views.report_done, name="report_done"),
    path("nearby/", views.nearby, name="nearby"),
    path("track/", views.track, name="track"),
    path("hotline/", views.hotline_new, name="hotline_new"),
    path("appeal/", views.appeal_new, name="appeal_new"),
    path("entry/", views.staff_new, name="staff_new"),
    path("public/", views.public_list, name="public_list"),
    path("public/map.json", views.public_map_data, name="public_map_data"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/panel/", views.case_panel, name="case_panel"),
    path("<int:pk>/act/<str:verb>/", views.case_action, name="case_action"),
    *workorders_urls.urlpatterns,
]
