import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.party.models import Membership, Transfer
from grassroots.party.services import (
    letter_pdf,
    letter_valid_until,
    transfer_cancel,
    transfer_in,
    transfer_issue,
    transfer_receive,
)
from tests.support.party import add_members, make_person
from tests.support.world import scope_test


@pytest.fixture
def members(world, party, frozen_now):
    return add_members(party.g1, 2) + add_members(party.g4, 1)


@pytest.mark.django_db
def test_letter_valid_three_months():
    assert letter_valid_until(dt.date(2026, 1, 15)) == dt.date(2026, 4, 14)
    assert letter_valid_until(dt.date(2025, 11, 30)) == dt.date(2026, 2, 27)


@pytest.mark.parametrize("days_after,ok", [(0, True), (1, False)])
def test_inside_transfer_received_by_the_other_side_while_valid(world, party, members, days_after, ok):
    m = members[0]
    t = transfer_issue(actor=world.community_staff, membership=m, to_org=party.g4)
    assert Membership.objects.get(pk=m.pk).active  # still the sender's until received
    clock.freeze(clock.now() + dt.timedelta(days=(t.valid_until - t.issued_on).days + days_after))
    with pytest.raises(NotPermitted):
        transfer_receive(actor=world.community_staff, transfer=t)  # the receiving side receives
    if ok:
        transfer_receive(actor=world.other_staff, transfer=t)
        new = Membership.objects.get(person=m.person, active=True)
        assert new.org == party.g4 and new.transferred_from_id == m.pk and t.status == "received"
    else:
        with pytest.raises(ValidationFailed) as e:
            transfer_receive(actor=world.other_staff, transfer=t)
        assert e.value.code == "letter_expired"


def test_out_of_the_platform_ends_the_membership_with_a_letter(world, party, members):
    m = members[0]
    t = transfer_issue(actor=world.community_staff, membership=m, outside_org="北京市某区某街道党工委")
    m.refresh_from_db()
    assert not m.active and m.end_reason == "transfer" and t.kind == "out"
    assert letter_pdf(t).startswith(b"%PDF")
    with pytest.raises(ValidationFailed):
        transfer_issue(actor=world.community_staff, membership=m, outside_org="x")


def test_one_waiting_transfer_and_withdrawal(world, party, members):
    t = transfer_issue(actor=world.community_staff, membership=members[0], to_org=party.g4)
    with pytest.raises(ValidationFailed):
        transfer_issue(actor=world.community_staff, membership=members[0], to_org=party.g3)
    transfer_cancel(actor=world.community_staff, transfer=t)
    assert t.status == "cancelled"
    transfer_issue(actor=world.community_staff, membership=members[0], to_org=party.g3)


@pytest.mark.parametrize("letter_day,ok", [(dt.date(2026, 8, 26), True), (dt.date(2026, 8, 25), False),
                                           (dt.date(2026, 8, 24), False)])
def test_transfer_in_from_outside_on_a_valid_letter(world, party, frozen_now, letter_day, ok):
    # Today is 2026-11-25: a letter of 2026-08-26 is valid until today, one of 2026-08-25 until yesterday.
    person = make_person("外来党员", region=world.g1)
    kwargs = dict(actor=world.community_staff, person=person, to_org=party.g1, outside_org="外地党支部",
                  letter_no="A-1", letter_issued_on=letter_day, status="full", admission_date=dt.date(2010, 1, 1),
                  full_member_date=dt.date(2011, 1, 1))
    if ok:
        t = transfer_in(**kwargs)
        assert t.new_membership.org == party.g1
    else:
        with pytest.raises(ValidationFailed):
            transfer_in(**kwargs)


@scope_test("party_transfer_list", "party_transfer_detail", "party_transfer_issue", "party_transfer_receive")
def test_transfer_api_is_scoped(client, world, party, members):
    client.force_login(world.community_staff)
    r = client.post("/api/party/transfers", {"member_id": members[0].pk, "to_org_id": party.g4.pk},
                    content_type="application/json")
    assert r.status_code == 201
    tid = r.json()["id"]
    assert client.post(f"/api/party/transfers/{tid}/receive").status_code == 403
    r = client.post("/api/party/transfers", {"member_id": members[2].pk, "outside_org": "x"},
                    content_type="application/json")
    assert r.status_code == 404
    client.force_login(world.other_staff)
    assert [t["id"] for t in client.get("/api/party/transfers", {"to_receive": True}).json()] == [tid]
    assert client.post(f"/api/party/transfers/{tid}/receive").json()["status"] == "received"
    client.force_login(world.grid_worker3)
    assert client.get(f"/api/party/transfers/{tid}").status_code == 404
    assert client.get("/api/party/transfers").json() == []
    assert Transfer.objects.count() == 1


@scope_test("party:transfer_list", "party:transfer_receive", "party:transfer_letter", "party:transfer_issue")
def test_transfer_pages_are_scoped(client, world, party, members):
    client.force_login(world.community_staff)
    client.post(f"/party/members/{members[0].pk}/transfer-letter/", {"to_org": party.g4.pk})
    t = Transfer.objects.get()
    assert client.post(f"/party/members/{members[2].pk}/transfer-letter/", {"outside_org": "x"}).status_code == 404
    assert client.get(f"/party/transfers/{t.pk}/letter.pdf").content.startswith(b"%PDF")
    client.force_login(world.other_staff)
    assert members[0].person.name in client.get("/party/transfers/", {"to_receive": "1"}).content.decode()
    client.post(f"/party/transfers/{t.pk}/receive/")
    t.refresh_from_db()
    assert t.status == "received"
    client.force_login(world.grid_worker3)
    assert members[0].person.name not in client.get("/party/transfers/").content.decode()
    assert client.get(f"/party/transfers/{t.pk}/letter.pdf").status_code == 404
    assert client.post(f"/party/transfers/{t.pk}/receive/").status_code == 404


@scope_test("party_transfer_in")
def test_transfer_in_api(client, world, party, frozen_now):
    from grassroots.people.idnumbers import with_check_character
    from grassroots.people.services import person_create

    number = with_check_character("37050219800101099")
    person_create(actor=world.community_staff, name="外地党员", id_number=number, building=world.b1)
    body = {"id_number": number, "to_org_id": party.g1.pk, "outside_org": "外地某党支部", "letter_no": "X-9",
            "letter_issued_on": "2026-09-01", "status": "full", "admission_date": "2010-01-01",
            "full_member_date": "2011-01-01"}
    client.force_login(world.other_staff)
    assert client.post("/api/party/transfers/in", body, content_type="application/json").status_code == 404
    client.force_login(world.community_staff)
    r = client.post("/api/party/transfers/in", {**body, "letter_issued_on": "2026-08-01"},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "letter_expired"
    r = client.post("/api/party/transfers/in", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["kind"] == "in" and r.json()["status"] == "received"
