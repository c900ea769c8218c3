"""Menu entries of the party pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

from .permissions import PARTY_READERS

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "党组织"), "party:org_tree", PARTY_READERS, 40),
    MenuEntry(pgettext_lazy("menu", "党员名册"), "party:member_list", (*PARTY_READERS, R.Role.RESIDENT), 41),
    MenuEntry(pgettext_lazy("menu", "组织关系转接"), "party:transfer_list", (*PARTY_READERS, R.Role.RESIDENT), 43),
    MenuEntry(pgettext_lazy("menu", "报到与联系"), "party:report_in_list", PARTY_READERS, 42),
)
