from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("export/", views.person_export, name="person_export"),
    path("lookup/", views.person_lookup, name="person_lookup"),
    path("import/", views.person_import, name="person_import"),
    path("import/confirm/", views.person_import_confirm, name="person_import_confirm"),
    path("import/template/", views.person_import_template, name="person_import_template"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/move/", views.person_move, name="person_move"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/dissolve/", views.organization_dissolve, name="organization_dissolve"),
    path("<int:pk>/invite/", views.person_invite, name="person_invite"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/confirm/", views.claim_confirm, name="claim_confirm"),
    path("claims/<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
]
