"""Bulk insert for the large demo tables (households, residents, memberships).

``bulk_create`` spends most of its time preparing each value through the query compiler (about a million calls for
the full zone). Here every concrete field gets one converter up front, built from the same field methods
(``get_db_prep_save``: encryption of ``EncryptedTextField``, JSON, dates), rows go through ``executemany`` and
primary keys are given from the table's current maximum (the demo writes into a database nobody else writes to;
PostgreSQL's sequence is moved past them afterwards).
"""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from grassroots.core.crypto import EncryptedTextField

PLAIN = (models.CharField, models.BooleanField, models.IntegerField, models.FloatField, models.ForeignKey,
         models.AutoField, models.BigAutoField)


def _converter(field, now):
    ops = connection.ops
    if isinstance(field, EncryptedTextField):
        return lambda obj, f=field: f.get_db_prep_save(getattr(obj, f.attname), connection)
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        value = ops.adapt_datetimefield_value(now)
        return lambda obj, v=value: v
    if isinstance(field, models.DateTimeField):
        return lambda obj, a=field.attname: ops.adapt_datetimefield_value(getattr(obj, a))
    if isinstance(field, models.DateField):
        return lambda obj, a=field.attname: ops.adapt_datefield_value(getattr(obj, a))
    if isinstance(field, PLAIN) and not isinstance(field, models.TextField):
        return lambda obj, a=field.attname: getattr(obj, a)
    return lambda obj, f=field: f.get_db_prep_save(getattr(obj, f.attname), connection)


def insert(model, objs: list, *, now, batch_size: int = 5000) -> None:
    """Insert ``objs`` (unsaved instances) and set their primary keys."""
    if not objs:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields]
    for obj in objs:  # foreign keys to objects saved after this instance was made
        for f in fields:
            if f.is_relation and getattr(obj, f.attname) is None and f.is_cached(obj):
                related = f.get_cached_value(obj)
                if related is not None:
                    setattr(obj, f.attname, related.pk)
    start = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    for i, obj in enumerate(objs):
        obj.pk = start + i
        obj._state.adding = False
        obj._state.db = connection.alias
    converters = [_converter(f, now) for f in fields]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        for b in range(0, len(objs), batch_size):
            cursor.executemany(sql, [tuple(c(obj) for c in converters) for obj in objs[b:b + batch_size]])
        if connection.vendor == "postgresql":
            for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)
