"""The only writers of people, households, organisations and posts, one module per entity.

Every service runs in one transaction, checks permissions and writes an audit event. ID numbers and phone numbers
are validated, stored encrypted (``EncryptedTextField``) with a blind index and the last four characters; the
plaintext never reaches a raw column, a log line or an event payload.

``persons`` (register, change, move), ``households``, ``personal_data`` (the audited reveal and export),
``organizations``, ``posts`` (and their handover), ``roster`` (the .xlsx import), ``accounts`` (residents' own
accounts: invitations, registration with a phone code, the match queue, phone sign-in and password reset);
``common`` holds what they share.
Callers import the names from here: ``from grassroots.people import services``.
"""

from .accounts import (
    claim_confirm,
    claim_reject,
    invite_create,
    invite_redeem,
    register,
    reset_password,
    send_phone_code,
    sign_in_with_code,
)
from .common import RELATION_HEAD
from .households import household_assign, household_create
from .organizations import (
    ORGANIZATION_FIELDS,
    ORGANIZATION_TEXT_LIMITS,
    ensure_may_register_organizations,
    organization_blockers,
    organization_create,
    organization_dissolve,
    organization_update,
)
from .personal_data import person_reveal
from .persons import (
    EDITABLE_PERSON_FIELDS,
    ID_TYPES,
    person_create,
    person_move,
    person_record_death,
    person_update,
    prepare_person_row,
)
from .posts import (
    ENTERPRISE_KINDS,
    ROLE_REGION_LEVELS,
    _check_post_scope,
    _check_role_combination,
    post_create,
    post_end,
)
from .roster import person_import

__all__ = [
    "EDITABLE_PERSON_FIELDS", "ENTERPRISE_KINDS", "ID_TYPES", "ORGANIZATION_FIELDS", "ORGANIZATION_TEXT_LIMITS",
    "RELATION_HEAD", "ROLE_REGION_LEVELS",
    "_check_post_scope", "_check_role_combination", "claim_confirm", "claim_reject", "invite_create",
    "invite_redeem", "register", "reset_password", "send_phone_code", "sign_in_with_code",  # the admin's post form checks a post before saving it
    "ensure_may_register_organizations", "household_assign", "household_create", "organization_blockers",
    "organization_create", "organization_dissolve", "organization_update", "person_create", "person_export",
    "person_import", "person_move", "person_record_death", "person_reveal", "person_update", "post_create", "post_end",
    "prepare_person_row",
]
