"""The rectification ledger's fixture (tests/support/rectification.py)."""

from tests.support.rectification import ledger_world  # noqa: F401
