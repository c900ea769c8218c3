"""Menu entries of the territory pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "网格地图"), "territory:browser", R.REGION_READERS, 20),
    MenuEntry(pgettext_lazy("menu", "小区"), "territory:compound_list", R.REGION_READERS, 21),
)
