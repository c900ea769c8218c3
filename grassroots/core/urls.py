from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("outbox/", views.outbox, name="outbox"),
]
