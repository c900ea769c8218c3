"""The demo history's writer: rows (dicts by attribute name) straight into the case tables and the audit log."""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection

from grassroots.core.models import Event

from .states import event_verb


class Writer:
    """Rows (dicts by attribute name) straight into the tables with executemany; values prepared once per type."""

    def __init__(self, now):
        from django.db import models

        from grassroots.core.crypto import EncryptedTextField

        self.models = models
        self.encrypted = EncryptedTextField
        self.now = now
        self.postgres = connection.vendor == "postgresql"
        self.utc = dt.UTC

    def moment(self, value):
        if value is None or self.postgres:
            return value
        # what Django's SQLite backend stores: naive UTC in ISO format
        return str(value.astimezone(self.utc).replace(tzinfo=None))

    def json(self, value):
        if self.postgres:
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return json.dumps(value)

    def _converter(self, field):
        from grassroots.core.crypto import encrypt

        models = self.models
        if isinstance(field, self.encrypted):
            return lambda v: encrypt(v) if v else (v or "")
        if isinstance(field, models.DateTimeField):
            return self.moment
        if isinstance(field, models.JSONField):
            return self.json
        return None

    def insert(self, model, rows: list[dict], batch: int = 5000) -> None:
        if not rows:
            return
        from django.core.management.color import no_style
        from django.db.models import Max

        meta = model._meta
        fields = list(meta.concrete_fields)
        start = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        for i, row in enumerate(rows):
            row[meta.pk.attname] = start + i
        defaults = {}
        for f in fields:
            if isinstance(f, self.models.DateTimeField) and (f.auto_now or f.auto_now_add):
                defaults[f.attname] = self.now
            elif f.has_default():
                defaults[f.attname] = f.get_default()
            elif f.null:
                defaults[f.attname] = None
            else:
                defaults[f.attname] = ""
        plan = [(f.attname, defaults[f.attname], self._converter(f)) for f in fields]
        ops = connection.ops
        sql = (f"INSERT INTO {ops.quote_name(meta.db_table)} "  # noqa: S608 - names from the model
               f"({', '.join(ops.quote_name(f.column) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))})")
        with connection.cursor() as cursor:
            for b in range(0, len(rows), batch):
                cursor.executemany(sql, [
                    tuple((conv(row.get(name, default)) if conv else row.get(name, default))
                          for name, default, conv in plan)
                    for row in rows[b:b + batch]])
            if self.postgres:
                for statement in ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(statement)

    def events(self, cases, walks) -> int:
        """The case events, written straight into the audit table (append-only: inserts only)."""
        ops = connection.ops
        fields = [f for f in Event._meta.concrete_fields if f.name != "id"]
        order = {f.attname: i for i, f in enumerate(fields)}
        assert list(order) == ["at", "actor_id", "actor_label", "verb", "object_type", "object_id", "from_state",
                               "to_state", "outcome", "ip", "user_agent", "payload"], list(order)
        sql = (f"INSERT INTO {ops.quote_name(Event._meta.db_table)} "  # noqa: S608 - names from the model
               f"({', '.join(ops.quote_name(f.column) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))})")
        rows = []
        total = 0
        moment, as_json = self.moment, self.json
        for case, walk in zip(cases, walks, strict=True):
            object_id = str(case["id"])
            for at, actor_id, label, verb, before, after, payload in walk.events:
                if verb == "report":
                    payload = dict(payload, reference=case["reference"])
                rows.append((moment(at), actor_id, label or "anonymous", event_verb(verb), "cases.case", object_id,
                             before or "", after or "", "success", None, "", as_json(payload)))
            if len(rows) >= 20000:
                total += _flush(sql, rows)
                rows = []
        total += _flush(sql, rows)
        return total


def _flush(sql, rows) -> int:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return len(rows)


