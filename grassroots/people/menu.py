"""Menu entries of the people pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "人员"), "people:person_list", R.REGION_READERS, 20),
    MenuEntry(pgettext_lazy("menu", "组织"), "people:organization_list",
              (*R.REGION_READERS, *R.ORGANIZATION_POSTS, *R.COOPERATIVE_POSTS, R.Role.SERVICE_COMMISSIONER,
               R.Role.ADMIN), 21),
    MenuEntry(pgettext_lazy("menu", "注册确认"), "people:claim_list", R.COMMUNITY, 22),
    MenuEntry(pgettext_lazy("menu", "岗位"), "people:post_list", (R.Role.ADMIN, *R.STAFF), 90),
)
