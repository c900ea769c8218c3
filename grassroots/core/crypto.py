"""Personal data at rest: Fernet encryption with key rotation, and a keyed hash (blind index) for exact lookups.

The raw column never holds plaintext. Keys come from the environment (``FIELD_ENCRYPTION_KEYS``, newest first;
``BLIND_INDEX_KEY``). ``grassroots rotate_keys`` re-encrypts every value with the newest key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "enc1:"


def _fernet_key(raw: str) -> bytes:
    """Accept a Fernet key, or any secret (stretched to 32 bytes with SHA-256)."""
    try:
        decoded = base64.urlsafe_b64decode(raw.encode())
        if len(decoded) == 32:
            return raw.encode()
    except (ValueError, TypeError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest())


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def cipher() -> MultiFernet:
    return _multifernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return PREFIX + cipher().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return cipher().decrypt(token[len(PREFIX):].encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt with the configured keys") from exc


def rotate(token: str) -> str:
    return PREFIX + cipher().rotate(token[len(PREFIX):].encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """Deterministic keyed hash of a normalized value, for equality lookups without decrypting."""
    normalized = "".join(value.split()).upper()
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{purpose}:{normalized}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores ``enc1:<fernet token>``; Python side sees plaintext. Not searchable: pair it with a blind index."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if isinstance(value, str) and value.startswith(PREFIX):
            return value
        return encrypt(value)
