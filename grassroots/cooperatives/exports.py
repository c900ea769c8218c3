"""Exports of the cooperatives (``core.exports``): a plan with every member's part, and the member register with
each account. Rows come through the selectors, so a member exports only their own line."""

from __future__ import annotations

from django.utils.translation import gettext as _

from grassroots.core import exports
from grassroots.core.errors import NotFound

from . import selectors


def _plan(request):
    if "plan" not in request.memo:
        try:
            request.memo["plan"] = selectors.plan(actor=request.actor, pk=int(request.get("plan", 0)))
        except (TypeError, ValueError):
            raise NotFound() from None
    return request.memo["plan"]


def _plan_columns(request):
    return [_("成员编号"), exports.Column(_("成员"), 24), _("出资额"), _("公积金份额（分配前）"), _("量化补助份额"),
            _("分配基数"), _("交易额"), _("按交易量返还"), _("按出资等分配"), _("应分现金"), _("新增公积金份额"),
            _("兑付日期")]


def _plan_rows(request):
    plan = _plan(request)
    for ln in selectors.plan_lines(actor=request.actor, plan=plan):
        yield [ln.member.code, ln.member.display_name, ln.contribution, ln.reserve_share, ln.subsidy_share, ln.basis,
               ln.transactions, ln.refund, ln.by_basis, ln.cash, ln.reserve_share_added, ln.paid_on]


def _plan_notes(request):
    p = _plan(request)
    return [(_("合作社"), p.cooperative.name), (_("年度"), str(p.year)), (_("状态"), str(p.get_status_display())),
            (_("当年盈余"), str(p.surplus)), (_("弥补亏损"), str(p.loss_to_cover)), (_("提取公积金"), str(p.reserve)),
            (_("可分配盈余"), str(p.distributable)), (_("按交易量返还"), str(p.refund_total)),
            (_("按出资等分配"), str(p.by_basis_total)),
            (_("尾差规则"), _("各项按分计算：先取每人应得的整分，余下的分按余数从大到小逐一分配，余数相同按成员编号"))]


PLAN = exports.register(exports.ExportKind(
    key="cooperatives.plan", verb="coop_plan.export", object_type="cooperatives.plan", title="盈余分配方案",
    filename="coop-plan", columns=_plan_columns, rows=_plan_rows, check=lambda r: _plan(r) and None,
    notes=_plan_notes, count=lambda r: selectors.plan_lines(actor=r.actor, plan=_plan(r)).count()))


def _coop(request):
    if "coop" not in request.memo:
        try:
            request.memo["coop"] = selectors.cooperative(actor=request.actor, pk=int(request.get("cooperative", 0)))
        except (TypeError, ValueError):
            raise NotFound() from None
    return request.memo["coop"]


def _member_columns(request):
    return [_("成员编号"), exports.Column(_("成员"), 24), _("成员类型"), _("入社日期"), _("退社日期"), _("附加表决权"),
            _("出资额"), _("股份数"), _("公积金份额"), _("量化补助份额")]


def _member_rows(request):
    coop = _coop(request)
    accounts = selectors.accounts_of(coop)
    for m in selectors.members(actor=request.actor, coop=coop):
        a = accounts.get(m.pk, {})
        yield [m.code, m.display_name, str(m.get_kind_display()), m.joined_on, m.left_on, m.extra_votes,
               a.get("contribution", 0), a.get("shares", 0), a.get("reserve_share", 0), a.get("subsidy_share", 0)]


MEMBERS = exports.register(exports.ExportKind(
    key="cooperatives.member", verb="coop_member.export", object_type="cooperatives.coopmember", title="成员账户",
    filename="coop-members", columns=_member_columns, rows=_member_rows, check=lambda r: _coop(r) and None,
    count=lambda r: selectors.members(actor=r.actor, coop=_coop(r)).count()))
