"""Menu entries of the roll pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "名册"), "rolls:rolls", (*R.STAFF, *R.PARTY_ORG_POSTS), 44),
)
