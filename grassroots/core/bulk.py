"""Writing many rows at once (the sweep's events and notifications, generators, intake).

``insert_many(model, objs)`` writes unsaved instances in the caller's transaction. On PostgreSQL it streams them
with ``COPY … FROM STDIN`` (one round trip per batch, no SQL to compile per row); elsewhere it is
``bulk_create``. Values go through each field's ``get_db_prep_save``, so what lands is what ``save()`` would write;
database defaults, constraints and triggers apply as for any INSERT. Primary keys are not read back.

``insert_together(objs)`` writes a few unsaved instances of several models (a case, its event, its
notifications) as one statement on PostgreSQL: one ``INSERT`` per model, joined as data-modifying ``WITH``
clauses, so the rows land together or not at all even outside a transaction, in one round trip. Elsewhere it is
one ``bulk_create`` per model inside a transaction. Rows that must refer to each other carry their primary keys
already (on PostgreSQL a primary key can be taken from the table's sequence first).
"""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import json
import math
import uuid
from collections.abc import Sequence

from django.db import connections, models, router, transaction


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


def _insert_fields(model: type[models.Model], with_pk: bool) -> list[models.Field]:
    """The columns of an INSERT: every concrete field, the auto primary key only for rows that carry one."""
    auto = model._meta.auto_field
    return [f for f in model._meta.concrete_fields if f is not auto or with_pk]


def _json_value(value):
    """A value prepared for the database as JSON that PostgreSQL reads back into the column's type."""
    from psycopg.types.json import Jsonb

    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address,
                          ipaddress.IPv4Interface, ipaddress.IPv6Interface)):
        return str(value)
    if isinstance(value, Jsonb):
        return json.loads((value.dumps or json.dumps)(value.obj))
    raise TypeError(f"insert_together cannot send a {type(value).__name__}")


def insert_together(objs: Sequence[models.Model], *, using: str | None = None) -> int:
    """Insert unsaved instances (any models, a few dozen rows) at once; returns how many rows were written.

    On PostgreSQL: one statement, ``INSERT … SELECT … FROM jsonb_populate_recordset(NULL::table, %s)`` per model,
    joined by ``WITH``. Values are prepared as ``save()`` prepares them (``pre_save`` fills ``auto_now`` /
    ``auto_now_add`` fields, then ``get_db_prep_save``) and travel as one JSON document per model, which
    PostgreSQL reads with each column's own input function; the statement text stays the same from call to call
    (the driver keeps it parsed) and a few parameters replace one per value. A constraint that refuses one row
    refuses the statement, so nothing is written. Elsewhere: ``bulk_create`` per model in one transaction."""
    if not objs:
        return 0
    # one INSERT per model, and per "primary key given or not" (a given key is written, never ignored)
    groups: dict[tuple[type[models.Model], bool], list[models.Model]] = {}
    for obj in objs:
        groups.setdefault((type(obj), obj.pk is not None), []).append(obj)
    alias = using or router.db_for_write(type(objs[0]))
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=alias):
            for (model, _), rows in groups.items():
                model.objects.using(alias).bulk_create(rows)
        return len(objs)
    qn = connection.ops.quote_name
    statements, params = [], []
    for (model, with_pk), rows in groups.items():
        fields = _insert_fields(model, with_pk)
        names = ", ".join(qn(f.column) for f in fields)
        table = qn(model._meta.db_table)
        statements.append(f"INSERT INTO {table} ({names}) SELECT {names} "
                          f"FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb)")
        document = [{f.column: _json_value(f.get_db_prep_save(f.pre_save(obj, True), connection)) for f in fields}
                    for obj in rows]
        params.append(json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":")))
    *first, last = statements
    sql = (("WITH " + ", ".join(f"w{i} AS ({s})" for i, s in enumerate(first)) + " ") if first else "") + last
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    for obj in objs:
        obj._state.adding, obj._state.db = False, alias
    return len(objs)
