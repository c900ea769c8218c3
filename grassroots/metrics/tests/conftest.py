import pytest

from grassroots.cases.tests.kpi_fixture import AS_OF, build
from grassroots.core import clock


@pytest.fixture
def fixture_cases(world):
    """The worked fixture of docs/rules/kpis.md (eight cases), with the clock at its moment."""
    cases = build(world)
    clock.freeze(AS_OF)
    return cases


@pytest.fixture
def four_rated_suffice(db):
    """The worked fixture's department has 4 rated cases: with the policy's minimum at 4 it is scored."""
    from grassroots.core import policy
    from grassroots.core.models import PolicySetting

    PolicySetting.objects.create(key="kpi.min_rated_cases", value=4)
    policy.invalidate()
