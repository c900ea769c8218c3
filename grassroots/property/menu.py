"""Menu entries of the property pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "红色物业"), "property:rates", R.REGION_READERS, 70),
    MenuEntry(pgettext_lazy("menu", "小区物业"), "property:compounds", R.REGION_READERS, 71),
)
