"""The people list's export, one kind of ``core.exports``: the persons the actor sees (``selectors.person_list``,
the list page's filters). ID and phone numbers are masked for everyone by default. Full numbers only when asked for
with a stated purpose (recorded in the export's audit event), only for a post that may unmask
(``permissions.can_unmask_any``), and then row by row only where that post may unmask that person
(``permissions.can_unmask``: its own region, never a minor unless it is the secretary)."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from grassroots.core import clock, exports
from grassroots.core.errors import NotPermitted

from . import permissions, selectors
from .masking import mask_id, mask_phone
from .models import MINOR_AGE, Person

COLUMNS = [exports.Column("姓名", 12), "性别", exports.Column("出生日期", 12), "未满14周岁", "证件类型",
           exports.Column("证件号码", 22), exports.Column("手机号", 15), "所属网格", exports.Column("楼栋编码", 22),
           "房号", "与户主关系", "标签", "状态"]


def filters_json(filters: selectors.PersonFilters) -> dict:
    return {k: v for k, v in vars(filters).items() if v not in ("", None, False)}


def filters_of(request: exports.ExportRequest) -> selectors.PersonFilters:
    region = request.get("region")
    return selectors.PersonFilters(
        q=request.get("q", ""), region=int(region) if region else None, gender=request.get("gender", ""),
        age_band=request.get("age_band", ""), minors=bool(request.get("minors")), tag=request.get("tag", ""),
        active=request.filters.get("active", "1"))


def _check(request: exports.ExportRequest) -> None:
    if not permissions.can_export_people(request.actor):
        raise NotPermitted("您的岗位无权导出人员名单", "Your post may not export the people list", code="export_denied")


def _queryset(request):
    return selectors.person_list(actor=request.actor, filters=filters_of(request))


def _rows(request: exports.ExportRequest):
    return _rows_unmasked(request) if request.unmask else _rows_masked(request)


def _labels():
    return {k: str(v) for k, v in Person.Gender.choices}, {k: str(v) for k, v in Person.IdType.choices}


def _rows_masked(request: exports.ExportRequest):
    """The default: every number masked, read as plain values (no person objects)."""
    genders, id_types = _labels()
    minor_born_after = clock.today() - relativedelta(years=MINOR_AGE)   # Person.is_minor: younger than MINOR_AGE
    qs = _queryset(request).values_list(
        "name", "gender", "birth_date", "id_type", "id_number", "phone", "region__name", "building__code",
        "household__room", "relation_to_head", "tags", "active")
    for name, gender, born, id_type, id_number, phone, grid, building, room, relation, tags, active in qs.iterator(
            chunk_size=2000):
        yield [name, genders.get(gender, gender), born, "是" if born is not None and born > minor_born_after else "",
               id_types.get(id_type, id_type), mask_id(id_number), mask_phone(phone), grid or "", building or "",
               room or "", relation, "、".join(tags or []), "在册" if active else "不在册"]


def _rows_unmasked(request: exports.ExportRequest):
    """Full numbers asked for with a purpose: each row as the post may see that person (``can_unmask``)."""
    genders, id_types = _labels()
    actor = request.actor
    qs = _queryset(request).only("name", "gender", "birth_date", "id_type", "id_number", "phone", "region__name",
                                 "region__path", "building__code", "household__room", "relation_to_head", "tags",
                                 "active")
    for p in qs.iterator(chunk_size=2000):
        show_id = permissions.can_unmask(actor, p, "id_number")
        show_phone = permissions.can_unmask(actor, p, "phone")
        if show_id or show_phone:
            request.unmasked_rows += 1
        yield [p.name, genders.get(p.gender, p.gender), p.birth_date, "是" if p.is_minor else "",
               id_types.get(p.id_type, p.id_type), p.id_number if show_id else mask_id(p.id_number),
               p.phone if show_phone else mask_phone(p.phone), p.region.name if p.region_id else "",
               p.building.code if p.building_id else "", p.household.room if p.household_id else "",
               p.relation_to_head, "、".join(p.tags or []), "在册" if p.active else "不在册"]


PEOPLE = exports.register(exports.ExportKind(
    key="people.person", verb="person.export", object_type="people.person", title="人员名单", filename="people",
    columns=lambda request: COLUMNS, rows=_rows, count=lambda request: _queryset(request).count(), check=_check,
    may_unmask=permissions.can_unmask_any,
))
