"""A party organisation on top of ``tests.support.world.build_world()``, built through the real services.

    党工委 (zone)
      东城街道党工委 (s1) ── 安泰社区党委 (c1) ── 安泰一网格党支部 (g1) ── 楼栋党小组 (b1)
                                            └─ 安泰二网格党支部 (g2) ── 楼栋党小组 (b2)
                         └─ 新华社区党委 (c2) ── 新华一网格党支部 (g3) ── 楼栋党小组 (b3)
      胜园街道党工委 (s2) ── 银河社区党委 (c3) ── 银河一网格党支部 (g4) ── 楼栋党小组 (b4)
      国瓷材料有限公司党支部 (org_branch of world.enterprise)
      稀土汽车催化产业链党委 (industry chain: enterprise + other_enterprise)
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace


def build_party(w) -> SimpleNamespace:
    from grassroots.party.models import OrgKind
    from grassroots.party.services import party_org_create

    p = SimpleNamespace()
    create = party_org_create
    p.zone = create(actor=None, kind=OrgKind.ZONE_WORKING_COMMITTEE, name="东营经济技术开发区党工委", region=w.zone,
                    founded_on=dt.date(2010, 7, 1))
    p.s1 = create(actor=None, kind=OrgKind.SUBDISTRICT_WORKING_COMMITTEE, name="东城街道党工委", parent=p.zone,
                  region=w.s1)
    p.s2 = create(actor=None, kind=OrgKind.SUBDISTRICT_WORKING_COMMITTEE, name="胜园街道党工委", parent=p.zone,
                  region=w.s2)
    p.c1 = create(actor=None, kind=OrgKind.COMMUNITY_PARTY_COMMITTEE, name="安泰社区党委", parent=p.s1, region=w.c1)
    p.c2 = create(actor=None, kind=OrgKind.COMMUNITY_PARTY_COMMITTEE, name="新华社区党委", parent=p.s1, region=w.c2)
    p.c3 = create(actor=None, kind=OrgKind.COMMUNITY_PARTY_COMMITTEE, name="银河社区党委", parent=p.s2, region=w.c3)
    p.g1 = create(actor=None, kind=OrgKind.GRID_BRANCH, name="安泰一网格党支部", parent=p.c1, region=w.g1)
    p.g2 = create(actor=None, kind=OrgKind.GRID_BRANCH, name="安泰二网格党支部", parent=p.c1, region=w.g2)
    p.g3 = create(actor=None, kind=OrgKind.GRID_BRANCH, name="新华一网格党支部", parent=p.c2, region=w.g3)
    p.g4 = create(actor=None, kind=OrgKind.GRID_BRANCH, name="银河一网格党支部", parent=p.c3, region=w.g4)
    p.b1 = create(actor=None, kind=OrgKind.BUILDING_GROUP, name="安泰一网格1号楼党小组", parent=p.g1, region=w.b1)
    p.b2 = create(actor=None, kind=OrgKind.BUILDING_GROUP, name="安泰二网格1号楼党小组", parent=p.g2, region=w.b2)
    p.b3 = create(actor=None, kind=OrgKind.BUILDING_GROUP, name="新华一网格1号楼党小组", parent=p.g3, region=w.b3)
    p.b4 = create(actor=None, kind=OrgKind.BUILDING_GROUP, name="银河一网格1号楼党小组", parent=p.g4, region=w.b4)
    p.enterprise_branch = create(actor=None, kind=OrgKind.ORG_BRANCH, name="国瓷材料有限公司党支部", parent=p.zone,
                                 organization=w.enterprise)
    p.chain = create(actor=None, kind=OrgKind.INDUSTRY_CHAIN_COMMITTEE, name="稀土汽车催化产业链党委", parent=p.zone,
                     linked_organizations=[w.enterprise, w.other_enterprise])
    return p


def make_person(name: str, *, region=None, building=None):
    from grassroots.people.models import Person

    return Person.objects.create(name=name, region=region, building=building)


def add_members(org, n: int, *, status: str = "full", region=None, prefix: str = "党员", in_service=False,
                employer=None) -> list:
    """``n`` new persons living in ``region`` (default: the org's region) with active memberships of ``org``."""
    from grassroots.party.services import membership_add
    from grassroots.party.states import MembershipStatus
    from grassroots.territory.models import Level

    rows = []
    home = region or (org.region if org.region and org.region.level == Level.GRID else None)
    if home is None and org.region is not None and org.region.level == Level.BUILDING:
        home = org.region.parent
    for i in range(n):
        person = make_person(f"{prefix}{org.pk}-{i + 1}", region=home)
        rows.append(membership_add(
            actor=None, person=person, org=org, status=status, admission_date=dt.date(2000, 7, 1),
            full_member_date=dt.date(2001, 7, 1) if status == MembershipStatus.FULL else None, in_service=in_service,
            employer=employer if in_service else None))
    return rows
