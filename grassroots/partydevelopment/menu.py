"""Menu entries of member development (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry
from grassroots.party.permissions import PARTY_STAFF_ROLES

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "发展党员"), "partydevelopment:cases", (*PARTY_STAFF_ROLES, *R.PARTY_ORG_POSTS),
              64),
)
