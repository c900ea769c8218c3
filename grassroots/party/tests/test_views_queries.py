"""List pages run the same number of queries for 2 rows and for 20."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.party.services import (
    liaison_create,
    org_report_in_create,
    report_in_create,
    service_record_add,
)
from grassroots.people.models import Organization
from tests.support.party import add_members


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _report_ins(world, party, n, prefix):
    members = add_members(party.enterprise_branch, n, region=world.g1, in_service=True, employer=world.enterprise,
                          prefix=prefix)
    for m in members:
        r = report_in_create(actor=None, membership=m, community=world.c1)
        service_record_add(actor=None, report_in=r, hours=1, date=r.reported_on, description="巡查")
    return members


def test_report_in_list_query_count_does_not_grow(client, world, party, frozen_now):
    client.force_login(world.community_staff)
    _report_ins(world, party, 2, "甲")
    few = _queries(client, reverse("party:report_in_list"))
    _report_ins(world, party, 18, "乙")
    assert _queries(client, reverse("party:report_in_list")) == few


def test_org_report_in_list_query_count_does_not_grow(client, world, party, frozen_now):
    client.force_login(world.community_staff)

    def units(n, start):
        for i in range(start, start + n):
            org = Organization.objects.create(name=f"驻区单位{i}", kind=Organization.Kind.AGENCY, region=world.zone)
            org_report_in_create(actor=None, community=world.c1, organization=org, needs=["需求"], pledges=["资源"])

    units(2, 0)
    few = _queries(client, reverse("party:org_report_in_list"))
    units(18, 2)
    assert _queries(client, reverse("party:org_report_in_list")) == few


def test_liaison_list_query_count_does_not_grow(client, world, party, frozen_now):
    client.force_login(world.community_staff)

    def liaisons(n, prefix):
        for m in add_members(party.enterprise_branch, n, region=world.g1, in_service=True, prefix=prefix,
                             employer=world.enterprise):
            liaison_create(actor=None, kind="member_grid", person=m.person, region=world.g1)

    liaisons(2, "甲")
    few = _queries(client, reverse("party:liaison_list"))
    liaisons(18, "乙")
    assert _queries(client, reverse("party:liaison_list")) == few


def test_org_tree_and_detail_query_counts_do_not_grow(client, world, party, frozen_now):
    client.force_login(world.community_staff)
    add_members(party.g1, 2)
    tree = _queries(client, reverse("party:org_tree"))
    detail = _queries(client, reverse("party:org_detail", args=[party.g1.pk]))
    add_members(party.g1, 18, prefix="乙")
    add_members(party.b2, 5, prefix="丙")
    assert _queries(client, reverse("party:org_tree")) == tree
    assert _queries(client, reverse("party:org_detail", args=[party.g1.pk])) == detail
