"""Menu entries of honours (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry
from grassroots.party.permissions import PARTY_STAFF_ROLES

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "两优一先"), "partyhonours:campaigns", (*R.PARTY_ORG_POSTS, *PARTY_STAFF_ROLES), 48),
    MenuEntry(pgettext_lazy("menu", "光荣在党50年"), "partyhonours:medal50", (*R.PARTY_ORG_POSTS, *PARTY_STAFF_ROLES), 49),
)
