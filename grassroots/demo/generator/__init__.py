"""The synthetic demo zone generator (see grassroots/demo/README.md).

``build(size=..., seed=...)`` writes the core zone (territory, organisations, residents, accounts, party) and then
calls ``build(ctx)`` of every app's ``grassroots.<app>.demo`` module. Deterministic for a seed: one
``random.Random(seed)`` and one seeded ``Faker("zh_CN")`` drive everything, in a fixed order.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import random
import sys
import time
from typing import TextIO

from django.conf import settings
from django.db import transaction

from grassroots.core import clock, events

from . import accounts, organizations, party, residents, territory
from .accounts import PASSWORD
from .context import DemoContext
from .layout import SIZES, check
from .reset import database_is_empty, reset_database, reset_plan

__all__ = ["PASSWORD", "SIZES", "DemoContext", "build", "database_is_empty", "extensions", "reset_database",
           "reset_plan"]

CORE_STEPS = (
    ("territory", territory.build),
    ("organizations", organizations.build),
    ("residents", residents.build),
    ("accounts", accounts.build),
    ("party", party.build),
)


def progress_factory(stream: TextIO | None = None, enabled: bool | None = None):
    """tqdm bars on stderr (auto-disabled when it is not a terminal, unless enabled=True)."""
    from tqdm import tqdm

    def progress(iterable=None, *, total=None, desc="", unit="it"):
        return tqdm(iterable, total=total, desc=desc, unit=unit, file=stream or sys.stderr, leave=False,
                    disable=(None if enabled is None else not enabled), dynamic_ncols=True)

    return progress


def extensions() -> list[tuple[str, object]]:
    """(app, module) for every app in GRASSROOTS_APPS that has a ``demo`` module, in settings order."""
    found = []
    for app in settings.GRASSROOTS_APPS:
        if app == "grassroots.demo":
            continue
        name = f"{app}.demo"
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            found.append((app, importlib.import_module(name)))
    return found


def build(*, size: str = "small", seed: int = 2026, stdout: TextIO | None = None, progress=None,
          password: str = PASSWORD, with_extensions: bool = True, record_event: bool = True) -> DemoContext:
    """Build the demo zone into an empty database and return the context (handles, accounts, stats)."""
    from faker import Faker

    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    spec = SIZES[size]
    check(spec)
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    ctx = DemoContext(size=size, seed=seed, spec=spec, rng=random.Random(seed), faker=faker,
                      stdout=stdout or io.StringIO(), progress=progress or progress_factory(enabled=False),
                      now=clock.now(), password=password)
    timings = {}
    with transaction.atomic():
        for name, step in CORE_STEPS:
            t0 = time.perf_counter()
            step(ctx)
            timings[name] = round(time.perf_counter() - t0, 3)
        if with_extensions:
            for app, module in extensions():
                t0 = time.perf_counter()
                # Each extension gets its own Random stream so that adding one does not change the others.
                ctx.rng = random.Random(f"{seed}:{app}")
                module.build(ctx)
                timings[app.rsplit(".", 1)[-1]] = round(time.perf_counter() - t0, 3)
            ctx.rng = random.Random(f"{seed}:end")
        if record_event:
            events.record(None, "demo.build", ctx.zone,
                          payload={"size": size, "seed": seed, "stats": ctx.stats})
    ctx.stats["timings"] = timings
    return ctx
