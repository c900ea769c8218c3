import pytest


@pytest.fixture
def park(world, frozen_now):
    from tests.support.park import build_park

    return build_park(world)
