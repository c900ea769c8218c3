import pytest


@pytest.fixture
def party(world):
    from tests.support.party import build_party

    return build_party(world)
