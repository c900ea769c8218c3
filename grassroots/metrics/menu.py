"""Menu entries of the KPI pages (collected by the page layer, ``web.navigation``)."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.menu import MenuEntry

ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "考核排名"), "metrics:kpi_ranking",
              (*R.STAFF_AND_FIELD, R.Role.DEPARTMENT_HANDLER), 19),
)
