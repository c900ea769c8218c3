"""Menu entries of the park (collected by ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "园区企业"), "park:list",
              (*R.STAFF, R.Role.PARTY_INSTRUCTOR, R.Role.SERVICE_COMMISSIONER, R.Role.ENTERPRISE_CONTACT,
               R.Role.PARTY_COMMITTEE_OFFICER), 70),
    MenuEntry(pgettext_lazy("menu", "党建指导员"), "park:instructors",
              (*R.STAFF, R.Role.PARTY_INSTRUCTOR, R.Role.PARTY_COMMITTEE_OFFICER), 71),
)
