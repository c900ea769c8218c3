"""Who may do what with micro-projects and the community fund."""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

STAFF_ROLES = R.STAFF  # run projects, partners, volunteers
READ_ROLES = R.STAFF_AND_FIELD  # read drafts, funds and volunteers of their scope
REVIEWER_ROLES = R.STAFF  # score applications
# approve a project (立项): the community secretary or above, not the community's staff
APPROVER_ROLES = (R.Role.COMMUNITY_SECRETARY, R.Role.SUBDISTRICT_OFFICER, R.Role.ZONE_LEADER)
# keep a fund's ledger: its community's office; zone leaders for the zone fund
LEDGER_KEEPER_ROLES = (*R.COMMUNITY, R.Role.ZONE_LEADER)
# open a fund: the community secretary, or a zone leader
FUND_OPENER_ROLES = (R.Role.COMMUNITY_SECRETARY, R.Role.ZONE_LEADER)


def is_staff_for(actor, region) -> bool:
    return scope_for(actor).covers_path(region.path, *STAFF_ROLES)


def lives_in(actor, community) -> bool:
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    region = getattr(person, "region", None) if person is not None else None
    return region is not None and region.path.startswith(community.path)


def can_keep_ledger(actor, fund) -> bool:
    """Community secretaries and staff keep their community's fund; zone leaders the zone fund."""
    return scope_for(actor).covers_path(fund.region.path, *LEDGER_KEEPER_ROLES)
