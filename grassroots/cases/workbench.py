"""The cases' part of the workbench (core.workbench): the inbox queues the actor works, with the overdue and the
about-to-be-due counted; the month's figures; the large buttons.

The counts use the queue definitions of the inbox (``selectors.workbench_counts``), so each count equals the length of
the queue it links to; one small aggregate per queue the actor works, whatever the number of cases or posts.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import pgettext_lazy

from grassroots.core import policy
from grassroots.core import roles as R
from grassroots.core.workbench import Action, Figure, Tally

from . import permissions, selectors

DUE_SOON_HOURS = 24  # policy default: "about to be due" within this many hours (core.policy: workbench_due_soon_hours)

ACTIONS = (
    Action(pgettext_lazy("workbench", "巡查上报"), "cases:patrol_new", (R.Role.GRID_WORKER,), 1, primary=True),
    Action(pgettext_lazy("workbench", "我要反映"), "cases:report_new", (R.Role.RESIDENT,), 1, primary=True),
    Action(pgettext_lazy("workbench", "热线受理"), "cases:hotline_new", (R.Role.HOTLINE_OPERATOR,), 1, primary=True),
    Action(pgettext_lazy("workbench", "企业诉求"), "cases:appeal_new", (R.Role.ENTERPRISE_CONTACT,), 1, primary=True),
    Action(pgettext_lazy("workbench", "问题录入"), "cases:staff_new", R.COMMUNITY, 2),
    Action(pgettext_lazy("workbench", "我的待办"), "cases:inbox", R.BUSINESS, 3),
    Action(pgettext_lazy("workbench", "我的反映"), "cases:my_reports", (R.Role.RESIDENT,), 2),
    Action(pgettext_lazy("workbench", "事件地图"), "cases:case_map", (R.Role.ZONE_LEADER, R.Role.SUBDISTRICT_OFFICER), 4),
    Action(pgettext_lazy("workbench", "导入工单"), "cases:import_work_orders", (R.Role.HOTLINE_OPERATOR,), 4),
)


def _role_for(scope, queue: str) -> str:
    return next(role for role in permissions.QUEUE_ROLES[queue] if scope.has_role(role))


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    soon = now + dt.timedelta(hours=int(policy.setting("workbench_due_soon_hours", DUE_SOON_HOURS)))
    counts = selectors.workbench_counts(actor=actor, now=now, soon=soon)
    inbox = reverse("cases:inbox")
    out = [Tally(key=f"cases.{queue}", label=selectors.QUEUE_LABELS[queue], count=total, overdue=overdue,
                 due_soon=due_soon, url=f"{inbox}?{urlencode({'queue': queue})}", role=_role_for(scope, queue),
                 order=selectors.QUEUES.index(queue))
           for queue, (total, overdue, due_soon) in counts.items() if queue != "mine"]
    if "mine" in counts:
        out.append(Tally(key="cases.my_reports", label=pgettext_lazy("workbench", "我的反映"), count=counts["mine"][0],
                         url=reverse("cases:my_reports"), role=R.Role.RESIDENT, order=20))
    return out


FIGURES_CACHE_SECONDS = 300


def figures(actor, scope, month: dt.date) -> list[Figure]:
    """The month's figures, kept for five minutes in the shared cache (Redis in production): counting a month of
    a zone's cases reads tens of thousands of rows, and a month's figure may be a few minutes old (the page says
    as of when)."""
    from django.core.cache import cache

    from grassroots.core import clock

    key = f"workbench:cases:figures:{actor.pk}:{month:%Y-%m}"
    cached = cache.get(key)
    if cached is None:
        cached = {"rows": selectors.month_figures(actor=actor, month=month), "as_of": clock.now()}
        cache.set(key, cached, FIGURES_CACHE_SECONDS)
    rows = cached["rows"]
    labels = {"reported": pgettext_lazy("workbench", "辖区新增事件"), "closed": pgettext_lazy("workbench", "辖区办结事件"),
              "mine": pgettext_lazy("workbench", "我上报的事件")}
    return [Figure(key=f"cases.{key}", label=labels[key], this_month=this, last_month=last, as_of=cached["as_of"])
            for key, (this, last) in rows.items()]
