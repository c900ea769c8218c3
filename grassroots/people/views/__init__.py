"""People pages, one module per entity: ``persons`` (the people list, search, filters, export, detail with the
audited reveal, register, edit, move), ``roster`` (import), ``organizations``, ``posts`` (ending and handover), ``accounts`` (the registration queue, invitations);
``common`` holds what they share. Thin: parse, call one selector or service, render. ``urls.py`` names them
from here."""

from .accounts import claim_confirm, claim_detail, claim_list, claim_reject, person_invite
from .organizations import (
    organization_create,
    organization_detail,
    organization_dissolve,
    organization_edit,
    organization_list,
)
from .persons import (
    person_create,
    person_detail,
    person_edit,
    person_export,
    person_list,
    person_lookup,
    person_move,
    person_reveal,
)
from .posts import post_detail, post_end, post_list
from .roster import person_import, person_import_confirm, person_import_template

__all__ = [
    "claim_confirm", "claim_detail", "claim_list", "claim_reject", "person_invite",
    "organization_create", "organization_detail", "organization_dissolve", "organization_edit", "organization_list",
    "person_create", "person_detail", "person_edit", "person_export", "person_import", "person_import_confirm",
    "person_import_template", "person_list", "person_lookup", "person_move", "person_reveal", "post_detail", "post_end", "post_list",
]
