"""Menu entries of the deliberation pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "议题"), "deliberation:topics", (), 40),
    MenuEntry(pgettext_lazy("menu", "议事会"), "deliberation:meetings", (*R.STAFF_AND_FIELD, R.Role.RESIDENT), 41),
)
