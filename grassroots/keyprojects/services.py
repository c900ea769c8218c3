"""Key-project writers (docs/rules/park.md § Key projects): each is one transaction with an Event. Staff of the
project's park or zone keep a project; its commissioner reports on it (``permissions``). Money is in 万元 with two
decimals, never negative; a month is reported whole or by 旬, never both; a report cannot be for a month to come."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from grassroots.core import attachments, clock, events, policy
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed

from . import permissions
from .models import (
    AnnualPlan,
    InvestmentReport,
    KeyNode,
    LightRuleSet,
    Listing,
    ProgressReport,
    Project,
    TaskForce,
)
from .states import Level, ListKind, Phase, TrackClass

MAX_WAN = Decimal("999999999999.99")
PHOTOS_PER_REPORT = 9


def _text(value, field: str, zh: str, en: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(zh, en, field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"不能超过 {max_length} 字", f"At most {max_length} characters", field=field)
    return value


def _money(value, field: str, *, required: bool = True, positive: bool = False) -> Decimal:
    if value in (None, "") and not required:
        return Decimal("0")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("请填写金额（万元，最多两位小数）", "Enter an amount in 10,000 yuan, two decimals at most",
                               field=field) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_WAN or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed("金额须为不小于 0 的数，最多两位小数", "The amount is 0 or more with two decimals at most",
                               field=field)
    if positive and amount <= 0:
        raise ValidationFailed("金额须大于 0", "The amount must be more than 0", field=field)
    return amount


def _date(value, field: str, *, required: bool = False) -> dt.date | None:
    if value is None:
        if required:
            raise ValidationFailed("请填写日期", "Enter the date", field=field)
        return None
    if not isinstance(value, dt.date):
        raise ValidationFailed("日期无效", "Invalid date", field=field)
    return value


def _year(value, field: str = "year") -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("年度无效", "Invalid year", field=field) from None
    if not 2000 <= year <= clock.today().year + 5:
        raise ValidationFailed("年度无效", "Invalid year", field=field)
    return year


def _keep(actor, project) -> None:
    if not permissions.can_keep(actor, project):
        raise NotPermitted("只有项目所在园区或上级的工作人员可以办理",
                           "Only the staff of the project's park or above may do this")


def _report(actor, project) -> None:
    if not permissions.can_report(actor, project):
        raise NotPermitted("只有项目专员或园区工作人员可以填报",
                           "Only the project's commissioner or the park's staff may report")


FIELDS = ("name", "level", "phase", "track_class", "industry", "owner_unit", "soe_led", "total_investment_wan",
          "completed_before_wan", "patron_leader", "task_force", "office", "commissioner", "plan_summary",
          "planned_start", "actual_start", "planned_end", "actual_end", "in_fai_stats", "in_stats_date")


def _clean(data: dict, region) -> dict:
    out = {}
    out["name"] = _text(data.get("name"), "name", "请填写项目名称", "The project's name is required", 120)
    for key, choices, zh, en in (("level", Level, "请选择项目级别", "Choose the level"),
                                 ("phase", Phase, "请选择阶段", "Choose the phase"),
                                 ("track_class", TrackClass, "请选择类别", "Choose the tracking class")):
        if data.get(key) not in choices.values:
            raise ValidationFailed(zh, en, field=key)
        out[key] = data[key]
    out["industry"] = _text(data.get("industry"), "industry", "请填写行业", "The industry is required", 40)
    if data.get("owner_unit") is None:
        raise ValidationFailed("请选择业主单位", "Choose the owner unit", field="owner_unit")
    out["owner_unit"] = data["owner_unit"]
    out["soe_led"] = bool(data.get("soe_led"))
    out["total_investment_wan"] = _money(data.get("total_investment_wan"), "total_investment_wan", positive=True)
    out["completed_before_wan"] = _money(data.get("completed_before_wan"), "completed_before_wan", required=False)
    out["patron_leader"] = _text(data.get("patron_leader"), "patron_leader", "请填写包保领导",
                                 "Name the patron leader", 40)
    tf = data.get("task_force")
    if tf is not None and not region.path.startswith(tf.region_path) and not tf.region_path.startswith(region.path):
        raise ValidationFailed("推进专班不属于该区域", "The task force belongs to another area", field="task_force")
    out["task_force"] = tf
    out["office"] = data.get("office")
    out["commissioner"] = data.get("commissioner")
    out["plan_summary"] = _text(data.get("plan_summary"), "plan_summary", "", "", 5000, False)
    for key in ("planned_start", "actual_start", "planned_end", "actual_end", "in_stats_date"):
        out[key] = _date(data.get(key), key)
    today = clock.today()
    for key in ("actual_start", "actual_end", "in_stats_date"):
        if out[key] and out[key] > today:
            raise ValidationFailed("实际日期不能晚于今天", "An actual date cannot be in the future", field=key)
    if out["planned_start"] and out["planned_end"] and out["planned_end"] < out["planned_start"]:
        raise ValidationFailed("计划竣工不能早于计划开工", "The planned end cannot precede the planned start",
                               field="planned_end")
    if out["actual_end"] and (not out["actual_start"] or out["actual_end"] < out["actual_start"]):
        raise ValidationFailed("实际竣工须在实际开工之后", "The actual end must follow the actual start", field="actual_end")
    out["in_fai_stats"] = bool(data.get("in_fai_stats"))
    if out["in_fai_stats"] and not out["in_stats_date"]:
        raise ValidationFailed("已入库请填写入库日期", "Give the day the project entered the statistics",
                               field="in_stats_date")
    if not out["in_fai_stats"]:
        out["in_stats_date"] = None
    if out["phase"] == Phase.COMPLETED and not out["actual_end"]:
        raise ValidationFailed("竣工项目请填写实际竣工日期", "A completed project needs its actual end", field="actual_end")
    return out


def _payload(values: dict) -> dict:
    out = {}
    for k, v in values.items():
        if hasattr(v, "pk"):
            out[k] = v.pk
        elif isinstance(v, (dt.date, Decimal)):
            out[k] = str(v)
        else:
            out[k] = v
    return out


def project_create(*, actor, region, **data) -> Project:
    if not permissions.can_register(actor, region):
        raise NotPermitted("无权在该区域登记重点项目", "You may not register key projects in this area")
    values = _clean(data, region)
    with transaction.atomic():
        project = Project.objects.create(region=region, region_path=region.path,
                                         created_by=actor if getattr(actor, "is_authenticated", False) else None,
                                         **values)
        events.record(actor, "key_project.create", project, payload=_payload(values))
    return project


def project_update(*, actor, project: Project, **data) -> Project:
    _keep(actor, project)
    values = _clean({**{f: getattr(project, f) for f in FIELDS}, **data}, project.region)
    changed = {k: v for k, v in values.items() if getattr(project, k) != v}
    if not changed:
        return project
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(updated_at=clock.now(), **changed)
        events.record(actor, "key_project.update", project, payload=_payload(changed))
    project.refresh_from_db()
    return project


def listing_set(*, actor, project: Project, year, kinds) -> list[str]:
    """The key lists the project is on for ``year`` (replacing that year's lists)."""
    _keep(actor, project)
    year = _year(year)
    kinds = sorted(set(kinds or ()))
    if any(k not in ListKind.values for k in kinds):
        raise ValidationFailed("重点清单无效", "Invalid key list", field="kinds")
    with transaction.atomic():
        Listing.objects.filter(project=project, year=year).exclude(kind__in=kinds).delete()
        for kind in kinds:
            Listing.objects.get_or_create(project=project, year=year, kind=kind)
        events.record(actor, "key_project.listing", project, payload={"year": year, "kinds": kinds})
    return kinds


def plan_set(*, actor, project: Project, year, planned_wan, image_target: str = "") -> AnnualPlan:
    _keep(actor, project)
    year = _year(year)
    planned = _money(planned_wan, "planned_wan")
    image_target = _text(image_target, "image_target", "", "", 300, False)
    with transaction.atomic():
        plan, _created = AnnualPlan.objects.update_or_create(
            project=project, year=year, defaults={"planned_wan": planned, "image_target": image_target,
                                                  "updated_at": clock.now()})
        events.record(actor, "key_project.plan", project, payload={"year": year, "planned_wan": str(planned)})
    return plan


def report_submit(*, actor, project: Project, year, month, planned_wan, completed_wan, xun=0,
                  funds_in_place_wan=None, note: str = "") -> InvestmentReport:
    """The month's (or one 旬's) investment. A month already reported is corrected by submitting again (the event
    keeps the earlier figures); whole months and 旬 do not mix."""
    _report(actor, project)
    year = _year(year)
    try:
        month, xun = int(month), int(xun or 0)
    except (TypeError, ValueError):
        raise ValidationFailed("月份或旬无效", "Invalid month or 旬", field="month") from None
    if not 1 <= month <= 12:
        raise ValidationFailed("月份无效", "Invalid month", field="month")
    if not 0 <= xun <= 3:
        raise ValidationFailed("旬须为上、中、下旬或整月", "The 旬 is the first, middle, last or the whole month",
                               field="xun")
    today = clock.today()
    if (year, month) > (today.year, today.month):
        raise ValidationFailed("不能填报未到的月份", "A month to come cannot be reported", field="month")
    planned = _money(planned_wan, "planned_wan")
    completed = _money(completed_wan, "completed_wan")
    funds = _money(funds_in_place_wan, "funds_in_place_wan", required=False)
    note = _text(note, "note", "", "", 300, False)
    ym = year * 100 + month
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        others = InvestmentReport.objects.filter(project=project, ym=ym)
        if xun and others.filter(xun=0).exists() or not xun and others.exclude(xun=0).exists():
            raise Conflict("该月已按整月或按旬填报，不能混用", "This month is reported whole or by 旬, not both",
                           code="mixed_periods")
        previous = others.filter(xun=xun).first()
        values = {"year": year, "month": month, "planned_wan": planned, "completed_wan": completed,
                  "funds_in_place_wan": funds, "note": note, "updated_at": clock.now(),
                  "reported_by": actor if getattr(actor, "is_authenticated", False) else None}
        if previous:
            InvestmentReport.objects.filter(pk=previous.pk).update(**values)
            report = InvestmentReport.objects.get(pk=previous.pk)
        else:
            report = InvestmentReport.objects.create(project=project, ym=ym, xun=xun, **values)
        events.record(actor, "key_project.report", project, payload={
            "ym": ym, "xun": xun, "planned_wan": str(planned), "completed_wan": str(completed),
            "funds_in_place_wan": str(funds),
            "previous": {"planned_wan": str(previous.planned_wan), "completed_wan": str(previous.completed_wan)}
            if previous else None})
    return report


def progress_submit(*, actor, project: Project, year, month, text: str, photos=()) -> ProgressReport:
    """形象进度 with up to nine photos; nothing is kept when one photo is refused."""
    _report(actor, project)
    year = _year(year)
    try:
        month = int(month)
    except (TypeError, ValueError):
        raise ValidationFailed("月份无效", "Invalid month", field="month") from None
    if not 1 <= month <= 12 or (year, month) > (clock.today().year, clock.today().month):
        raise ValidationFailed("月份无效", "Invalid month", field="month")
    text = _text(text, "text", "请填写形象进度", "Describe the progress", 3000)
    photos = [p for p in photos if p]
    if len(photos) > PHOTOS_PER_REPORT:
        raise ValidationFailed(f"最多 {PHOTOS_PER_REPORT} 张照片", f"At most {PHOTOS_PER_REPORT} photos", field="photos")
    prepared = [attachments.prepare(p, photos_only=True) for p in photos]
    with attachments.removed_on_failure(), transaction.atomic():
        row = ProgressReport.objects.create(project=project, year=year, month=month, text=text,
                                            reported_by=actor if getattr(actor, "is_authenticated", False) else None)
        for p in prepared:
            attachments.store(actor=actor, prepared=p, obj=row)
        events.record(actor, "key_project.progress", project, payload={"year": year, "month": month,
                                                                       "photos": len(prepared)})
    return row


def node_add(*, actor, project: Project, name: str, due, responsible: str, arrangement: str = "") -> KeyNode:
    _keep(actor, project)
    name = _text(name, "name", "请填写关键节点", "Name the key node", 120)
    due = _date(due, "due", required=True)
    responsible = _text(responsible, "responsible", "请填写责任单位或责任人", "Name who is responsible", 80)
    with transaction.atomic():
        node = KeyNode.objects.create(project=project, name=name, due=due, responsible=responsible,
                                      arrangement=_text(arrangement, "arrangement", "", "", 300, False))
        events.record(actor, "key_node.create", node, payload={"project": project.pk, "due": due.isoformat()})
    return node


def node_done(*, actor, node: KeyNode, done_on=None, note: str = "") -> KeyNode:
    _report(actor, node.project)
    done_on = _date(done_on, "done_on") or clock.today()
    if done_on > clock.today():
        raise ValidationFailed("完成日期不能晚于今天", "The day done cannot be in the future", field="done_on")
    note = _text(note, "note", "", "", 300, False)
    with transaction.atomic():
        if not KeyNode.objects.filter(pk=node.pk, done_on__isnull=True).update(done_on=done_on, done_note=note,
                                                                              updated_at=clock.now()):
            raise Conflict("该节点已完成", "This key node is already done", code="state_conflict")
        events.record(actor, "key_node.done", node, payload={"done_on": done_on.isoformat(),
                                                             "late": done_on > node.due})
    node.refresh_from_db()
    return node


def problem_raise(*, actor, project: Project, title: str, owner, deadline, responsible=None, description: str = ""):
    """A problem (问题及措施) on the shared rectification ledger, naming the project; closed there by 销号."""
    from grassroots.rectification import services as rect

    _keep(actor, project)
    return rect.item_create(actor=actor, title=title, source="project_dispatch", owner=owner, deadline=deadline,
                            region=project.region, responsible=responsible, description=description,
                            subject=project)


def task_force_create(*, actor, region, name: str, leader: str) -> TaskForce:
    if not permissions.can_register(actor, region):
        raise NotPermitted("无权在该区域设立专班", "You may not set up a task force in this area")
    name = _text(name, "name", "请填写专班名称", "Name the task force", 80)
    leader = _text(leader, "leader", "请填写专班负责人", "Name the task force's leader", 40)
    try:
        with transaction.atomic():
            tf = TaskForce.objects.create(region=region, region_path=region.path, name=name, leader=leader)
            events.record(actor, "key_project.task_force", tf, payload={"name": name})
    except IntegrityError:
        raise ValidationFailed("该区域已有同名专班", "A task force of that name exists here", field="name") from None
    return tf


def rule_set_choose(*, actor, code: str) -> None:
    """The deployment's rule set (policy ``keyprojects.rule_set``); only administrators set policy."""
    from grassroots.core import roles as R
    from grassroots.core.models import PolicySetting
    from grassroots.core.scope import scope_for

    if actor is not None and not scope_for(actor).has_role(R.Role.ADMIN):
        raise NotPermitted("只有系统管理员可以选择亮灯规则", "Only an administrator chooses the light rules")
    if not LightRuleSet.objects.filter(code=code).exists():
        raise ValidationFailed("亮灯规则不存在", "No such light rule set", field="code")
    with transaction.atomic():
        PolicySetting.objects.update_or_create(key="keyprojects.rule_set", defaults={"value": code})
        events.record(actor, "key_project.rule_set", None, payload={"code": code})
    policy.invalidate()
