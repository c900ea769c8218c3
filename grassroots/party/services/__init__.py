"""The only writers of party data. Each function runs in one transaction, checks permissions and records an event.

One module per entity: ``organisations``, ``memberships``, ``report_ins`` (a member's 双报到, service posts and
hours), ``org_report_ins`` (a unit's report-in), ``liaisons``, ``roster`` (import and export), ``bulk``
(generators); ``paths`` builds paths and codes. Every public name is importable from ``grassroots.party.services``.

Bulk generators (demo) that skip these functions must keep the same invariants: build ``path`` with
``org_path(parent, serial)`` and ``code`` with ``org_code(path)``, give serials 1, 2, … under each parent, mirror the
region tree for territorial kinds (parent org's region == region.parent), keep at most one active membership and one
active report-in per person, and set ``full_member_date`` for full members.
"""

from ._common import COMMUNITY_LEVELS
from .bulk import NAME_SUFFIX, TERRITORIAL_KIND_OF_LEVEL, party_tree_bulk_create
from .liaisons import liaison_create, liaison_end
from .memberships import (
    membership_add,
    membership_end,
    membership_promote,
    membership_transfer,
    membership_validate,
)
from .org_report_ins import (
    MAX_ITEM_LENGTH,
    MAX_LIST_ITEMS,
    clean_items,
    org_report_in_create,
    org_report_in_end,
    org_report_in_update_lists,
)
from .organisations import party_org_create, party_org_term_end_set
from .paths import org_code, org_path
from .report_ins import (
    report_in_create,
    report_in_end,
    service_post_claim,
    service_post_create,
    service_record_add,
)
from .roster import member_import
from .transfers import (
    letter_pdf,
    letter_valid_until,
    transfer_cancel,
    transfer_in,
    transfer_issue,
    transfer_receive,
)

__all__ = [
    "COMMUNITY_LEVELS", "MAX_ITEM_LENGTH", "MAX_LIST_ITEMS", "NAME_SUFFIX", "TERRITORIAL_KIND_OF_LEVEL",
    "clean_items", "liaison_create", "liaison_end", "member_import", "membership_add",
    "membership_end", "membership_promote", "membership_transfer", "membership_validate", "org_code", "org_path",
    "org_report_in_create", "org_report_in_end", "org_report_in_update_lists", "party_org_create",
    "party_org_term_end_set", "party_tree_bulk_create", "report_in_create", "report_in_end", "service_post_claim",
    "service_post_create", "service_record_add", "letter_pdf", "letter_valid_until", "transfer_cancel", "transfer_in",
    "transfer_issue", "transfer_receive",
]
