"""The cooperatives' fixture (tests/support/cooperatives.py)."""

from tests.support.cooperatives import coop_world  # noqa: F401
