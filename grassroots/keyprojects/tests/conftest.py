import pytest


@pytest.fixture
def kp(world, frozen_now):
    """The clock stands on 2026-11-25: October's report is due by 5 November, November's by 5 December."""
    from tests.support.keyprojects import build_keyprojects

    return build_keyprojects(world)
