"""A stand-in app demo extension: records what it was handed."""

CALLS: list = []


def build(ctx):
    CALLS.append({"size": ctx.size, "zone": ctx.zone.code, "grids": len(ctx.grids), "rng": ctx.rng.random(),
                  "roles": sorted(ctx.users), "departments": sorted(ctx.departments)})
