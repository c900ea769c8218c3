"""Menu entries of the micro-project and fund pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "微项目"), "projects:projects", (), 45),
    MenuEntry(pgettext_lazy("menu", "社区基金"), "projects:funds", (), 46),
    MenuEntry(pgettext_lazy("menu", "红色合伙人"), "projects:partners", (), 47),
    MenuEntry(pgettext_lazy("menu", "志愿者"), "projects:volunteers", R.STAFF_AND_FIELD, 48),
)
