"""Menu entries of 为群众办实事 (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry
from grassroots.party.permissions import PARTY_STAFF_ROLES

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "为群众办实事"), "serviceprojects:list", (*R.PARTY_ORG_POSTS, *PARTY_STAFF_ROLES),
              51),
)
