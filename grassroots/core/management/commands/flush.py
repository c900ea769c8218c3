"""``flush`` wipes a whole development or test database, including the audit table (see core.audit_guard)."""

from django.core.management.commands.flush import Command as DjangoFlush

from grassroots.core import audit_guard


class Command(DjangoFlush):
    def handle(self, **options):
        with audit_guard.unlock_for_flush():
            return super().handle(**options)
