"""Menu entries of the life-circle pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "办事找服务点"), "lifecircle:finder", (), 60),
    MenuEntry(pgettext_lazy("menu", "服务事项"), "lifecircle:items", (), 61),
    MenuEntry(pgettext_lazy("menu", "服务设施"), "lifecircle:facilities", (), 62),
    MenuEntry(pgettext_lazy("menu", "生活圈覆盖"), "lifecircle:coverage", R.STAFF, 63),
)
