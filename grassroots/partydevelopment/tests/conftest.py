import pytest


@pytest.fixture
def party(world):
    from tests.support.party import build_party

    return build_party(world)


@pytest.fixture
def posts(world, party):
    """A branch secretary of g1, a party affairs worker of g4 and an officer of the community committee c1."""
    import datetime as dt
    from types import SimpleNamespace

    from grassroots.party.posts import party_post_create
    from tests.support.world import make_user

    START = dt.date(2020, 1, 1)
    p = SimpleNamespace()
    p.secretary = make_user("sec_g1")
    party_post_create(actor=world.admin, user=p.secretary, role="party_branch_secretary", org=party.g1, start_date=START)
    p.worker4 = make_user("worker_g4")
    party_post_create(actor=world.admin, user=p.worker4, role="party_affairs_worker", org=party.g4, start_date=START)
    p.officer = make_user("officer_c1")
    party_post_create(actor=world.admin, user=p.officer, role="party_committee_officer", org=party.c1, start_date=START)
    return p


from .test_services import dev  # noqa: E402, F401  (the case fixture, shared with the page tests)
