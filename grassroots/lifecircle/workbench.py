"""The life circle's part of the workbench (core.workbench): the service finder as a large button for residents."""

from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.workbench import Action

ACTIONS = (
    Action(pgettext_lazy("workbench", "办事指南"), "lifecircle:finder", (R.Role.RESIDENT,), 3),
)
