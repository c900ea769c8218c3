"""Menu entries of the case pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "我的待办"), "cases:inbox", R.BUSINESS, 10),
    MenuEntry(pgettext_lazy("menu", "网格巡查上报"), "cases:patrol_new", (R.Role.GRID_WORKER,), 11),
    MenuEntry(pgettext_lazy("menu", "热线受理"), "cases:hotline_new", (R.Role.HOTLINE_OPERATOR,), 11),
    MenuEntry(pgettext_lazy("menu", "有呼必应"), "cases:appeal_new", (R.Role.ENTERPRISE_CONTACT, R.Role.PARTY_INSTRUCTOR), 11),
    MenuEntry(pgettext_lazy("menu", "问题清单录入"), "cases:staff_new", R.STAFF, 12),
    MenuEntry(pgettext_lazy("menu", "事件列表"), "cases:case_list", R.BUSINESS, 13),
    MenuEntry(pgettext_lazy("menu", "事件地图"), "cases:case_map", R.REGION_READERS, 14),
    MenuEntry(pgettext_lazy("menu", "信息直通车"), "cases:report_new", (R.Role.RESIDENT,), 15),
    MenuEntry(pgettext_lazy("menu", "我的反映"), "cases:my_reports", (R.Role.RESIDENT,), 16),
    MenuEntry(pgettext_lazy("menu", "公开事件"), "cases:public_list", (R.Role.RESIDENT,), 17),
    MenuEntry(pgettext_lazy("menu", "导入工单"), "cases:import_work_orders", (R.Role.HOTLINE_OPERATOR,), 18),
)
