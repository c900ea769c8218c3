"""Personal data leaving the register, each time an audit event: one unmasked number (``person_reveal``) and the
exported people list (``person_export``)."""

from __future__ import annotations

from django.db import transaction

from grassroots.core import events
from grassroots.core.errors import NotPermitted, ValidationFailed

from .. import permissions, selectors
from ..masking import mask_id, mask_phone
from ..models import Person


def person_reveal(*, actor, person: Person, field: str) -> str:
    """The unmasked value of ``field`` ("id_number" or "phone"), recorded as an audit event ``person.reveal``.

    NotFound outside the actor's scope; NotPermitted (and a ``denied`` event) for posts that may not unmask.
    """
    person = selectors.person_get(actor=actor, pk=person.pk)
    if field not in permissions.REVEALABLE_FIELDS:
        raise ValidationFailed("只能查看证件号码或手机号", "Only the ID number or phone can be revealed",
                               code="reveal_field", field="field")
    if not permissions.can_unmask(actor, person, field):
        events.record(actor, "person.reveal", person, outcome="denied", payload={"field": field})
        if person.is_minor:
            raise NotPermitted("未满十四周岁人员的信息仅社区书记可查看", "Only the community secretary may see a minor's data",
                               code="reveal_minor_denied")
        raise NotPermitted("您的岗位无权查看完整号码", "Your post may not see the full number", code="reveal_denied")
    with transaction.atomic():
        events.record(actor, "person.reveal", person, payload={"field": field, "minor": person.is_minor})
    return getattr(person, field) or ""


def person_export(*, actor, filters: selectors.PersonFilters | None = None) -> bytes:
    """The visible people list as .xlsx; numbers masked unless the actor may unmask that person. Audited."""
    from grassroots.core.imports import export_xlsx

    if not permissions.can_export_people(actor):
        raise NotPermitted("您的岗位无权导出人员名单", "Your post may not export the people list", code="export_denied")
    qs = selectors.person_list(actor=actor, filters=filters)
    may_unmask = permissions.can_unmask_any(actor)
    genders = {k: str(v) for k, v in Person.Gender.choices}
    id_types = {k: str(v) for k, v in Person.IdType.choices}
    rows = []
    unmasked = 0
    for p in qs.iterator(chunk_size=2000):
        show_id = may_unmask and permissions.can_unmask(actor, p, "id_number")
        show_phone = may_unmask and permissions.can_unmask(actor, p, "phone")
        unmasked += bool(show_id or show_phone)
        rows.append([
            p.name, genders.get(p.gender, p.gender), p.birth_date, "是" if p.is_minor else "",
            id_types.get(p.id_type, p.id_type),
            p.id_number if show_id else mask_id(p.id_number), p.phone if show_phone else mask_phone(p.phone),
            p.region.name if p.region_id else "", p.building.code if p.building_id else "",
            p.household.room if p.household_id else "", p.relation_to_head, "、".join(p.tags or []),
            "在册" if p.active else "不在册",
        ])
    headers = ["姓名", "性别", "出生日期", "未满14周岁", "证件类型", "证件号码", "手机号", "所属网格", "楼栋编码",
               "房号", "与户主关系", "标签", "状态"]
    data = export_xlsx(headers, rows, sheet_title="人员名单")
    with transaction.atomic():
        events.record(actor, "person.export", None, object_type="people.person",
                      payload={"rows": len(rows), "unmasked_rows": unmasked,
                               "filters": _filters_payload(filters)})
    return data


def _filters_payload(filters) -> dict:
    if filters is None:
        return {}
    return {k: v for k, v in vars(filters).items() if v not in ("", None, False)}
