"""The only writers of rolls: create a roll, add a person (joining), end an entry (leaving), import from Excel.

Entries are never deleted or rewritten in place: a change of weight (an owner's area, extra votes) is leaving and
joining again, so the roll of any past day stays readable. Every write records an event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from grassroots.core import clock, events
from grassroots.core import imports as xl
from grassroots.core.crypto import blind_index
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.people import idnumbers
from grassroots.people.models import Household, Person
from grassroots.territory.models import Region, subtree_q

from . import votes
from .models import DERIVED_KINDS, KEPT_KINDS, Roll, RollEntry, RollKind
from .permissions import can_keep, can_keep_roll


def _keeper(actor, region, party_path: str = "") -> None:
    if not can_keep(actor, region, party_path):
        raise NotPermitted("名册由本区域的工作人员维护", "Staff of the region keep its rolls")


def _roll_keeper(actor, roll) -> None:
    if not can_keep_roll(actor, roll):
        raise NotPermitted("名册由本区域的工作人员维护", "Staff of the region keep its rolls")


def roll_create(*, actor, kind: str, region: Region, name: str = "", compound=None, organization=None,
                holder=None) -> Roll:
    """A roll of ``region``; ``holder`` names another holder (a party organisation, whose ``path`` the roll keeps
    as ``party_path``: that organisation's party posts and the committees above it keep and read the roll)."""
    party_path = str(getattr(holder, "path", "") or "") if holder is not None else ""
    _keeper(actor, region, party_path)
    if kind in DERIVED_KINDS:
        raise ValidationFailed("居民和户的名册取自人口库，无需建立", "Residents and households are read from the people "
                               "register", field="kind")
    if kind not in KEPT_KINDS:
        raise ValidationFailed("请选择名册类型", "Choose the kind of roll", field="kind")
    if kind == RollKind.OWNERS and compound is None:
        raise ValidationFailed("业主名册须指定小区", "An owners' roll needs its compound", field="compound")
    if compound is not None and not compound.community.path.startswith(region.path):
        raise ValidationFailed("小区不在该区域内", "The compound is outside the region", field="compound")
    holder_type = ContentType.objects.get_for_model(holder) if holder is not None else None
    same = Roll.objects.filter(kind=kind, region=region, compound=compound, organization=organization,
                               holder_type=holder_type, holder_id=getattr(holder, "pk", None))
    if same.exists():
        raise Conflict("该名册已存在", "This roll already exists")
    label = dict(RollKind.choices)[kind]
    owner = compound or organization or holder or region
    name = (name or "").strip() or f"{getattr(owner, 'name', owner)}{label}名册"
    with transaction.atomic():
        roll = Roll.objects.create(kind=kind, name=name[:100], region=region, compound=compound,
                                   organization=organization, holder_type=holder_type,
                                   holder_id=getattr(holder, "pk", None), party_path=party_path[:255])
        events.record(actor, "roll.create", roll, payload={"kind": kind, "region": region.pk})
    return roll


def _check_entry(roll: Roll, *, person: Person, start_date, term_ends, area, extra_votes) -> None:
    if not person.active or person.deceased_on is not None:
        raise ValidationFailed(f"{person.name} 不在册", f"{person.name} is not on the register", field="person")
    if term_ends is not None and start_date is not None and term_ends < start_date:
        raise ValidationFailed("任期届满日期早于开始日期", "The term ends before it starts", field="term_ends")
    if roll.kind == RollKind.OWNERS and (area is None or Decimal(area) <= 0):
        raise ValidationFailed("业主须填写专有部分面积（大于0）", "An owner's exclusive floor area is required",
                               field="area")
    if area is not None and Decimal(area) < 0:
        raise ValidationFailed("面积不能为负数", "The area cannot be negative", field="area")
    if int(extra_votes or 0) < 0:
        raise ValidationFailed("附加表决权不能为负数", "Extra votes cannot be negative", field="extra_votes")
    if roll.kind != RollKind.COOP_MEMBERS and int(extra_votes or 0):
        raise ValidationFailed("只有合作社成员有附加表决权", "Only cooperative members hold extra votes",
                               field="extra_votes")


def _check_extra_votes_cap(roll: Roll, *, joining: int, extra: int) -> None:
    """Cooperative members' extra votes total at most 20% of the basic votes (one a member): 5 × Σextra ≤ members,
    counting the open entries and those ``joining`` with ``extra`` extra votes between them."""
    if roll.kind != RollKind.COOP_MEMBERS or not extra:
        return
    open_entries = RollEntry.objects.filter(roll=roll, end_date__isnull=True)
    members = open_entries.count() + joining
    extra_total = sum(open_entries.values_list("extra_votes", flat=True)) + extra
    if not votes.extra_votes_within_cap(members=members, extra=extra_total):
        raise ValidationFailed(
            f"附加表决权总票数不得超过成员基本表决权总票数的20%：{members} 名成员最多 {members // 5} 票附加表决权",
            f"Extra votes may total at most 20% of the basic votes: {members} members allow {members // 5}",
            field="extra_votes")


def _entry(roll, *, person, start_date, term_ends=None, unit="", area=None, extra_votes=0, voting=True) -> RollEntry:
    return RollEntry(roll=roll, person=person, start_date=start_date, term_ends=term_ends, unit=(unit or "")[:100],
                     area=Decimal(area) if area is not None else None, extra_votes=int(extra_votes or 0),
                     voting=bool(voting) if roll.kind == RollKind.PARTY_MEMBERS else True)


def entry_add(*, actor, roll: Roll, person: Person, start_date: dt.date | None = None, term_ends=None, unit: str = "",
              area=None, extra_votes: int = 0, voting: bool = True, households=()) -> RollEntry:
    """A person joins the roll (a representative with the households they represent; an owner with their area;
    a probationary party member with ``voting=False``)."""
    _roll_keeper(actor, roll)
    start_date = start_date or clock.today()
    _check_entry(roll, person=person, start_date=start_date, term_ends=term_ends, area=area, extra_votes=extra_votes)
    if RollEntry.objects.filter(roll=roll, person=person, end_date__isnull=True).exists():
        raise ValidationFailed(f"{person.name} 已在名册中", f"{person.name} is already on the roll", field="person")
    with transaction.atomic():
        list(Roll.objects.select_for_update().filter(pk=roll.pk).order_by().values_list("pk"))  # one join at a time
        _check_extra_votes_cap(roll, joining=1, extra=int(extra_votes or 0))
        entry = _entry(roll, person=person, start_date=start_date, term_ends=term_ends, unit=unit, area=area,
                       extra_votes=extra_votes, voting=voting)
        entry.save()
        if households:
            entry.households.set(households)
        events.record(actor, "roll.join", roll, payload={"person": person.pk, "entry": entry.pk,
                                                         "start": start_date.isoformat()})
    return entry


def entry_end(*, actor, entry: RollEntry, end_date: dt.date | None = None, reason: str = "") -> RollEntry:
    """A person leaves the roll on ``end_date`` (the last day they are on it)."""
    _roll_keeper(actor, entry.roll)
    end_date = end_date or clock.today()
    if not reason.strip():
        raise ValidationFailed("请填写退出原因", "Give the reason", field="reason")
    if end_date < entry.start_date:
        raise ValidationFailed("退出日期早于加入日期", "The end is before the start", field="end_date")
    with transaction.atomic():
        if not RollEntry.objects.filter(pk=entry.pk, end_date__isnull=True).update(
                end_date=end_date, end_reason=reason.strip()[:100], updated_at=clock.now()):
            raise ValidationFailed("该成员已退出", "Already left", code="state")
        events.record(actor, "roll.leave", entry.roll, payload={"person": entry.person_id, "entry": entry.pk,
                                                                "end": end_date.isoformat(), "reason": reason[:100]})
    entry.refresh_from_db()
    return entry


# --- Excel import ------------------------------------------------------------------------------------------------
PARTY_STATUS = {"正式党员": True, "正式": True, "预备党员": False, "预备": False}


def import_columns(kind: str) -> list[xl.Column]:
    cols = [xl.Column("姓名", "name", required=True, parser=xl.text(64)),
            xl.Column("证件号码", "id_number", parser=xl.text(32), aliases=("身份证号", "身份证号码"),
                      help="同名时必填；用于与人口库比对"),
            xl.Column("加入日期", "start_date", parser=xl.date, aliases=("任期开始",), help="空则为导入当日")]
    if kind == RollKind.REPRESENTATIVES:
        cols += [xl.Column("任期届满", "term_ends", parser=xl.date),
                 xl.Column("联系户", "households", parser=xl.tag_list,
                           help="楼栋名称与房号，如：1号楼 101、1号楼 102")]
    if kind == RollKind.OWNERS:
        cols += [xl.Column("房号", "unit", required=True, parser=xl.text(100), aliases=("专有部分",)),
                 xl.Column("专有部分面积", "area", required=True, parser=xl.decimal(2), aliases=("面积",),
                           help="平方米，以不动产登记簿为准；一人多套填合计")]
    if kind == RollKind.PARTY_MEMBERS:
        cols += [xl.Column("党员类别", "voting", required=True, parser=xl.choice(PARTY_STATUS),
                           help="正式党员 或 预备党员（预备党员列席，无表决权）")]
    if kind == RollKind.COOP_MEMBERS:
        cols += [xl.Column("附加表决权", "extra_votes", parser=xl.integer(0), default=0)]
    return cols


def _candidates(roll: Roll, name: str, id_number: str):
    if id_number:
        index = blind_index(idnumbers.normalize(id_number), purpose="id_number")
        return list(Person.objects.filter(id_number_index=index))
    qs = Person.objects.filter(name=name, active=True, deceased_on__isnull=True).filter(
        subtree_q(roll.region.path, "region__path") | subtree_q(roll.region.path, "building__path"))
    return list(qs[:3])


def _household(label: str, region: Region):
    parts = label.split()
    if len(parts) < 2:
        return None
    building, room = " ".join(parts[:-1]), parts[-1]
    return Household.objects.filter(building__name=building, room=room).filter(
        subtree_q(region.path, "building__path")).first()


def find_person(roll: Roll, name: str, id_number: str = "") -> Person:
    """The one person of the register a roll row names (by ID number, else by name within the roll's region)."""
    name, id_number = (name or "").strip(), (id_number or "").strip()
    found = _candidates(roll, name, id_number)
    if not found:
        raise ValidationFailed(f"人口库{'中没有该证件号码' if id_number else f'本区域没有「{name}」'}，请先登记人员",
                               "No such person in the people register of the region", field="name")
    if len(found) > 1:
        raise ValidationFailed(f"本区域有多人名为「{name}」，请填写证件号码", "Several people have this name: give the "
                               "ID number", field="id_number")
    if found[0].name != name:
        raise ValidationFailed(f"证件号码对应的人员不是「{name}」", "The ID number belongs to someone else", field="name")
    return found[0]


def entry_add_named(*, actor, roll: Roll, name: str, id_number: str = "", households_text: str = "",
                    **fields) -> RollEntry:
    """``entry_add`` for a person named on the page (as in a row of the import)."""
    _keeper(actor, roll.region, roll.party_path)
    person = find_person(roll, name, id_number)
    households = []
    for label in xl.tag_list(households_text) if households_text.strip() else []:
        household = _household(label, roll.region)
        if household is None:
            raise ValidationFailed(f"本区域没有户「{label}」", f"No household {label!r} in the region", field="households")
        households.append(household)
    return entry_add(actor=actor, roll=roll, person=person, households=households, **fields)


def roll_import(*, actor, roll: Roll, file, dry_run: bool = False) -> xl.ImportReport:
    """Every row is checked against the people register and the roll before anything is written; any error (with
    its row) and nothing is written."""
    _keeper(actor, roll.region, roll.party_path)
    columns = import_columns(roll.kind)
    headers = {c.key: c.header for c in columns}
    today = clock.today()
    on_roll = set(RollEntry.objects.filter(roll=roll, end_date__isnull=True).values_list("person_id", flat=True))

    def check(rows):
        seen: dict[int, int] = {}
        for r in rows:
            name, number = r["name"], (r.get("id_number") or "").strip()
            found = _candidates(roll, name, number)
            if not found:
                yield xl.RowError(r.row, "证件号码" if number else "姓名",
                                  f"人口库{'中没有该证件号码' if number else f'本区域没有「{name}」'}，请先登记人员",
                                  "no such person in the people register of the region")
                continue
            if len(found) > 1:
                yield xl.RowError(r.row, "姓名", f"本区域有多人名为「{name}」，请填写证件号码",
                                  "several people have this name: give the ID number")
                continue
            person = found[0]
            if person.name != name:
                yield xl.RowError(r.row, "姓名", f"证件号码对应的人员不是「{name}」",
                                  "the ID number belongs to someone else")
                continue
            if person.pk in seen:
                yield xl.RowError(r.row, "姓名", f"与第 {seen[person.pk]} 行是同一人", f"same person as row {seen[person.pk]}")
                continue
            seen[person.pk] = r.row
            if person.pk in on_roll:
                yield xl.RowError(r.row, "姓名", f"{name} 已在名册中", f"{name} is already on the roll")
                continue
            r.values["person"] = person
            try:
                _check_entry(roll, person=person, start_date=r.get("start_date") or today, term_ends=r.get("term_ends"),
                             area=r.get("area"), extra_votes=r.get("extra_votes") or 0)
            except ValidationFailed as exc:
                if exc.field not in r.failed:  # a cell that failed to parse is reported once, by the parser
                    yield xl.RowError(r.row, headers.get(exc.field, ""), exc.zh, exc.en)
            households = []
            for label in r.get("households") or []:
                household = _household(label, roll.region)
                if household is None:
                    yield xl.RowError(r.row, "联系户", f"本区域没有户「{label}」", f"no household {label!r} in the region")
                households.append(household)
            r.values["household_objs"] = households

    def write(rows) -> int:
        rows = list(rows)
        _check_extra_votes_cap(roll, joining=len(rows), extra=sum(int(r.get("extra_votes") or 0) for r in rows))
        entries = []
        for r in rows:
            voting = r.get("voting")
            entry = _entry(roll, person=r["person"], start_date=r.get("start_date") or today,
                           term_ends=r.get("term_ends"), unit=r.get("unit") or "", area=r.get("area"),
                           extra_votes=r.get("extra_votes") or 0, voting=True if voting is None else voting)
            entry.save()
            if r.get("household_objs"):
                entry.households.set(r["household_objs"])
            entries.append(entry)
        events.record(actor, "roll.import", roll, payload={"count": len(entries)})
        return len(entries)

    return xl.run_import(file, columns, write=write, check=check, dry_run=dry_run)


def import_template(roll: Roll) -> bytes:
    return xl.template_xlsx(import_columns(roll.kind))
