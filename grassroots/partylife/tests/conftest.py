import pytest


@pytest.fixture
def party(world):
    from tests.support.party import build_party

    return build_party(world)


@pytest.fixture
def life(world, party):
    from tests.support.partylife import build_life

    return build_life(world, party)
