from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "grassroots.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save

        from . import audit_guard, clock, observability, signals, workdays
        from .models import Holiday

        connection_created.connect(audit_guard.register_sqlite_function, dispatch_uid="grassroots_audit_guard")
        post_save.connect(workdays.holidays_changed, sender=Holiday, dispatch_uid="grassroots_holiday_saved")
        post_delete.connect(workdays.holidays_changed, sender=Holiday, dispatch_uid="grassroots_holiday_deleted")
        signals.connect()
        clock.on_reset(workdays.forget)
        observability.connect_celery_signals()
        # Every app's exports.py registers its export kinds with core.exports (collected by name, as the admin
        # collects admin.py); core's own (the audit log) is in audit_export.py.
        from django.utils.module_loading import autodiscover_modules

        from . import audit_export  # noqa: F401

        autodiscover_modules("exports")
