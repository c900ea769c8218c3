"""Who verifies: the reporting grid worker for patrol finds; the grid's worker for other channels; staff always."""

import pytest

from grassroots.cases import services
from grassroots.cases.states import Channel, Status
from grassroots.cases.tests.factories import make_case
from grassroots.core.errors import NotFound, NotPermitted

pytestmark = pytest.mark.django_db


def test_the_grids_worker_verifies_a_residents_report_and_other_grid_workers_cannot(world):
    case = make_case(world, Status.HANDLED, channel=Channel.RESIDENT, reporter=world.resident)
    with pytest.raises((NotPermitted, NotFound)):
        services.case_verify_pass(actor=world.grid_worker3, case=case)
    case = services.case_verify_pass(actor=world.grid_worker, case=case)
    assert case.status == Status.CLOSED


def test_a_patrol_find_is_verified_by_its_reporter_not_by_another_worker_of_the_grid(world):
    from tests.support.world import make_user

    colleague = make_user("grid1b", role="grid_worker", region=world.g1)
    case = make_case(world, Status.HANDLED, channel=Channel.GRID_PATROL)
    with pytest.raises(NotPermitted):
        services.case_verify_pass(actor=colleague, case=case)
    assert services.case_verify_pass(actor=world.grid_worker, case=case).status == Status.CLOSED
