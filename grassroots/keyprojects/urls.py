from django.urls import path

from . import views

app_name = "keyprojects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("projects.xlsx", views.project_export, name="export"),
    path("new/", views.project_create, name="create"),
    path("task-forces/", views.task_forces, name="task_forces"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("dispatch.pdf", views.dispatch_pdf, name="dispatch_pdf"),
    path("dispatch.xlsx", views.dispatch_export, name="dispatch_export"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/do/<str:verb>/", views.project_action, name="action"),
    path("nodes/<int:pk>/done/", views.node_done, name="node_done"),
]
