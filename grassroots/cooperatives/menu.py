"""Menu entries of the cooperatives (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "合作社"), "cooperatives:list",
              (*R.STAFF, *R.COOPERATIVE_POSTS, R.Role.RESIDENT), 62),
)
