"""Menu entries of the rectification ledger (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "整改台账"), "rectification:items", R.BUSINESS, 81),
)
