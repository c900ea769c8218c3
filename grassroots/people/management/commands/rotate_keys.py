"""Re-encrypt every encrypted column with the newest key; optionally recompute blind indexes.

    grassroots rotate_keys                 # after putting a new key first in FIELD_ENCRYPTION_KEYS
    grassroots rotate_keys --blind-index   # after BLIND_INDEX_KEY changed

Works on raw column values (SQL), so the plaintext is only ever in memory. Every model with an
``EncryptedTextField`` is covered; blind indexes are those declared in a model's ``BLIND_INDEXES``
(``{"phone": ("phone_index", "phone")}`` = encrypted field → (index field, purpose)).
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from grassroots.core import crypto, events
from grassroots.core.imports import progress_bar


def encrypted_fields():
    """(model, [EncryptedTextField, …]) for every concrete model that has some."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, crypto.EncryptedTextField)]
        if fields:
            yield model, fields


def rotate(*, blind_index: bool = False, batch_size: int = 1000, progress: bool = False) -> dict:
    """Re-encrypt (and optionally re-index) every encrypted value; returns counts per model label."""
    counts: dict[str, int] = {}
    qn = connection.ops.quote_name
    for model, fields in encrypted_fields():
        table = qn(model._meta.db_table)
        pk = model._meta.pk
        indexes = getattr(model, "BLIND_INDEXES", {}) if blind_index else {}
        cols = [qn(f.column) for f in fields]
        total = model._default_manager.count()
        bar = progress_bar(total, model._meta.label, enabled=progress)
        last = None
        done = 0
        while True:
            where = f"WHERE {qn(pk.column)} > %s " if last is not None else ""
            with connection.cursor() as cur:
                cur.execute(f"SELECT {qn(pk.column)}, {', '.join(cols)} FROM {table} {where}"
                            f"ORDER BY {qn(pk.column)} LIMIT {int(batch_size)}", [last] if last is not None else [])
                batch = cur.fetchall()
            if not batch:
                break
            with transaction.atomic():
                with connection.cursor() as cur:
                    for row in batch:
                        sets, params = [], []
                        for field, token in zip(fields, row[1:], strict=True):
                            if not token:
                                continue
                            if not token.startswith(crypto.PREFIX):
                                # a plaintext left by an old write path: encrypt it now
                                plain = token
                                new_token = crypto.encrypt(plain)
                            else:
                                try:
                                    new_token = crypto.rotate(token)
                                except InvalidToken as exc:
                                    raise CommandError(
                                        f"{model._meta.label} #{row[0]} {field.name}: 无法用现有密钥解密 / cannot be "
                                        "decrypted with the configured keys (keep the old key in "
                                        "FIELD_ENCRYPTION_KEYS until rotation finishes)") from exc
                                plain = crypto.decrypt(new_token) if field.name in indexes else None
                            sets.append(f"{qn(field.column)} = %s")
                            params.append(new_token)
                            if field.name in indexes:
                                index_field, purpose = indexes[field.name]
                                column = model._meta.get_field(index_field).column
                                sets.append(f"{qn(column)} = %s")
                                params.append(crypto.blind_index(plain, purpose=purpose))
                        if sets:
                            cur.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE {qn(pk.column)} = %s",
                                        [*params, row[0]])
            last = batch[-1][0]
            done += len(batch)
            bar.update(len(batch))
        bar.close()
        counts[model._meta.label] = done
    return counts


class Command(BaseCommand):
    help = "Re-encrypt personal data with the newest key (FIELD_ENCRYPTION_KEYS[0]); --blind-index recomputes indexes"

    def add_arguments(self, parser):
        parser.add_argument("--blind-index", action="store_true",
                            help="also recompute blind indexes (after BLIND_INDEX_KEY changed)")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        counts = rotate(blind_index=options["blind_index"], batch_size=options["batch_size"],
                        progress=not options["no_progress"])
        with transaction.atomic():
            events.record(None, "crypto.rotate_keys", None, object_type="core.crypto",
                          payload={"rows": counts, "blind_index": options["blind_index"]})
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n}")
        self.stdout.write(self.style.SUCCESS("密钥轮换完成 / keys rotated"))
