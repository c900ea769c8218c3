"""The park on the small world (tests.support.world): a second enterprise grid, the park's staff, an instructor of
园区一网格, a service commissioner, both enterprises profiled with contact phones, a chain committee."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace


def build_park(w) -> SimpleNamespace:
    from grassroots.park import services
    from grassroots.territory.models import Level
    from grassroots.territory.services import region_create
    from tests.support.world import make_user, square

    ns = SimpleNamespace(w=w)
    ns.e2 = region_create(actor=None, level=Level.GRID, name="园区二网格", parent=w.p1, geometry=square(6),
                          grid_kind="enterprise", households=0, record_event=False)
    ns.staff = make_user("park_staff1", role="community_staff", region=w.p1)
    ns.commissioner = make_user("park_sc1", role="service_commissioner", region=w.e1)
    ns.other_commissioner = make_user("park_sc2", role="service_commissioner", region=ns.e2)
    ns.instructor = services.instructor_create(actor=ns.staff, park=w.p1, user=w.party_instructor, name="王建国",
                                               phone="13905460001")
    services.assign(actor=ns.staff, instructor=ns.instructor, grid=w.e1, start=dt.date(2025, 3, 1))
    ns.chain = services.committee_create(actor=ns.staff, park=w.p1, name="新材料产业链党委", chain="新材料",
                                         secretary="李卫东")
    ns.firm = services.profile_create(
        actor=ns.staff, organization=w.enterprise, park=w.p1, registered_on=dt.date(2024, 5, 1), grid=w.e1,
        is_key=True, party_status="own_branch", party_org_name="国瓷材料党支部", secretary_name="张书记",
        secretary_phone="13754600001", commissioner=ns.commissioner, contact_name="刘经理",
        contact_phone="15854600001", chain=ns.chain)
    ns.soe = services.profile_create(
        actor=ns.staff, organization=w.other_enterprise, park=w.p1, registered_on=dt.date(2024, 6, 1), grid=ns.e2,
        party_status="joint_branch", contact_name="赵经理", contact_phone="15854600002", chain=ns.chain)
    return ns
