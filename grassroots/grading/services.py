"""The only writers of grading data. Each function runs in one transaction and records an event.

Results are never typed in: every entry written recomputes its assessment (``grading.scoring``) and the ranks of the
scheme; a change of grade bands recomputes every assessment of the scheme.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from grassroots.core import attachments, clock, events
from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.core.imports import export_xlsx
from grassroots.core.transitions import compare_and_set

from . import scoring, selectors, targets
from .models import Assessment, Entry, GradeBand, Indicator, Scheme
from .permissions import can_assess, can_manage_region, can_manage_scheme
from .states import (
    SCHEME_TRANSITIONS,
    STATUS_LABELS,
    VALUE_BOUNDS,
    WHOLE_NUMBER_METHODS,
    IndicatorKind,
    Method,
    SchemeStatus,
)

MAX_SCORE = Decimal("999999.99")


def _not_permitted():
    return NotPermitted("无权管理该考核方案", "You may not manage this assessment scheme")


def _decimal(value, field: str, *, allow_none: bool = False) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationFailed("请填写分值", "Enter a score", field=field)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed("分值须为数字", "The score must be a number", field=field)
    if not number.is_finite() or number < 0 or number > MAX_SCORE:
        raise ValidationFailed("分值须为 0 至 999999.99 之间的数", "The score must be between 0 and 999999.99",
                               field=field)
    return number.quantize(Decimal("0.01"))


def _length(value: str, field: str, max_length: int) -> str:
    if len(value) > max_length:
        raise ValidationFailed(f"不能超过 {max_length} 字", f"At most {max_length} characters", field=field)
    return value


def _require_status(scheme: Scheme, *allowed: str) -> None:
    if scheme.status not in allowed:
        raise Conflict("方案当前状态不允许此操作", "The scheme's state does not allow this",
                       code="state_conflict", details={"current_state": scheme.status})


def _lock(scheme: Scheme) -> Scheme:
    return Scheme.objects.select_for_update().get(pk=scheme.pk)


# --- schemes ------------------------------------------------------------------------------------------------------
def scheme_create(*, actor, name: str, year: int, target_type: str, region, bonus_limit=None, deduction_limit=None,
                  note: str = "") -> Scheme:
    kind = targets.get(target_type)
    name = _length((name or "").strip(), "name", 120)
    if not name:
        raise ValidationFailed("请填写方案名称", "Enter the scheme's name", field="name")
    if not (1900 <= int(year or 0) <= 2999):
        raise ValidationFailed("年度无效", "Invalid year", field="year")
    if not can_manage_region(actor, kind, region):
        raise _not_permitted()
    with transaction.atomic():
        if Scheme.objects.filter(year=year, target_type=target_type, name=name).exists():
            raise ValidationFailed("同年度已有同名方案", "A scheme with this name exists for the year", field="name")
        scheme = Scheme.objects.create(
            name=name, year=year, target_type=target_type, region=region, note=note,
            bonus_limit=_decimal(bonus_limit, "bonus_limit", allow_none=True),
            deduction_limit=_decimal(deduction_limit, "deduction_limit", allow_none=True),
            created_by=actor if getattr(actor, "is_authenticated", False) else None)
        events.record(actor, "scheme.create", scheme, to_state=scheme.status,
                      payload={"year": year, "target_type": target_type})
    return scheme


def scheme_limits_set(*, actor, scheme: Scheme, bonus_limit=None, deduction_limit=None, veto_grade=None) -> Scheme:
    if not can_manage_scheme(actor, scheme):
        raise _not_permitted()
    if veto_grade is not None and veto_grade.scheme_id != scheme.pk:
        raise ValidationFailed("否决等次须是本方案的等次", "The veto grade must be one of this scheme's bands",
                               field="veto_grade")
    with transaction.atomic():
        scheme = _lock(scheme)
        _require_status(scheme, SchemeStatus.DRAFT)
        scheme.bonus_limit = _decimal(bonus_limit, "bonus_limit", allow_none=True)
        scheme.deduction_limit = _decimal(deduction_limit, "deduction_limit", allow_none=True)
        scheme.veto_grade = veto_grade
        scheme.save(update_fields=["bonus_limit", "deduction_limit", "veto_grade", "updated_at"])
        events.record(actor, "scheme.limits", scheme, payload={
            "bonus_limit": str(scheme.bonus_limit), "deduction_limit": str(scheme.deduction_limit),
            "veto_grade": veto_grade.pk if veto_grade else None})
    return scheme


def _move(actor, scheme: Scheme, verb: str) -> Scheme:
    if not can_manage_scheme(actor, scheme):
        raise _not_permitted()
    move = SCHEME_TRANSITIONS[verb]
    with transaction.atomic():
        current = _lock(scheme)
        if verb == "open":
            if not current.indicators.exclude(method=Method.GROUP).exists():
                raise ValidationFailed("方案还没有可评分的指标", "The scheme has no indicator to score", field="indicators")
            if not current.bands.exists():
                raise ValidationFailed("方案还没有评价等次", "The scheme has no grade bands", field="bands")
        compare_and_set(Scheme, scheme.pk, from_states=move.sources, to_state=move.target, labels=STATUS_LABELS)
        events.record(actor, f"scheme.{verb}", scheme, from_state=current.status, to_state=move.target)
    scheme.refresh_from_db()
    return scheme


def scheme_open(*, actor, scheme: Scheme) -> Scheme:
    return _move(actor, scheme, "open")


def scheme_close(*, actor, scheme: Scheme) -> Scheme:
    return _move(actor, scheme, "close")


def scheme_reopen(*, actor, scheme: Scheme) -> Scheme:
    return _move(actor, scheme, "reopen")


# --- indicators and bands -----------------------------------------------------------------------------------------
def indicator_add(*, actor, scheme: Scheme, code: str, name: str, method: str, max_score, kind: str = "standard",
                  unit_score=0, parent: Indicator | None = None, guidance: str = "", order: int = 0) -> Indicator:
    if not can_manage_scheme(actor, scheme):
        raise _not_permitted()
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ValidationFailed("请填写指标编号和名称", "Enter the indicator's code and name",
                               field="code" if not code else "name")
    code, name = _length(code, "code", 16), _length(name, "name", 200)
    if method not in Method.values:
        raise ValidationFailed("评分方式无效", "Invalid scoring method", field="method")
    if kind not in IndicatorKind.values:
        raise ValidationFailed("指标类别无效", "Invalid indicator kind", field="kind")
    max_score = _decimal(max_score, "max_score")
    unit_score = _decimal(unit_score or 0, "unit_score")
    if method == Method.COUNT and unit_score <= 0:
        raise ValidationFailed("计数类指标须填写每项分值", "A count indicator needs its points per unit", field="unit_score")
    if parent is not None:
        if parent.scheme_id != scheme.pk or parent.method != Method.GROUP:
            raise ValidationFailed("上级指标须是本方案的指标组", "The parent must be a group of this scheme", field="parent")
        if parent.kind != kind:
            raise ValidationFailed("下级指标须与指标组同类", "An indicator has its group's kind", field="kind")
    with transaction.atomic():
        scheme = _lock(scheme)
        _require_status(scheme, SchemeStatus.DRAFT)
        if scheme.indicators.filter(code=code).exists():
            raise ValidationFailed("指标编号已存在", "This indicator code exists", field="code")
        indicator = Indicator.objects.create(scheme=scheme, parent=parent, code=code, name=name, kind=kind,
                                             method=method, max_score=max_score, unit_score=unit_score,
                                             guidance=guidance, order=order)
        events.record(actor, "indicator.create", indicator, payload={
            "scheme": scheme.pk, "code": code, "method": method, "kind": kind, "max_score": str(max_score)})
    return indicator


def indicator_remove(*, actor, indicator: Indicator) -> None:
    scheme = indicator.scheme
    if not can_manage_scheme(actor, scheme):
        raise _not_permitted()
    with transaction.atomic():
        scheme = _lock(scheme)
        _require_status(scheme, SchemeStatus.DRAFT)
        events.record(actor, "indicator.delete", indicator, payload={"scheme": scheme.pk, "code": indicator.code})
        indicator.delete()


def band_set(*, actor, scheme: Scheme, code: str, name: str, min_score) -> GradeBand:
    """Add or change a grade band (by its code). Allowed while the scheme is a draft or open; results follow."""
    if not can_manage_scheme(actor, scheme):
        raise _not_permitted()
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ValidationFailed("请填写等次代码和名称", "Enter the band's code and name", field="code" if not code else "name")
    code, name = _length(code, "code", 32), _length(name, "name", 32)
    min_score = _decimal(min_score, "min_score")
    with transaction.atomic():
        scheme = _lock(scheme)
        _require_status(scheme, SchemeStatus.DRAFT, SchemeStatus.OPEN)
        if scheme.bands.filter(min_score=min_score).exclude(code=code).exists():
            raise ValidationFailed("已有等次使用该最低分", "Another band has this minimum", field="min_score")
        band, created = GradeBand.objects.update_or_create(scheme=scheme, code=code,
                                                           defaults={"name": name, "min_score": min_score})
        events.record(actor, "band.create" if created else "band.update", band,
                      payload={"scheme": scheme.pk, "code": code, "min_score": str(min_score)})
        _recompute_scheme(scheme)
    return band


def band_remove(*, actor, band: GradeBand) -> None:
    scheme = band.scheme
    if not can_manage_scheme(actor, scheme):
        raise _not_permitted()
    with transaction.atomic():
        scheme = _lock(scheme)
        _require_status(scheme, SchemeStatus.DRAFT)
        events.record(actor, "band.delete", band, payload={"scheme": scheme.pk, "code": band.code})
        band.delete()


# --- targets and entries ------------------------------------------------------------------------------------------
def assessment_add(*, actor, scheme: Scheme, target_id: int) -> Assessment:
    """Take a target into the scheme: the actor manages the scheme and sees the target (the kind's selector)."""
    if not can_manage_scheme(actor, scheme):
        raise _not_permitted()
    kind = targets.get(scheme.target_type)
    source = kind.model_class.objects.all() if actor is None else kind.visible(actor)
    target = source.filter(pk=target_id).first()
    if target is None:
        raise NotFound("考核对象不存在", "Target not found")
    with transaction.atomic():
        scheme = _lock(scheme)
        _require_status(scheme, SchemeStatus.DRAFT, SchemeStatus.OPEN)
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(scheme=scheme, target_ct=kind.content_type(),
                                                       target_id=target.pk, target_label=str(target)[:200])
        except IntegrityError:
            raise ValidationFailed("该对象已在方案中", "This target is already in the scheme", field="target_id")
        events.record(actor, "assessment.create", assessment, payload={"scheme": scheme.pk, "target": target.pk})
        _recompute_scheme(scheme)
    assessment.refresh_from_db()
    return assessment


def _check_value(indicator: Indicator, value) -> Decimal:
    field = f"value_{indicator.pk}"
    if indicator.method == Method.GROUP:
        raise ValidationFailed("指标组不直接评分", "A group is not scored directly", field=field)
    number = _decimal(value, field)
    low, high = VALUE_BOUNDS[indicator.method]
    if number < low or (high is not None and number > high):
        raise ValidationFailed(f"「{indicator.name}」的评分值须在 {low}–{high} 之间",
                               f"The value of '{indicator.code}' must be between {low} and {high}", field=field)
    if indicator.method in WHOLE_NUMBER_METHODS and number != number.to_integral_value():
        raise ValidationFailed(f"「{indicator.name}」的评分值须为整数", f"The value of '{indicator.code}' must be a whole number",
                               field=field)
    return number


def entries_record(*, actor, assessment: Assessment, values: dict, notes: dict | None = None) -> list[Entry]:
    """Record the actor's values ({indicator id: value}) for one assessment; all or nothing. A blank value leaves
    the indicator as it was."""
    assessment.scheme.refresh_from_db(fields=["status"])
    if not can_assess(actor, assessment):
        raise NotPermitted("无权为该对象评分（方案未开放或不在评分范围内）",
                           "You may not score this target (the scheme is not open, or the target is not yours to assess)")
    notes = notes or {}
    indicators = {i.pk: i for i in assessment.scheme.indicators.all()}
    checked = []
    for key, value in values.items():
        indicator = indicators.get(int(key)) if str(key).isdigit() else None
        if indicator is None:
            raise ValidationFailed("指标不属于该方案", "The indicator is not part of this scheme", field="indicator")
        if value is None or str(value).strip() == "":
            continue
        checked.append((indicator, _check_value(indicator, value), str(notes.get(key, "") or "")[:500]))
    if not checked:
        raise ValidationFailed("请至少填写一项评分", "Enter at least one value", field="values")
    written = []
    with transaction.atomic():
        scheme = _lock(assessment.scheme)
        _require_status(scheme, SchemeStatus.OPEN)
        for indicator, value, note in checked:
            entry, created = Entry.objects.update_or_create(
                assessment=assessment, indicator=indicator, assessor=actor, defaults={"value": value, "note": note})
            written.append(entry)
            events.record(actor, "entry.create" if created else "entry.update", entry, payload={
                "assessment": assessment.pk, "indicator": indicator.code, "value": str(value)})
        _recompute_scheme(scheme)
    return written


def entry_record(*, actor, assessment: Assessment, indicator: Indicator, value, note: str = "") -> Entry:
    return entries_record(actor=actor, assessment=assessment, values={indicator.pk: value},
                          notes={indicator.pk: note})[0]


def evidence_add(*, actor, entry: Entry, upload):
    """Attach evidence to one's own entry (through ``core.attachments``)."""
    if entry.assessor_id != getattr(actor, "pk", None):
        raise NotPermitted("只能为自己的评分上传佐证材料", "Only the assessor attaches evidence to an entry")
    entry.assessment.scheme.refresh_from_db(fields=["status"])
    if entry.assessment.scheme.status != SchemeStatus.OPEN:
        raise Conflict("方案未开放评分", "The scheme is not open", code="state_conflict",
                       details={"current_state": entry.assessment.scheme.status})
    return attachments.attachment_create(actor=actor, upload=upload, obj=entry)


# --- results ------------------------------------------------------------------------------------------------------
def _recompute_scheme(scheme: Scheme) -> None:
    """Every assessment's result and the ranks, from the entries (inside the caller's transaction)."""
    nodes = list(scheme.indicators.all())
    bands = [scoring.Band(b.pk, b.min_score) for b in scheme.bands.all()]
    values: dict[tuple[int, int], list[Decimal]] = {}
    for assessment_id, indicator_id, value in Entry.objects.filter(assessment__scheme=scheme).values_list(
            "assessment_id", "indicator_id", "value"):
        values.setdefault((assessment_id, indicator_id), []).append(value)
    now = clock.now()
    rows = list(scheme.assessments.all())
    for a in rows:
        tree = [scoring.Node(i.pk, i.parent_id, i.kind, i.method, i.max_score, i.unit_score,
                             values.get((a.pk, i.pk), [])) for i in nodes]
        r = scoring.compute(tree, bonus_limit=scheme.bonus_limit, deduction_limit=scheme.deduction_limit,
                            bands=bands, veto_band_id=scheme.veto_grade_id)
        a.base_score, a.bonus_score, a.deduction_score = r.base, r.bonus, r.deduction
        a.total_score, a.vetoed, a.grade_id, a.computed_at = r.total, r.vetoed, r.grade_id, now
    ranked = scoring.ranks((a.pk, a.vetoed, a.total_score) for a in rows)
    for a in rows:
        a.rank = ranked.get(a.pk)
    Assessment.objects.bulk_update(rows, ["base_score", "bonus_score", "deduction_score", "total_score", "vetoed",
                                          "grade_id", "rank", "computed_at"])


def indicator_scores(*, actor, assessment: Assessment) -> dict[int, Decimal]:
    """Each indicator's score for one assessment (the page's breakdown), computed like the result."""
    assessment = selectors.assessment_get(actor=actor, pk=assessment.pk)
    scheme = assessment.scheme
    values: dict[int, list[Decimal]] = {}
    for indicator_id, value in assessment.entries.values_list("indicator_id", "value"):
        values.setdefault(indicator_id, []).append(value)
    tree = [scoring.Node(i.pk, i.parent_id, i.kind, i.method, i.max_score, i.unit_score, values.get(i.pk, []))
            for i in scheme.indicators.all()]
    return scoring.compute(tree, bonus_limit=scheme.bonus_limit, deduction_limit=scheme.deduction_limit, bands=[],
                           veto_band_id=None).scores


RESULT_COLUMNS = ("排名", "考核对象", "基本得分", "加分", "扣分", "总分", "一票否决", "等次")


def results_export(*, actor, scheme: Scheme) -> bytes:
    """The scheme's results the actor sees, as Excel (the one place grading calls the exporter)."""
    rows = [(a.rank, a.target_label, a.base_score, a.bonus_score, a.deduction_score, a.total_score,
             "是" if a.vetoed else "", a.grade.name if a.grade_id else "")
            for a in selectors.results(actor=actor, scheme=scheme)]
    events.record(actor, "scheme.export", scheme, payload={"rows": len(rows)})
    title = "".join(ch for ch in f"{scheme.year}{scheme.name}" if ch not in '\\/?*[]:')[:31]  # Excel's rule
    return export_xlsx(RESULT_COLUMNS, rows, sheet_title=title or "考核结果")
