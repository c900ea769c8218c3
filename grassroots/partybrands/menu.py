"""Menu entries of party-building brands (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry
from grassroots.party.permissions import PARTY_STAFF_ROLES

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "党建品牌"), "partybrands:list", (*R.PARTY_ORG_POSTS, *PARTY_STAFF_ROLES), 50),
)
