"""The category seed file (``categories.json``): read, resolve class defaults, validate, and load.

A file is validated as a whole first; every bad entry is reported with its position and reason, and nothing is
written while any entry is bad. Loading is an idempotent upsert keyed by the category code and, for time limits,
by (category, tier, stage). Department names are matched to ``people.Organization`` names; a name with no
organisation is a warning (the category keeps no default department), not an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from grassroots.core import events
from grassroots.core.errors import ValidationFailed

from .. import policy

DEFAULT_FILE = Path(__file__).with_name("categories.json")
SCHEMA = "grassroots.case_categories/1"
TIERS = ("grid", "community", "subdistrict", "zone")
STAGES = ("accept", "dispatch", "acknowledge", "handle", "verify")
UNITS = ("minutes", "hours", "working_days")
KINDS = ("component", "event", "social")
EMERGENCY_SERVICES = ("", "110", "119", "120")
INHERITED = ("kind", "tier", "on_site", "department", "public", "emergency", "emergency_service", "profile",
             "public_never")
KNOWN_KEYS = {"code", "name", "parent", "kind", "tier", "on_site", "department", "public", "emergency",
              "emergency_service", "profile", "time_limits", "aliases", "description", "public_never", "active"}


@dataclass
class CategoryEntry:
    position: int
    code: str
    name: str
    kind: str
    parent: str
    tier: str
    on_site: bool
    department: str
    public: bool
    emergency: bool
    emergency_service: str
    limits: dict[tuple[str, str], tuple[int, str]]
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    active: bool = True


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    limits_created: int = 0
    limits_updated: int = 0
    warnings: list[str] = field(default_factory=list)


class CatalogInvalid(ValidationFailed):
    def __init__(self, problems: list[str]):
        super().__init__(f"分类文件有 {len(problems)} 处错误，未写入任何数据",
                         f"The category file has {len(problems)} error(s); nothing was written",
                         code="catalog_invalid", details={"errors": problems})
        self.problems = problems


def read(path: str | Path | None = None) -> dict:
    path = Path(path) if path else DEFAULT_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogInvalid([f"文件不存在 / file not found: {path}"])
    except json.JSONDecodeError as exc:
        raise CatalogInvalid([f"第 {exc.lineno} 行 JSON 格式错误 / line {exc.lineno}: invalid JSON ({exc.msg})"])


def _limit(value, where: str, problems: list[str]) -> tuple[int, str] | None:
    if (not isinstance(value, (list, tuple)) or len(value) != 2 or not isinstance(value[0], int)
            or isinstance(value[0], bool)):
        problems.append(f"{where}: 时限应为 [数量, 单位] / a limit is [amount, unit], got {value!r}")
        return None
    amount, unit = value
    if amount <= 0:
        problems.append(f"{where}: 时限必须大于 0 / amount must be positive, got {amount}")
        return None
    if unit not in UNITS:
        problems.append(f"{where}: 未知时间单位 / unknown unit {unit!r} (use {', '.join(UNITS)})")
        return None
    return amount, unit


def _profiles(doc: dict, problems: list[str]) -> dict[str, dict[tuple[str, str], tuple[int, str]]]:
    result: dict[str, dict] = {}
    raw = doc.get("profiles")
    if not isinstance(raw, dict) or not raw:
        problems.append("profiles: 缺少时限方案 / no time-limit profiles")
        return result
    for name, tiers in raw.items():
        limits: dict[tuple[str, str], tuple[int, str]] = {}
        if not isinstance(tiers, dict):
            problems.append(f"profiles.{name}: 应为对象 / must be an object")
            continue
        for tier in TIERS:
            stages = tiers.get(tier)
            if not isinstance(stages, dict):
                problems.append(f"profiles.{name}.{tier}: 缺少该层级的时限 / missing tier")
                continue
            for stage in STAGES:
                if stage not in stages:
                    problems.append(f"profiles.{name}.{tier}.{stage}: 缺少该环节的时限 / missing stage")
                    continue
                value = _limit(stages[stage], f"profiles.{name}.{tier}.{stage}", problems)
                if value:
                    limits[(tier, stage)] = value
        for tier in set(tiers) - set(TIERS):
            problems.append(f"profiles.{name}: 未知层级 / unknown tier {tier!r}")
        result[name] = limits
    return result


def parse(doc: dict) -> tuple[list[CategoryEntry], dict[tuple[str, str], tuple[int, str]]]:
    """Validate the whole document; return the resolved entries and the global default limits, or raise."""
    problems: list[str] = []
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise CatalogInvalid([f"schema: 应为 {SCHEMA} / expected schema {SCHEMA!r}"])
    profiles = _profiles(doc, problems)
    rows = doc.get("categories")
    if not isinstance(rows, list) or not rows:
        raise CatalogInvalid(problems + ["categories: 没有分类 / no categories"])
    by_code: dict[str, dict] = {}
    for i, row in enumerate(rows):
        where = f"categories[{i}]"
        if not isinstance(row, dict):
            problems.append(f"{where}: 应为对象 / must be an object")
            continue
        code = str(row.get("code") or "").strip()
        where = f"categories[{i}] {code or '(无编码)'}"
        if not code:
            problems.append(f"{where}: 缺少编码 / missing code")
            continue
        if len(code) > 32:
            problems.append(f"{where}: 编码过长 / code longer than 32 characters")
        if code in by_code:
            problems.append(f"{where}: 编码重复 / duplicate code (also categories[{by_code[code]['_i']}])")
            continue
        unknown = set(row) - KNOWN_KEYS
        if unknown:
            problems.append(f"{where}: 未知字段 / unknown fields {', '.join(sorted(unknown))}")
        by_code[code] = {**row, "_i": i}

    entries: list[CategoryEntry] = []
    for code, row in by_code.items():
        i = row["_i"]
        where = f"categories[{i}] {code}"
        parent_code = str(row.get("parent") or "").strip()
        parent = by_code.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            problems.append(f"{where}: 上级分类 {parent_code} 不存在 / unknown parent {parent_code}")
            continue
        if parent is not None and parent.get("parent"):
            problems.append(f"{where}: 上级 {parent_code} 本身是小类，只支持两级 / the parent must be a class")
            continue
        merged = {k: parent[k] for k in INHERITED if parent is not None and k in parent}
        merged.update({k: v for k, v in row.items() if k in INHERITED})
        name = str(row.get("name") or "").strip()
        if not name or len(name) > 100:
            problems.append(f"{where}: 名称为空或过长 / name missing or longer than 100 characters")
        kind = merged.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: 类别应为 {'/'.join(KINDS)} / bad kind {kind!r}")
        if parent is not None and "kind" in row and row["kind"] != parent.get("kind"):
            problems.append(f"{where}: 类别与上级不同 / kind differs from its class")
        tier = merged.get("tier")
        if tier not in TIERS:
            problems.append(f"{where}: 响应层级应为 {'/'.join(TIERS)} / bad tier {tier!r}")
        flags = {}
        for key in ("on_site", "public", "emergency"):
            value = merged.get(key)
            if not isinstance(value, bool):
                problems.append(f"{where}: {key} 应为 true/false / {key} must be a boolean, got {value!r}")
            flags[key] = bool(value)
        if flags["public"] and merged.get("public_never"):
            problems.append(f"{where}: 此类事件不得公开（矛盾纠纷、个人求助、企业诉求）/ this class may never be public")
        service = str(merged.get("emergency_service") or "") if flags["emergency"] else ""
        if "emergency_service" in row and not flags["emergency"] and row["emergency_service"]:
            problems.append(f"{where}: 非紧急类不设应急电话 / emergency_service set on a non-emergency category")
        if service not in EMERGENCY_SERVICES:
            problems.append(f"{where}: 应急电话只能是 110/119/120 / bad emergency_service {service!r}")
        department = merged.get("department") or ""
        if not isinstance(department, str):
            problems.append(f"{where}: department 应为单位名称 / department must be a name")
            department = ""
        profile = merged.get("profile")
        if profile not in profiles:
            problems.append(f"{where}: 未知时限方案 / unknown profile {profile!r}")
            limits = {}
        else:
            limits = dict(profiles[profile])
        overrides = row.get("time_limits") or {}
        if not isinstance(overrides, dict):
            problems.append(f"{where}: time_limits 应为对象 / time_limits must be an object")
            overrides = {}
        for tier_key, stages in overrides.items():
            if tier_key not in TIERS or not isinstance(stages, dict):
                problems.append(f"{where}: time_limits 未知层级 / unknown tier {tier_key!r}")
                continue
            for stage, value in stages.items():
                if stage not in STAGES:
                    problems.append(f"{where}: time_limits.{tier_key} 未知环节 / unknown stage {stage!r}")
                    continue
                limit = _limit(value, f"{where} time_limits.{tier_key}.{stage}", problems)
                if limit:
                    limits[(tier_key, stage)] = limit
        aliases = row.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            problems.append(f"{where}: aliases 应为名称列表 / aliases must be a list of names")
            aliases = []
        entries.append(CategoryEntry(
            position=i, code=code, name=name, kind=kind or "", parent=parent_code, tier=tier or "",
            on_site=flags["on_site"], department=department.strip(), public=flags["public"],
            emergency=flags["emergency"], emergency_service=service, limits=limits,
            aliases=[a.strip() for a in aliases], description=str(row.get("description") or ""),
            active=bool(row.get("active", True)),
        ))
    seen_names: dict[str, str] = {}
    for entry in entries:
        if not entry.parent:
            continue
        for name in [entry.name, *entry.aliases]:
            other = seen_names.setdefault(name, entry.code)
            if other != entry.code:
                problems.append(f"categories[{entry.position}] {entry.code}: 名称或别名「{name}」与 {other} 重复 / "
                                f"name or alias {name!r} also used by {other}")
    if problems:
        raise CatalogInvalid(problems)
    defaults = profiles.get(doc.get("default_profile", "routine"), {})
    entries.sort(key=lambda e: (bool(e.parent), e.position))  # classes first, so parents exist when children load
    return entries, defaults


def load(*, actor, doc: dict) -> LoadReport:
    """Validate ``doc`` and upsert its categories and time limits in one transaction."""
    from grassroots.people.models import Organization

    from ..models import Category, TimeLimit

    entries, defaults = parse(doc)
    report = LoadReport()
    org_names = {e.department for e in entries if e.department}
    orgs: dict[str, int] = {}
    for org_id, name, kind in Organization.objects.filter(name__in=org_names, active=True).values_list(
            "id", "name", "kind").order_by("id"):
        if name not in orgs or kind == Organization.Kind.DEPARTMENT:
            orgs[name] = org_id
    for name in sorted(org_names - set(orgs)):
        codes = ", ".join(e.code for e in entries if e.department == name)
        report.warnings.append(f"未找到单位「{name}」，这些类别暂无默认主办单位 / no organisation named {name!r} "
                               f"(categories {codes})")
    with transaction.atomic():
        existing = {c.code: c for c in Category.objects.select_for_update().filter(
            code__in=[e.code for e in entries])}
        by_code: dict[str, Category] = {}
        for entry in entries:
            values = {
                "name": entry.name, "kind": entry.kind, "default_tier": entry.tier,
                "on_site_allowed": entry.on_site, "default_department_id": orgs.get(entry.department),
                "public_allowed": entry.public, "emergency": entry.emergency,
                "emergency_service": entry.emergency_service, "sort_order": entry.position,
                "parent_id": by_code[entry.parent].pk if entry.parent else None, "active": entry.active,
            }
            if entry.description:
                values["description"] = entry.description
            category = existing.get(entry.code)
            if category is None:
                category = Category.objects.create(code=entry.code, **values)
                report.created += 1
            else:
                changed = [k for k, v in values.items() if getattr(category, k) != v]
                if changed:
                    for k in changed:
                        setattr(category, k, values[k])
                    category.save(update_fields=[*changed, "updated_at"])
                    report.updated += 1
                else:
                    report.unchanged += 1
            by_code[entry.code] = category

        wanted: dict[tuple[int | None, str, str], tuple[int, str]] = {}
        for (tier, stage), value in defaults.items():
            wanted[(None, tier, stage)] = value
        for entry in entries:
            for (tier, stage), value in entry.limits.items():
                wanted[(by_code[entry.code].pk, tier, stage)] = value
        current = {(t.category_id, t.tier, t.stage): t for t in TimeLimit.objects.filter(
            category_id__in=[c.pk for c in by_code.values()])}
        current.update({(None, t.tier, t.stage): t for t in TimeLimit.objects.filter(category__isnull=True)})
        new, changed_rows = [], []
        for key, (amount, unit) in wanted.items():
            row = current.get(key)
            if row is None:
                new.append(TimeLimit(category_id=key[0], tier=key[1], stage=key[2], amount=amount, unit=unit))
            elif (row.amount, row.unit) != (amount, unit):
                row.amount, row.unit = amount, unit
                changed_rows.append(row)
        TimeLimit.objects.bulk_create(new, batch_size=500)
        TimeLimit.objects.bulk_update(changed_rows, ["amount", "unit"], batch_size=500)
        report.limits_created, report.limits_updated = len(new), len(changed_rows)
        events.record(actor, "category.load", None, object_type="cases.category", payload={
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "limits_created": report.limits_created, "limits_updated": report.limits_updated,
            "warnings": len(report.warnings)})
        transaction.on_commit(policy.invalidate)  # bulk writes send no signals
    return report


def aliases(doc: dict | None = None) -> dict[str, str]:
    """Alias → category code, from the seed file (for work-order import of 12345 category names)."""
    doc = doc if doc is not None else read()
    result: dict[str, str] = {}
    for row in doc.get("categories", []):
        for name in row.get("aliases") or []:
            result[name] = row["code"]
    return result
