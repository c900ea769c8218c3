import pytest

from grassroots.cases.tests.kpi_fixture import AS_OF, build
from grassroots.core import clock


@pytest.fixture
def fixture_cases(world):
    """The worked fixture of docs/rules/kpis.md (eight cases), with the clock at its moment."""
    cases = build(world)
    clock.freeze(AS_OF)
    return cases
