import pytest

from grassroots.territory import locate


@pytest.fixture(autouse=True)
def _fresh_grid_index():
    locate.invalidate()
    yield
    locate.invalidate()
