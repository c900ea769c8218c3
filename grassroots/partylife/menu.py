"""Menu entries of organisational life (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry
from grassroots.party.permissions import PARTY_STAFF_ROLES

STAFF = (*R.PARTY_ORG_POSTS, *PARTY_STAFF_ROLES)

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "组织生活"), "partylife:meetings", STAFF, 43),
    MenuEntry(pgettext_lazy("menu", "组织生活逾期提醒"), "partylife:alerts", STAFF, 44),
    MenuEntry(pgettext_lazy("menu", "换届提醒"), "partylife:terms", STAFF, 45),
    MenuEntry(pgettext_lazy("menu", "党员积分"), "partylife:points", STAFF, 46),
    MenuEntry(pgettext_lazy("menu", "民主评议"), "partylife:reviews", STAFF, 47),
    MenuEntry(pgettext_lazy("menu", "我的组织生活"), "partylife:me", (R.Role.RESIDENT,), 48),
)
