"""Registered residents: households in flats of the grid's buildings, every person living in a building of the
grid they are registered in. Synthetic names (Faker zh_CN pools), GB 11643-valid synthetic ID numbers for adults and
some minors, synthetic mobile numbers; ID and phone are encrypted at rest with blind indexes (people's rules)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.people.models import Household, Person

from . import fastinsert, idnumbers
from .context import DemoContext

FAMILY_SIZES = (1, 2, 3, 4, 5)
FAMILY_WEIGHTS = (12, 30, 32, 18, 8)
BATCH = 5000


def row_builder():
    """Builds a Person ready for bulk_create, through the people app's helper when it exists."""
    try:
        from grassroots.people.services import prepare_person_row
    except ImportError:
        return _person_row
    return prepare_person_row


def _person_row(**fields) -> Person:
    from grassroots.core.crypto import blind_index

    person = Person(**fields)
    # EncryptedTextField encrypts on save; the blind index and last four characters are set here.
    if person.id_number:
        person.id_number_index = blind_index(person.id_number, purpose="id_number")
        person.id_number_last4 = person.id_number[-4:]
    if person.phone:
        person.phone_index = blind_index(person.phone, purpose="phone")
        person.phone_last4 = person.phone[-4:]
    return person


class NamePool:
    """Faker supplies the pools once; the seeded Random combines them (fast and deterministic)."""

    def __init__(self, ctx: DemoContext):
        f = ctx.faker
        self.rng = ctx.rng
        self.surnames = [f.last_name() for _ in range(400)]
        self.male = [f.first_name_male() for _ in range(600)]
        self.female = [f.first_name_female() for _ in range(600)]

    def surname(self) -> str:
        return self.rng.choice(self.surnames)

    def given(self, male: bool) -> str:
        return self.rng.choice(self.male if male else self.female)


