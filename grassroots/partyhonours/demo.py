"""Demo data for honours: this year's 光荣在党50年 list read from the demo register, with the branches' confirmations,
the committees' approvals and the medals already handed over (about 1 July, the day the medal is presented).
Through the services, as the system."""

from __future__ import annotations

import datetime as dt

from . import selectors, services


def build(ctx) -> None:
    year = ctx.today.year
    rng = ctx.rng
    due = list(selectors.medal_list(actor=None, year=year).select_related("org", "person")[:400])
    confirmed = issued = 0
    # In list order: issued, approved, confirmed, still waiting for the branch — a quarter each.
    for i, membership in enumerate(due):
        step = i % 4
        if step == 3:
            continue
        award = services.medal_confirm(actor=None, membership=membership, year=year,
                                       remark=rng.choice(("入党五十余年，初心不改", "长期参加社区志愿服务",
                                                          "坚持参加组织生活", "")))
        confirmed += 1
        if step == 2:
            continue
        award = services.medal_approve(actor=None, award=award)
        if step == 1:
            continue
        presented = min(ctx.today, dt.date(year, 7, 1))
        services.medal_issue(actor=None, award=award, on=max(presented, award.confirmed_at.date()))
        issued += 1
    ctx.stats["medal50_due"] = len(due)
    ctx.stats["medal50_issued"] = issued
    ctx.stats["medal50_confirmed"] = confirmed
