"""The village's fixture (tests/support/village.py), on top of the cooperatives' world."""

from tests.support.cooperatives import coop_world  # noqa: F401
from tests.support.village import village_world  # noqa: F401
