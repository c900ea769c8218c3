from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "grassroots.people"
    label = "people"
    verbose_name = "人员与组织"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from grassroots.core import notifications, scope

        from . import access, directory
        from .models import Post

        scope.install(access.read_scope)
        notifications.install_phone_lookup(directory.mobile_phones)
        post_save.connect(directory.invalidate, sender=Post, dispatch_uid="people-directory-save")
        post_delete.connect(directory.invalidate, sender=Post, dispatch_uid="people-directory-delete")

