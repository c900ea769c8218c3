"""Menu entries of grading (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "考核评价"), "grading:schemes", R.BUSINESS, 80),
)
