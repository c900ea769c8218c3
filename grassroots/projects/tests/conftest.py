import datetime as dt
from decimal import Decimal

import pytest

from grassroots.core import clock
from grassroots.projects import fund as fundsvc
from grassroots.projects import services
from grassroots.projects.models import ProhibitedUse


def reviewed_project(w, budget=Decimal("5000"), title="楼道微更新"):
    """A project by a resident of 安泰社区, reviewed by three staff with passing scores."""
    from tests.support.world import make_user

    p = services.project_create(actor=w.resident, community=w.c1, title=title, background="楼道杂乱",
                                goals="清理并美化楼道", activities="清理、粉刷、评比", beneficiaries="1号楼居民",
                                beneficiary_count=120, budget_lines=[("涂料", "物资", budget)])
    services.project_submit(actor=w.resident, project=p)
    services.project_start_review(actor=w.community_staff, project=p)
    reviewers = [w.community_staff, w.community_secretary,
                 getattr(w, "extra_reviewer", None) or make_user("reviewer3", role="community_staff", region=w.c1)]
    w.extra_reviewer = reviewers[2]
    for r in reviewers:
        services.review_submit(actor=r, project=p, scores={k: 8 for k in (
            "need_fit", "locality", "participation", "feasibility", "innovation", "sustainability", "budget")})
    return p


def approved_in_progress(w, amount=Decimal("5000"), title="楼道微更新"):
    p = reviewed_project(w, budget=amount, title=title)
    services.project_approve(actor=w.community_secretary, project=p, approved_amount=amount)
    clock.freeze(clock.now() + dt.timedelta(days=10))  # past the 5-working-day approval notice
    services.project_start(actor=w.community_staff, project=p)
    return p


@pytest.fixture
def fund_world(world):
    w = world
    w.fund = fundsvc.fund_open(actor=w.community_secretary, region=w.c1)
    ProhibitedUse.objects.create(code="private", name="个人福利和现金发放", keywords=["发放现金", "慰问金", "红包"])
    ProhibitedUse.objects.create(code="staff_pay", name="工作人员工资补贴", keywords=["工资", "加班费"])
    return w
