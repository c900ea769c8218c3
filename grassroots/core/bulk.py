"""Writing many rows of one model at once (the sweep's events and notifications, generators).

``insert_many(model, objs)`` writes unsaved instances in the caller's transaction. On PostgreSQL it streams them
with ``COPY … FROM STDIN`` (one round trip per batch, no SQL to compile per row); elsewhere it is
``bulk_create``. Values go through each field's ``get_db_prep_save``, so what lands is what ``save()`` would write;
database defaults, constraints and triggers apply as for any INSERT. Primary keys are not read back.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]


def insert_many(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 5000) -> int:
    """Insert ``objs`` (instances of ``model`` without primary keys); returns how many rows were written."""
    if not objs:
        return 0
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model.objects.using(alias).bulk_create(objs, batch_size=batch_size)
        return len(objs)
    fields = _columns(model)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    prep = [(f.attname, f.get_db_prep_save) for f in fields]
    for start in range(0, len(objs), batch_size):
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for obj in objs[start:start + batch_size]:
                copy.write_row([to_db(getattr(obj, attname), connection) for attname, to_db in prep])
    return len(objs)
