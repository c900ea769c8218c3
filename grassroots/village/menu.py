"""Menu entries of the village collective (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "村集体经济"), "village:list", (*R.STAFF, *R.COOPERATIVE_POSTS, R.Role.RESIDENT),
              63),
)
