"""Key projects on the small world: the park's staff keep them, a commissioner reports on one; staff of another
community see none (tests.support.world)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace


def build_keyprojects(w) -> SimpleNamespace:
    from grassroots.keyprojects import services
    from tests.support.world import make_user

    ns = SimpleNamespace(w=w)
    ns.staff = make_user("kp_staff", role="community_staff", region=w.p1)
    ns.commissioner = make_user("kp_commissioner", role="service_commissioner", region=w.e1)
    ns.other_commissioner = make_user("kp_commissioner2", role="service_commissioner", region=w.e1)
    ns.force = services.task_force_create(actor=ns.staff, region=w.p1, name="重点项目推进专班", leader="管委会主任")
    ns.project = services.project_create(
        actor=ns.staff, region=w.p1, name="高端陶瓷粉体项目", level="provincial", phase="continuing",
        track_class="assessed", industry="新材料", owner_unit=w.other_enterprise, soe_led=True,
        total_investment_wan=Decimal("12000"), completed_before_wan=Decimal("1000"), patron_leader="王建国",
        task_force=ns.force, office=w.dept_housing, commissioner=ns.commissioner, plan_summary="倒排工期",
        planned_start=dt.date(2025, 3, 1), actual_start=dt.date(2025, 3, 10), in_fai_stats=True,
        in_stats_date=dt.date(2025, 4, 1))
    services.listing_set(actor=ns.staff, project=ns.project, year=2026, kinds=["provincial", "municipal"])
    services.plan_set(actor=ns.staff, project=ns.project, year=2026, planned_wan=Decimal("1200"))
    ns.other = services.project_create(
        actor=ns.staff, region=w.p1, name="氢能装备项目", level="zone", phase="preparatory", track_class="service",
        industry="装备制造", owner_unit=w.enterprise, total_investment_wan=Decimal("5000"), patron_leader="李卫东",
        commissioner=ns.other_commissioner, planned_start=dt.date(2026, 12, 1))
    return ns
