from django.urls import path

from . import export_views, views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("exports/", export_views.export_list, name="export_list"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("outbox/", views.outbox, name="outbox"),
]
