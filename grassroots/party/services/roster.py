"""The member roster (党员名册): import from a sheet (every row checked first) and the audited export."""

from __future__ import annotations

from grassroots.core import events
from grassroots.core.errors import NotPermitted, ValidationFailed

from .. import permissions
from ..models import PartyOrg
from .memberships import membership_add, membership_validate


def member_import(*, actor, file, dry_run: bool = False, progress: bool = False):
    """Import party members (.xlsx, columns in ``party.imports.COLUMNS``): every row is checked first and every bad
    row reported with its row number; nothing is written on any error. Persons are matched by ID number through the
    people register's blind index (within the actor's scope). Returns ``core.imports.ImportReport``."""
    from grassroots.core import crypto
    from grassroots.core import imports as xl
    from grassroots.people import idnumbers
    from grassroots.people.models import Organization
    from grassroots.people.selectors import person_visible

    from .. import imports as roster
    from ..selectors import orgs_for_choice

    if actor is not None and not permissions.can_import(actor):
        raise NotPermitted("您的岗位无权导入党员名册", "Your post may not import party members", code="import_denied")

    def check(rows: list[xl.ParsedRow]) -> list[xl.RowError]:
        errors: list[xl.RowError] = []
        index_of: dict[int, str] = {}
        for r in rows:
            number = idnumbers.normalize(r.get("id_number"))
            if number:
                index_of[r.row] = crypto.blind_index(number, purpose="id_number")
        persons = {}
        indexes = sorted(set(index_of.values()))
        visible = person_visible(actor=actor) if actor is not None else _all_persons()
        for start in range(0, len(indexes), 500):
            for p in visible.filter(id_number_index__in=indexes[start:start + 500]).select_related("region"):
                persons[p.id_number_index] = p
        org_qs = orgs_for_choice(actor=actor) if actor is not None else PartyOrg.objects.filter(active=True)
        codes = {r["org_code"] for r in rows if r.get("org_code")}
        names = {r["org_name"] for r in rows if r.get("org_name") and not r.get("org_code")}
        by_code = {o.code: o for o in org_qs.filter(code__in=codes)}
        by_name: dict[str, list] = {}
        for o in org_qs.filter(name__in=names):
            by_name.setdefault(o.name, []).append(o)
        employer_names = {r["employer"] for r in rows if r.get("employer")}
        employers: dict[str, list] = {}
        for o in Organization.objects.filter(name__in=employer_names, active=True):
            employers.setdefault(o.name, []).append(o)
        first_row: dict[int, int] = {}
        manageable: dict[int, bool] = {}
        for r in rows:
            # every check of a row runs, so a row's every error is reported at once (cells that failed to parse
            # were reported by the parser; checks that need them are left out)
            row_errors: list[xl.RowError] = []
            person = org = employer = None
            if r.row in index_of:
                person = persons.get(index_of[r.row])
                if person is None:
                    row_errors.append(xl.RowError(r.row, "证件号码", "未找到该证件号码的登记人员（或不在您的管辖范围内）",
                                                  "No registered person with this document number in your area"))
                else:
                    if r.get("name") and r["name"] != person.name:
                        row_errors.append(xl.RowError(r.row, "姓名", f"姓名与登记信息「{person.name}」不一致",
                                                      "The name differs from the registered one"))
                    if person.pk in first_row:
                        row_errors.append(xl.RowError(r.row, "证件号码", f"与第 {first_row[person.pk]} 行是同一人",
                                                      f"Same person as row {first_row[person.pk]}"))
                    else:
                        first_row[person.pk] = r.row
            if r.get("org_code"):
                org = by_code.get(r["org_code"])
                if org is None:
                    row_errors.append(xl.RowError(r.row, "党组织编码",
                                                  f"党组织编码「{r['org_code']}」不存在或不在您的管辖范围内",
                                                  f"Party organisation {r['org_code']!r} not found in your area"))
            elif r.get("org_name"):
                found = by_name.get(r["org_name"], [])
                if len(found) != 1:
                    row_errors.append(xl.RowError(
                        r.row, "党组织名称",
                        f"党组织「{r['org_name']}」{'不存在或不在您的管辖范围内' if not found else '有重名，请填写党组织编码'}",
                        "Party organisation not found" if not found else "Ambiguous name; give the code"))
                else:
                    org = found[0]
            elif not {"org_code", "org_name"} & r.failed:
                row_errors.append(xl.RowError(r.row, "党组织编码", "党组织编码和名称至少填一项",
                                              "Give the party organisation's code or name"))
            if r.get("employer"):
                found = employers.get(r["employer"], [])
                if len(found) != 1:
                    row_errors.append(xl.RowError(
                        r.row, "工作单位", f"工作单位「{r['employer']}」{'未登记' if not found else '有重名'}",
                        "Employer not registered" if not found else "Ambiguous employer name"))
                else:
                    employer = found[0]
            if org is not None:
                if org.pk not in manageable:
                    manageable[org.pk] = permissions.can_manage_org(actor, org)
                if not manageable[org.pk]:
                    row_errors.append(xl.RowError(r.row, "党组织编码", f"您无权管理「{org.name}」的党员",
                                                  f"You may not manage the members of {org.name}"))
            if person is not None and org is not None and not row_errors and not r.failed:
                try:
                    membership_validate(person=person, org=org, status=r["status"],
                                        admission_date=r["admission_date"], full_member_date=r.get("full_member_date"),
                                        in_service=bool(r.get("in_service")), employer=employer)
                except ValidationFailed as exc:
                    row_errors.append(xl.RowError(r.row, roster.FIELD_HEADERS.get(exc.field or "", ""), exc.zh, exc.en))
            errors.extend(row_errors)
            if not row_errors and not r.failed:
                r.values.update(_person=person, _org=org, _employer=employer)
        return errors

    def write(rows: list[xl.ParsedRow]) -> int:
        bar = xl.progress_bar(len(rows), "写入 / writing", enabled=progress)
        for r in rows:
            membership_add(actor=actor, person=r["_person"], org=r["_org"], status=r["status"],
                           admission_date=r["admission_date"], full_member_date=r.get("full_member_date"),
                           in_service=bool(r.get("in_service")), employer=r["_employer"])
            bar.update(1)
        bar.close()
        events.record(actor, "membership.import", None, object_type="party.membership",
                      payload={"rows": len(rows)})
        return len(rows)

    return xl.run_import(file, roster.COLUMNS, write=write, check=check, dry_run=dry_run, progress=progress)


def _all_persons():
    from grassroots.people.models import Person

    return Person.objects.all()