def _birth(ctx: DemoContext, age: int) -> dt.date:
    today = ctx.today
    return today - dt.timedelta(days=age * 365 + ctx.rng.randint(0, 364) + age // 4)


def _flats(building) -> int:
    return building.households or 1


def _room(rng, building, used: set) -> str | None:
    plan = building.plan
    for _ in range(50):
        if plan["units"] == 1 and plan["floors"] <= 2:  # a village row of houses
            room = f"{rng.randint(1, plan['households'])}号"
        else:
            room = f"{rng.randint(1, plan['units'])}单元{rng.randint(1, plan['floors'])}{rng.randint(1, plan['per_floor']):02d}"
        if (building.pk, room) not in used:
            used.add((building.pk, room))
            return room
    return None


def build(ctx: DemoContext) -> None:
    rng, spec = ctx.rng, ctx.spec
    names = NamePool(ctx)
    residential = [g for g in ctx.grids if g.parent_id != ctx.park.id and ctx.buildings_by_grid.get(g.id)]
    weights = [(g.households or 1) * rng.uniform(0.8, 1.2) for g in residential]
    total_w = sum(weights)
    targets = [round(spec.residents * w / total_w) for w in weights]
    targets[-1] += spec.residents - sum(targets)

    used_rooms: set = set()
    used_ids: set = set()
    households: list[Household] = []
    members: list[list[dict]] = []  # per household: person field dicts (without household)

    def id_for(birth: dt.date, male: bool) -> str:
        while True:
            number = idnumbers.id_number(rng, birth, male)
            if number not in used_ids:
                used_ids.add(number)
                return number

    def person(surname: str, male: bool, age: int, relation: str, grid, building) -> dict:
        birth = _birth(ctx, age)
        has_id = age >= 16 or rng.random() < 0.4
        tags = []
        if age >= 60 and rng.random() < 0.04:
            tags.append("五老")
        if male and 22 <= age <= 75 and rng.random() < 0.03:
            tags.append("退役军人")
        if age >= 18 and rng.random() < 0.06:
            tags.append("志愿者")
        if age >= 25 and rng.random() < 0.004:
            tags.append("能人")
        return {
            "name": surname + names.given(male), "gender": "M" if male else "F", "birth_date": birth,
            "id_number": id_for(birth, male) if has_id else "",
            "phone": idnumbers.mobile(rng) if age >= 16 and rng.random() < 0.9 else "",
            "building": building, "region": grid, "is_household_head": relation == "本人",
            "relation_to_head": relation, "tags": tags,
        }

    for grid, target in zip(residential, targets, strict=True):
        buildings = ctx.buildings_by_grid[grid.id]
        flats = [_flats(b) for b in buildings]
        placed = 0
        while placed < target:
            size = min(rng.choices(FAMILY_SIZES, FAMILY_WEIGHTS)[0], target - placed)
            building = rng.choices(buildings, flats)[0]
            room = _room(rng, building, used_rooms)
            if room is None:
                continue
            head_male = rng.random() < 0.55
            head_age = rng.randint(20, 90) if size == 1 else rng.randint(28, 78)
            surname = names.surname()
            family = [person(surname, head_male, head_age, "本人", grid, building)]
            father_surname = surname if head_male else None
            if size >= 2:
                spouse_surname = names.surname()
                spouse_age = max(20, head_age + rng.randint(-3, 5) * (1 if head_male else -1))
                family.append(person(spouse_surname, not head_male, spouse_age, "配偶", grid, building))
                father_surname = father_surname or spouse_surname
            children = size - 2 if size < 5 else 2
            for _ in range(max(children, 0)):
                male = rng.random() < 0.52
                age = max(0, head_age - rng.randint(22, 38))
                family.append(person(father_surname or surname, male, age, "子" if male else "女", grid, building))
            if size == 5:
                male = rng.random() < 0.4
                age = min(98, head_age + rng.randint(24, 32))
                family.append(person(surname if male else names.surname(), male, age,
                                     "父亲" if male else "母亲", grid, building))
            households.append(Household(building=building, room=room))
            members.append(family)
            placed += len(family)

    person_row = row_builder()
    persons: list[Person] = []
    with transaction.atomic():
        with ctx.progress(total=len(households), desc="户", unit="户") as bar:
            for start in range(0, len(households), BATCH):
                chunk = households[start:start + BATCH]
                fastinsert.insert(Household, chunk, now=ctx.now)
                bar.update(len(chunk))
        with ctx.progress(total=sum(len(m) for m in members), desc="居民", unit="人") as bar:
            batch: list[Person] = []
            for household, family in zip(households, members, strict=True):
                for fields in family:
                    batch.append(person_row(household=household, **fields))
                if len(batch) >= BATCH:
                    fastinsert.insert(Person, batch, now=ctx.now)
                    persons.extend(batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                fastinsert.insert(Person, batch, now=ctx.now)
                persons.extend(batch)
                bar.update(len(batch))
    for p in persons:
        ctx.person_ids_by_grid.setdefault(p.region_id, []).append(p.pk)
    _count_registered_households(ctx, households)
    ctx.extra["persons"] = persons
    ctx.stats["households"] = len(households)
    ctx.stats["residents"] = len(persons)
    ctx.stats["with_id_number"] = sum(1 for p in persons if p.id_number)


def _count_registered_households(ctx: DemoContext, households: list[Household]) -> None:
    """Buildings, grids and compounds count the households registered in them (a building's flats stay in its
    plan, which placed the families): a building never shows more households than registered people."""
    from grassroots.territory.models import Compound, Region

    per_building: dict[int, int] = {}
    for h in households:
        per_building[h.building_id] = per_building.get(h.building_id, 0) + 1
    per_grid: dict[int, int] = {}
    per_compound: dict[int, int] = {}
    for b in ctx.buildings:
        b.households = per_building.get(b.pk) or None
        per_grid[b.parent_id] = per_grid.get(b.parent_id, 0) + (b.households or 0)
        if b.compound_id:
            per_compound[b.compound_id] = per_compound.get(b.compound_id, 0) + (b.households or 0)
    for g in ctx.grids:
        g.households = per_grid.get(g.pk) or None
    for c in ctx.compounds:
        c.households = per_compound.get(c.pk) or None
    Region.objects.bulk_update(ctx.buildings + ctx.grids, ["households"], batch_size=2000)
    Compound.objects.bulk_update(ctx.compounds, ["households"], batch_size=1000)
