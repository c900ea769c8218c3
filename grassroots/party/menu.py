"""Menu entries of the party pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

PARTY_READERS = (*R.STAFF, R.Role.GRID_WORKER, R.Role.PARTY_INSTRUCTOR, *R.ORGANIZATION_POSTS)

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "党组织"), "party:org_tree", PARTY_READERS, 40),
    MenuEntry(pgettext_lazy("menu", "党员名册"), "party:member_list", (*PARTY_READERS, R.Role.RESIDENT), 41),
    MenuEntry(pgettext_lazy("menu", "报到与联系"), "party:report_in_list", PARTY_READERS, 42),
)
