"""Menu entries of party dues (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry
from grassroots.party.permissions import PARTY_STAFF_ROLES

STAFF = (*PARTY_STAFF_ROLES, *R.PARTY_ORG_POSTS)
ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "我的党费"), "partydues:mine", (R.Role.RESIDENT,), 60),
    MenuEntry(pgettext_lazy("menu", "党费收缴"), "partydues:bills", STAFF, 61),
    MenuEntry(pgettext_lazy("menu", "党费减免审批"), "partydues:reductions", STAFF, 62),
    MenuEntry(pgettext_lazy("menu", "党费年度汇总"), "partydues:summary", STAFF, 63),
)
