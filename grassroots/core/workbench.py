"""What an app puts on the workbench (工作台), as it declares it; the page layer collects and lays it out.

Each app that has waiting work lists it in its own ``workbench.py``, the way it lists menu entries in ``menu.py``:

- ``tallies(actor, scope, now) -> list[Tally]``: counts of what waits for the actor now, each linking to the list it
  counts (the count and the list come from the same selector), with how many are overdue and how many fall due
  soon; a fixed number of small queries for the app's part (one per list counted), whatever the number of cases
  or posts;
- ``figures(actor, scope, month) -> list[Figure]``: the role's own figures for a month beside the month before;
- ``ACTIONS``: the large buttons, by role (``Action``), the most used first.

``web.workbench`` collects them from every installed app; an app never imports the page layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    key: str  # "cases.to_accept": unique across apps, stable (tests and anchors use it)
    label: str
    count: int
    url: str  # the list this counts, filtered to exactly these objects
    role: str  # the post this belongs to (a user with several posts sees each post's part)
    overdue: int = 0
    due_soon: int = 0
    order: int = 100

    @property
    def urgency(self) -> tuple:
        """Overdue first, then about to be due, then the rest; within each, the larger first."""
        return (-self.overdue, -self.due_soon, -min(self.count, 1), self.order)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    this_month: int
    last_month: int
    url: str = ""
    as_of: dt.datetime | None = None  # when it was counted, where it is not live


@dataclass(frozen=True)
class Action:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 100
    primary: bool = False  # the role's first action, shown largest (巡查上报 for the grid worker)


def month_bounds(month: dt.date, tz) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the calendar month holding ``month``, in local time."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=tz)
    end = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=tz)
    return start, end
