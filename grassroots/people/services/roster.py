"""The roster import (.xlsx): every row checked first, all or nothing."""

from __future__ import annotations

from grassroots.core import events
from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.territory.models import Level, Region

from .. import permissions
from ..models import Household, Person
from .persons import _person_payload, person_field_problems, prepare_person_row


def person_import(*, actor, file, dry_run: bool = False, progress: bool = False):
    """Import a roster (.xlsx, columns in ``people.imports.COLUMNS``): every row checked, all or nothing.

    Errors: unknown or out-of-scope building codes, invalid document numbers or phones, duplicates within the file
    and against the register. Returns ``core.imports.ImportReport``; one ``person.create`` event per person and
    one ``person.import`` event for the file.
    """
    from grassroots.core import imports as xl

    from .. import imports as roster

    if not permissions.can_import_people(actor):
        raise NotPermitted("您的岗位无权导入人员名单", "Your post may not import rosters", code="import_denied")

    def check(rows: list[xl.ParsedRow]) -> list[xl.RowError]:
        errors: list[xl.RowError] = []
        codes = {r["building_code"] for r in rows if r.get("building_code")}
        buildings = {b.code: b for b in Region.objects.filter(code__in=codes, level=Level.BUILDING)
                     .select_related("parent")}
        first_row_of: dict[str, int] = {}
        heads: dict[tuple, int] = {}
        for r in rows:
            # every problem of the row, reported together
            row_errors: list[xl.RowError] = []
            code = r.get("building_code")
            building = buildings.get(code)
            if "building_code" not in r.failed and (building is None
                                                    or not permissions.can_import_into(actor, building)):
                row_errors.append(xl.RowError(r.row, "楼栋编码", f"楼栋编码「{code}」不存在或不在您的管辖范围内",
                                              f"Building code {code!r} does not exist or is outside your area"))
            for problem in person_field_problems(name=r["name"], id_type=r["id_type"], id_number=r["id_number"],
                                                 phone=r.get("phone") or "", skip=r.failed):
                row_errors.append(xl.RowError(r.row, roster.FIELD_HEADERS.get(problem.field or "", ""), problem.zh,
                                              problem.en))
            errors.extend(row_errors)
            if row_errors or r.failed:
                continue
            try:
                person = prepare_person_row(name=r["name"], id_type=r["id_type"], id_number=r["id_number"],
                                            phone=r.get("phone") or "", building=building,
                                            relation_to_head=r.get("relation_to_head") or "",
                                            tags=r.get("tags") or [])
            except ValidationFailed as exc:
                errors.append(xl.RowError(r.row, roster.FIELD_HEADERS.get(exc.field or "", ""), exc.zh, exc.en))
                continue
            r.values["_person"] = person
            r.values["_building"] = building
            index = person.id_number_index
            if index in first_row_of:
                errors.append(xl.RowError(r.row, "证件号码", f"与第 {first_row_of[index]} 行的证件号码重复",
                                          f"Same document number as row {first_row_of[index]}"))
            else:
                first_row_of[index] = r.row
            room = (r.get("room") or "").strip()
            if person.is_household_head and room:
                key = (building.pk, room)
                if key in heads:
                    errors.append(xl.RowError(r.row, "与户主关系", f"与第 {heads[key]} 行为同一户，一户只能有一位户主",
                                              f"Row {heads[key]} is already the head of this household"))
                else:
                    heads[key] = r.row
        registered = set()
        indexes = list(first_row_of)
        for start in range(0, len(indexes), 500):
            registered.update(Person.objects.filter(id_number_index__in=indexes[start:start + 500])
                              .values_list("id_number_index", flat=True))
        for index in registered:
            errors.append(xl.RowError(first_row_of[index], "证件号码", "该证件号码已登记",
                                      "This document number is already registered"))
        return errors

    def write(rows: list[xl.ParsedRow]) -> int:
        from grassroots.core.models import Event

        wanted = {(r["_building"].pk, (r.get("room") or "").strip()) for r in rows if (r.get("room") or "").strip()}
        households: dict[tuple, Household] = {}
        building_ids = {b for b, _ in wanted}
        for h in Household.objects.filter(building_id__in=building_ids):
            if (h.building_id, h.room) in wanted:
                households[(h.building_id, h.room)] = h
        for building_id, room in sorted(wanted - set(households)):
            households[(building_id, room)] = Household.objects.create(building_id=building_id, room=room)
            events.record(actor, "household.create", households[(building_id, room)],
                          payload={"building": building_id, "room": room, "via": "import"})
        persons = []
        for r in rows:
            person = r["_person"]
            room = (r.get("room") or "").strip()
            if room:
                person.household = households[(r["_building"].pk, room)]
            persons.append(person)
        bar = xl.progress_bar(len(persons), "写入 / writing", enabled=progress)
        for start in range(0, len(persons), 1000):
            Person.objects.bulk_create(persons[start:start + 1000])
            bar.update(len(persons[start:start + 1000]))
        bar.close()
        summary = events.record(actor, "person.import", None, object_type="people.person",
                                payload={"rows": len(persons)})
        events.bulk_record([
            Event(at=summary.at, actor=summary.actor, actor_label=summary.actor_label, verb="person.create",
                  object_type="people.person", object_id=str(p.pk), ip=summary.ip, user_agent=summary.user_agent,
                  payload={**_person_payload(p), "via": "import"})
            for p in persons
        ])
        return len(persons)

    return xl.run_import(file, roster.COLUMNS, write=write, check=check, dry_run=dry_run, progress=progress)
