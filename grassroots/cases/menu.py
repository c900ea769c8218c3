"""Menu entries of the case pages, by role (called from ``CasesConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

STAFF = ("grid_worker", "community_staff", "community_secretary", "subdistrict_officer", "department_handler",
         "hotline_operator", "zone_leader", "party_instructor", "enterprise_contact")


def register_menu() -> None:
    from grassroots.web.navigation import register

    register(pgettext_lazy("menu", "我的待办"), "cases:inbox", roles=STAFF, order=10)
    register(pgettext_lazy("menu", "网格巡查上报"), "cases:patrol_new", roles=["grid_worker"], order=11)
    register(pgettext_lazy("menu", "热线受理"), "cases:hotline_new", roles=["hotline_operator"], order=11)
    register(pgettext_lazy("menu", "有呼必应"), "cases:appeal_new", roles=["enterprise_contact", "party_instructor"], order=11)
    register(pgettext_lazy("menu", "问题清单录入"), "cases:staff_new",
             roles=["community_staff", "community_secretary", "subdistrict_officer", "zone_leader"], order=12)
    register(pgettext_lazy("menu", "事件列表"), "cases:case_list", roles=STAFF, order=13)
    register(pgettext_lazy("menu", "事件地图"), "cases:case_map",
             roles=[r for r in STAFF if r not in ("department_handler", "enterprise_contact")], order=14)
    register(pgettext_lazy("menu", "信息直通车"), "cases:report_new", roles=["resident"], order=15)
    register(pgettext_lazy("menu", "我的反映"), "cases:my_reports", roles=["resident"], order=16)
    register(pgettext_lazy("menu", "公开事件"), "cases:public_list", roles=["resident"], order=17)
    register(pgettext_lazy("menu", "导入工单"), "cases:import_work_orders", roles=["hotline_operator"], order=18)
    register(pgettext_lazy("menu", "考核排名"), "cases:kpi_ranking",
             roles=["grid_worker", "community_staff", "community_secretary", "subdistrict_officer",
                    "department_handler", "hotline_operator", "zone_leader"], order=19)
