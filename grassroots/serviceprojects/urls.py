from django.urls import path

from . import views

app_name = "serviceprojects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("projects.xlsx", views.project_export, name="export"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/do/<str:verb>/", views.project_action, name="action"),
    path("<int:pk>/notice.pdf", views.notice, name="notice"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
]
