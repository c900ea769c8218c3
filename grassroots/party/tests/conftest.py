import pytest


@pytest.fixture
def party(world):
    from grassroots.party.testing import build_party

    return build_party(world)
