"""What the core build hands to each app's demo extension (``grassroots.<app>.demo.build(ctx)``)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from .layout import SizeSpec


@dataclass
class DemoContext:
    size: str
    seed: int
    spec: SizeSpec
    rng: random.Random
    faker: Any  # faker.Faker("zh_CN"), seeded
    stdout: TextIO
    # progress(iterable=None, *, total=None, desc="", unit="it") -> a tqdm bar (usable as a context manager)
    progress: Callable[..., Any]
    now: dt.datetime
    password: str
    # territory
    zone: Any = None
    subdistricts: list = field(default_factory=list)
    communities: list = field(default_factory=list)
    villages: list = field(default_factory=list)
    park: Any = None
    grids: list = field(default_factory=list)  # every grid (comprehensive and enterprise)
    buildings: list = field(default_factory=list)
    compounds: list = field(default_factory=list)
    grids_by_area: dict = field(default_factory=dict)  # area region id -> [grid]
    buildings_by_grid: dict = field(default_factory=dict)  # grid id -> [building]
    # organisations
    departments: dict = field(default_factory=dict)  # name -> Organization (kind department)
    organizations: dict = field(default_factory=dict)  # name -> Organization (all kinds)
    enterprises: list = field(default_factory=list)  # park enterprises (enterprise / state-owned)
    # people and accounts
    person_ids_by_grid: dict = field(default_factory=dict)  # grid id -> [person id]
    users: dict = field(default_factory=dict)  # role -> [User], the first is the one printed
    grid_workers: dict = field(default_factory=dict)  # grid id -> User (gw_<grid code>)
    accounts: list = field(default_factory=list)  # rows printed at the end: (username, role, scope)
    stats: dict = field(default_factory=dict)  # counts per kind, shown at the end and by the bench
    extra: dict = field(default_factory=dict)  # for extensions to pass things on to later ones

    @property
    def today(self) -> dt.date:
        from django.utils import timezone

        return timezone.localdate(self.now)

    def user(self, role: str):
        return self.users[role][0]

    def community(self, name: str):
        return next(c for c in self.communities + self.villages if c.name == name)

    def log(self, message: str) -> None:
        self.stdout.write(message + "\n")
