"""Posts (role + region or organisation + dates): create, and end with the handover (交接) of open tasks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import clock, events
from grassroots.core import roles as R
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.scope import active_posts_q, forget
from grassroots.territory.models import GridKind, Level, Region

from .. import handover, party_targets, permissions
from ..models import Organization, Post, Role, User
from .common import _open_from

# Which region levels each region role's post may cover.
ROLE_REGION_LEVELS = {
    Role.GRID_WORKER: {Level.GRID},
    Role.COMMUNITY_STAFF: {Level.COMMUNITY, Level.VILLAGE, Level.PARK},
    Role.COMMUNITY_SECRETARY: {Level.COMMUNITY, Level.VILLAGE, Level.PARK},
    Role.SUBDISTRICT_OFFICER: {Level.SUBDISTRICT},
    Role.ZONE_LEADER: {Level.ZONE},
    Role.HOTLINE_OPERATOR: {Level.ZONE},
    Role.PARTY_INSTRUCTOR: {Level.GRID, Level.PARK, Level.COMMUNITY, Level.VILLAGE},
}
ENTERPRISE_KINDS = {Organization.Kind.ENTERPRISE, Organization.Kind.STATE_OWNED_ENTERPRISE,
                    Organization.Kind.PROPERTY_FIRM, Organization.Kind.COOPERATIVE,
                    Organization.Kind.SOCIAL_ORGANIZATION}
COMMISSIONER_KINDS = permissions.COMMISSIONER_KINDS


def _scope_error(role: str, zh: str, en: str, field: str, code: str = "post_scope"):
    return ValidationFailed(f"「{Role(role).label}」{zh}", f"A {role} post {en}", code=code, field=field)


def _check_narrow_post_scope(role: str, region, organization, party_org_path: str) -> None:
    """Party, cooperative and park posts (``core.roles.NARROW_POSTS``)."""
    if role in R.PARTY_ORG_POSTS:
        if not party_org_path:
            raise _scope_error(role, "岗位需要指定党组织", "needs a party organisation", "party_org",
                               "post_party_org_required")
        if region is not None or organization is not None:
            raise _scope_error(role, "岗位按党组织划分，不能指定区域或单位",
                               "has a party organisation, not a region or an organisation", "region")
        party_targets.check(role, party_org_path)
        return
    if party_org_path:
        raise _scope_error(role, "岗位不设党组织", "has no party organisation", "party_org")
    if role in R.COOPERATIVE_POSTS:
        if organization is None or organization.kind != Organization.Kind.COOPERATIVE or region is not None:
            raise _scope_error(role, "岗位需要指定一家合作社", "needs a cooperative", "organization",
                               "post_organization_kind")
        if not organization.active:
            raise ValidationFailed("该单位已撤销", "The organisation is dissolved", code="post_organization_dissolved",
                                   field="organization")
        return
    # The service commissioner: one enterprise, or an enterprise grid (or a whole park) with its enterprises.
    if (region is None) == (organization is None):
        raise _scope_error(role, "岗位需要指定一家企业或一个园区企业网格", "needs an enterprise or an enterprise grid",
                           "organization")
    if region is not None and not (region.level == Level.PARK or (
            region.level == Level.GRID and region.grid_kind == GridKind.ENTERPRISE)):
        raise _scope_error(role, "岗位的区域须为园区或园区企业网格", "needs a park or an enterprise grid", "region",
                           "post_region_level")
    if region is not None and not region.active:
        raise ValidationFailed("该区域已撤销", "The region is retired", code="post_region_retired", field="region")
    if organization is not None and (organization.kind not in COMMISSIONER_KINDS or not organization.active):
        raise _scope_error(role, "岗位需要指定一家在用的企业", "needs an active enterprise", "organization",
                           "post_organization_kind")


def _check_post_scope(role: str, region: Region | None, organization: Organization | None,
                      party_org_path: str = "") -> None:
    label = Role(role).label
    if role in R.NARROW_POSTS:
        _check_narrow_post_scope(role, region, organization, party_org_path)
        return
    if party_org_path:
        raise ValidationFailed(f"「{label}」岗位不设党组织", f"A {role} post has no party organisation",
                               code="post_scope", field="party_org")
    if role in ROLE_REGION_LEVELS:
        levels = ROLE_REGION_LEVELS[role]
        if region is None or region.level not in levels:
            names = "、".join(str(Level(level).label) for level in sorted(levels))
            raise ValidationFailed(f"「{label}」岗位需要指定{names}级区域",
                                   f"A {role} post needs a region of level {', '.join(sorted(levels))}",
                                   code="post_region_level", field="region")
        if not region.active:
            raise ValidationFailed("该区域已撤销", "The region is retired", code="post_region_retired", field="region")
        if organization is not None:
            raise ValidationFailed(f"「{label}」岗位按区域划分，不能指定单位",
                                   f"A {role} post has a region, not an organisation", code="post_scope",
                                   field="organization")
    elif role in R.ORGANIZATION_POSTS:
        if organization is None:
            raise ValidationFailed(f"「{label}」岗位需要指定所在单位", f"A {role} post needs an organisation",
                                   code="post_organization_required", field="organization")
        if not organization.active:
            raise ValidationFailed("该单位已撤销", "The organisation is dissolved", code="post_organization_dissolved",
                                   field="organization")
        if role == Role.ENTERPRISE_CONTACT and organization.kind not in ENTERPRISE_KINDS:
            raise ValidationFailed("企业联系人需要指定一家企业", "An enterprise contact needs an enterprise",
                                   code="post_organization_kind", field="organization")
        if role == Role.DEPARTMENT_HANDLER and organization.kind in ENTERPRISE_KINDS:
            raise ValidationFailed("部门办理人需要指定职能部门或机关单位", "A department handler needs a department or agency",
                                   code="post_organization_kind", field="organization")
        if region is not None:
            raise ValidationFailed(f"「{label}」岗位按单位划分，不能指定区域", f"A {role} post has an organisation, not a region",
                                   code="post_scope", field="region")
    elif region is not None or organization is not None:
        raise ValidationFailed(f"「{label}」岗位不设区域或单位", f"A {role} post has no region or organisation",
                               code="post_scope", field="region")


def _check_role_combination(user: User, role: str, start: dt.date, exclude_pk=None) -> None:
    """System roles stay apart from business roles, and admin from auditor (等保: separated admin roles)."""
    others = Post.objects.filter(user=user).filter(_open_from(start))
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    other_roles = set(others.values_list("role", flat=True))
    if role in set(R.SYSTEM):
        business = other_roles - set(R.SYSTEM)
        if business:
            raise ValidationFailed(
                f"系统角色「{Role(role).label}」不能与业务岗位（{'、'.join(str(Role(r).label) for r in sorted(business))}）由同一账号兼任",
                f"The system role {role} cannot be combined with business posts ({', '.join(sorted(business))}) on one account",
                code="post_role_combination", field="role")
        clash = (other_roles & set(R.SYSTEM)) - {role}
        if clash:
            raise ValidationFailed("系统管理员与审计管理员须由不同账号担任",
                                   "The system administrator and the auditor must be different accounts",
                                   code="post_role_combination", field="role")
    else:
        system = other_roles & set(R.SYSTEM)
        if system:
            raise ValidationFailed(
                f"该账号担任系统角色（{'、'.join(str(Role(r).label) for r in sorted(system))}），不能兼任业务岗位",
                f"This account holds a system role ({', '.join(sorted(system))}) and cannot hold business posts",
                code="post_role_combination", field="role")


def post_create(*, actor, user: User, role: str, region: Region | None = None,
                organization: Organization | None = None, title: str = "",
                start_date: dt.date | None = None, party_org_path: str = "") -> Post:
    """Create a post. A party post's ``party_org_path`` comes from the party app's post service, which checks the
    party organisation (kind, active) before calling this one."""
    if not permissions.can_manage_posts(actor):
        raise NotPermitted("只有系统管理员可以设置岗位", "Only the system administrator manages posts",
                           code="post_denied")
    if role not in Role.values:
        raise ValidationFailed(f"未知的角色「{role}」", f"Unknown role {role!r}", code="role", field="role")
    if role == Role.RESIDENT:
        raise ValidationFailed("居民不是岗位：账号关联人员即为居民", "Resident is not a post: an account linked to a person is a "
                               "resident", code="post_scope", field="role")
    start = start_date or clock.today()
    party_org_path = (party_org_path or "").strip()
    _check_post_scope(role, region, organization, party_org_path)
    if not user.is_active:
        raise ValidationFailed("该账号已停用", "The account is disabled", code="user_inactive", field="user")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        _check_role_combination(user, role, start)
        if Post.objects.filter(_open_from(start), user=user, role=role, region=region,
                               organization=organization, party_org_path=party_org_path).exists():
            raise ValidationFailed("该账号已担任相同岗位", "The account already holds this post", code="post_duplicate",
                                   field="role")
        post = Post.objects.create(user=user, role=role, region=region, organization=organization,
                                   party_org_path=party_org_path, title=(title or "").strip()[:64], start_date=start)
        events.record(actor, "post.create", post, to_state="active",
                      payload={"user": user.pk, "role": role, "region": getattr(region, "pk", None),
                               "organization": getattr(organization, "pk", None), "party_org_path": party_org_path,
                               "start_date": start.isoformat()})
    forget(user)
    return post


def post_end(*, actor, post: Post, end_date: dt.date | None = None, successor: User | None = None,
             note: str = "") -> Post:
    """End a post; its open tasks go to the successor (交接) through the registered handover handlers."""
    if not permissions.can_end_post(actor, post):
        raise NotPermitted("只有系统管理员可以结束岗位", "Only the system administrator ends posts", code="post_denied")
    end = end_date or clock.today()
    if end < post.start_date:
        raise ValidationFailed("结束日期不能早于开始日期", "The end date cannot be before the start date",
                               code="post_end_before_start", field="end_date")
    if successor is not None:
        if successor.pk == post.user_id:
            raise ValidationFailed("接任人不能是本人", "The successor must be someone else", code="successor_self",
                                   field="successor")
        if not successor.is_active or not Post.objects.filter(
                active_posts_q(end), user=successor, role=post.role, region_id=post.region_id,
                organization_id=post.organization_id, party_org_path=post.party_org_path).exists():
            raise ValidationFailed("接任人须担任相同区域或单位的同一岗位（请先为其设置岗位）",
                                   "The successor must hold the same post for the same region or organisation "
                                   "(create their post first)", code="successor_post", field="successor")
    with transaction.atomic():
        updated = Post.objects.filter(pk=post.pk, end_date__isnull=True).update(
            end_date=end, successor=successor, handover_note=(note or "").strip(), updated_at=clock.now())
        if updated != 1:
            raise Conflict("该岗位已结束", "The post has already ended", code="post_ended",
                           details={"current_state": "ended"})
        pending = handover.open_tasks(actor=actor, post=post)
        if pending and successor is None:
            total = sum(pending.values())
            raise ValidationFailed(f"该岗位还有 {total} 项未办结任务，请指定接任人进行交接",
                                   f"The post still has {total} open tasks; name a successor to hand them over",
                                   code="successor_required", field="successor", details={"open_tasks": pending})
        moved = handover.hand_over(actor=actor, post=post, successor=successor) if successor is not None else {}
        post.refresh_from_db()
        events.record(actor, "post.end", post, from_state="active", to_state="ended",
                      payload={"end_date": end.isoformat(), "successor": getattr(successor, "pk", None),
                               "handed_over": moved, "note": post.handover_note[:200]})
    forget(post.user)
    return post
