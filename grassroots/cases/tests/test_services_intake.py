import datetime as dt
import re

import pytest

from grassroots.cases import services
from grassroots.cases.models import Case, IdempotencyKey
from grassroots.cases.states import Channel, Status
from grassroots.cases.tests.factories import make_category, report
from grassroots.core import clock, geo
from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.core.models import Event, Notification
from tests.support.world import centre

pytestmark = pytest.mark.django_db


def test_report_numbers_cases_per_year_and_gives_an_unguessable_tracking_code(world, frozen_now):
    first, second = report(world).case, report(world).case
    assert first.reference == "2026-000001" and second.reference == "2026-000002"
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}", first.tracking_code)
    assert first.tracking_code != second.tracking_code
    assert first.status == Status.REPORTED and first.region == world.g1 and first.community == world.c1
    assert first.region_path == world.g1.path and first.accept_due > frozen_now


def test_a_colliding_tracking_code_is_replaced_and_the_intake_goes_through(world, frozen_now, monkeypatch):
    taken = report(world).case.tracking_code
    codes = iter([taken, "ABCDEFGHJKMN"])
    monkeypatch.setattr(services.intake, "new_tracking_code", lambda: next(codes))
    second = report(world).case
    assert second.tracking_code == "ABCDEFGHJKMN"
    assert Case.objects.filter(tracking_code=taken).count() == 1
    # The first attempt's number is skipped, never reused: numbers stay unique and increasing.
    assert second.reference == "2026-000003"
    assert Event.objects.filter(verb="case.report").count() == 2


def test_the_next_year_starts_its_own_numbers(world, frozen_now):
    report(world)
    clock.freeze(frozen_now.replace(year=2027, month=1, day=2))
    assert report(world).case.reference == "2027-000001"
    assert report(world).case.reference == "2027-000002"


def test_report_writes_an_event_and_notifies_the_communitys_staff(world, frozen_now):
    case = report(world).case
    event = Event.objects.get(object_type="cases.case", object_id=str(case.pk))
    assert (event.verb, event.from_state, event.to_state) == ("case.report", "", "reported")
    assert "楼下" not in str(event.payload)  # the reporter's own text stays out of the audit payload
    recipients = set(Notification.objects.filter(object_id=str(case.pk)).values_list("recipient", flat=True))
    assert recipients == {world.community_staff.pk, world.community_secretary.pk}


def test_a_retried_submission_with_the_same_key_returns_the_same_case(world, frozen_now):
    category = make_category()
    one = report(world, idempotency_key="abc", category=category)
    two = report(world, idempotency_key="abc", category=category)
    assert one.created and not two.created and one.case.pk == two.case.pk
    assert Case.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    # the key is per client: another user's "abc" is a different submission
    three = report(world, idempotency_key="abc", channel=Channel.RESIDENT, category=category)
    assert three.created


def test_an_imported_work_order_is_taken_once_per_source(world, frozen_now):
    a = report(world, channel=Channel.IMPORT_12345, external_id="GD2026112500001")
    b = report(world, channel=Channel.IMPORT_12345, external_id="GD2026112500001")
    c = report(world, channel=Channel.IMPORT_PROVINCIAL, external_id="GD2026112500001")
    assert a.case.pk == b.case.pk and not b.created and c.created


def test_positions_in_gcj02_are_stored_in_wgs84(world, frozen_now):
    lon, lat = centre(1)
    glon, glat = geo.wgs84_to_gcj02(lon, lat)
    case = report(world, channel=Channel.STAFF, lon=glon, lat=glat, crs="GCJ02").case
    assert abs(case.lon - lon) < 1e-6 and abs(case.lat - lat) < 1e-6
    assert case.region == world.g2
    assert case.public_lon == round(case.lon, 3)


def test_without_a_position_a_grid_must_be_named(world, frozen_now):
    with pytest.raises(ValidationFailed) as err:
        services.case_report(actor=world.grid_worker, channel="grid_patrol", category=make_category(), title="x")
    assert err.value.field == "position"
    case = services.case_report(actor=world.grid_worker, channel="grid_patrol", category=make_category(),
                                title="x", region=world.b1).case
    assert case.region == world.g1 and case.lon is None


def test_a_position_outside_every_grid_is_refused(world, frozen_now):
    with pytest.raises(ValidationFailed):
        report(world, lon=120.0, lat=30.0)


@pytest.mark.parametrize("lon,lat,crs", [("east", 37.4, "WGS84"), (float("nan"), 37.4, "WGS84"),
                                         (118.6, 95.0, "WGS84"), (118.6, 37.4, "EPSG:3857")])
def test_a_position_that_is_not_one_is_refused_as_such(world, frozen_now, lon, lat, crs):
    with pytest.raises(ValidationFailed) as err:
        report(world, lon=lon, lat=lat, crs=crs)
    assert (err.value.field, err.value.code) == ("position", "invalid_position")
    assert not Case.objects.exists()


@pytest.mark.parametrize("channel,user,ok", [
    ("hotline", "hotline_operator", True), ("hotline", "grid_worker", False),
    ("import_12345", "hotline_operator", True), ("import_12345", "community_staff", False),
    ("staff", "community_staff", True), ("staff", "department_handler", False),
    ("inspection", "subdistrict_officer", True), ("inspection", "resident", False),
    ("deliberation", "community_secretary", True), ("enterprise", "enterprise_contact", True),
    ("enterprise", "resident", False), ("resident", "resident", True), ("grid_patrol", "grid_worker3", False),
])
def test_who_may_file_through_which_channel(world, frozen_now, channel, user, ok):
    actor = getattr(world, user)
    kw = {"region": world.e1} if channel == "enterprise" else {}
    if ok:
        assert report(world, channel=channel, reporter=actor, **kw).created
    else:
        with pytest.raises(NotPermitted):
            report(world, channel=channel, reporter=actor, **kw)


def test_an_enterprise_appeal_belongs_to_the_contacts_enterprise_and_is_never_public(world, frozen_now):
    case = report(world, channel="enterprise", reporter=world.enterprise_contact, region=world.e1).case
    assert case.enterprise == world.enterprise and not case.is_public


def test_public_only_when_the_category_allows_and_the_reporter_did_not_ask_for_privacy(world, frozen_now):
    assert report(world).case.is_public
    assert not report(world, privacy_requested=True).case.is_public
    assert not report(world, category=make_category(public_allowed=False, name="邻里纠纷")).case.is_public


def test_an_emergency_runs_on_minutes_and_returns_the_emergency_notice(world, frozen_now):
    flood = make_category(name="道路积水", emergency=True, emergency_service="119")
    intake = report(world, category=flood)
    assert "119" in intake.notice_zh and "119" in intake.notice_en
    assert intake.case.accept_due == frozen_now + dt.timedelta(minutes=10)
    assert report(world).notice_zh == ""


def test_duplicate_candidates_are_open_cases_of_the_category_within_50_m_and_72_h(world, frozen_now):
    from grassroots.cases.selectors import duplicate_candidates

    category = make_category()
    lon, lat = centre(0)
    near = report(world, category=category, lon=lon, lat=lat).case
    far = report(world, category=category, lon=lon + 0.002, lat=lat).case  # ~180 m east
    report(world, category=make_category(), lon=lon, lat=lat)  # another category
    clock.freeze(frozen_now + dt.timedelta(hours=71))
    case = report(world, category=category, lon=lon + 0.0002, lat=lat).case  # ~18 m
    found = duplicate_candidates(actor=world.community_staff, case=case)
    assert [c.pk for c in found] == [near.pk]
    assert far.pk not in [c.pk for c in found]
    clock.freeze(frozen_now + dt.timedelta(hours=73))
    later = report(world, category=category, lon=lon, lat=lat).case
    assert near.pk not in [c.pk for c in duplicate_candidates(actor=world.community_staff, case=later)]


def test_duplicate_candidates_are_the_nearest_within_the_radius_nearest_first(world, frozen_now,
                                                                               django_assert_num_queries):
    from grassroots.cases.selectors import DUPLICATE_LIMIT, duplicate_candidates
    from grassroots.core.geo import distance_m

    category = make_category()
    lon, lat = centre(0)
    metre = 1 / 111_195  # degrees of latitude per metre
    at_45 = report(world, category=category, lon=lon, lat=lat + 45 * metre).case
    report(world, category=category, lon=lon, lat=lat + 55 * metre)  # outside 50 m
    at_10 = report(world, category=category, lon=lon, lat=lat - 10 * metre).case
    first = report(world, category=category, lon=lon, lat=lat).case
    staff = world.community_staff
    assert [c.pk for c in duplicate_candidates(actor=staff, case=first)] == [at_10.pk, at_45.pk]
    crowd = [report(world, category=category, lon=lon, lat=lat + (20 + k / 10) * metre).case
             for k in range(DUPLICATE_LIMIT)]
    case = report(world, category=category, lon=lon, lat=lat).case
    with django_assert_num_queries(1):  # the actor's scope is already known: one query
        found = duplicate_candidates(actor=staff, case=case)
    assert [c.pk for c in found] == [first.pk, at_10.pk] + [c.pk for c in crowd[:DUPLICATE_LIMIT - 2]]
    distances = [distance_m(lon, lat, c.lon, c.lat) for c in found]
    assert distances == sorted(distances) and max(distances) < 50
    assert all(abs(c.distance_m - d) < 0.01 for c, d in zip(found, distances, strict=True))
    # What a suggestion shows is there without further queries.
    with django_assert_num_queries(0):
        assert {found[0].category.code, found[0].reference, found[0].status}


def test_mark_duplicate_links_to_the_original(world, frozen_now):
    original = report(world).case
    dup = report(world).case
    dup = services.case_mark_duplicate(actor=world.community_staff, case=dup, original=original)
    assert dup.status == Status.REJECTED and dup.duplicate_of == original and dup.rejected_at == frozen_now
    with pytest.raises(ValidationFailed):
        services.case_mark_duplicate(actor=world.community_staff, case=report(world).case, original=dup.pk + 100)


def test_an_anonymous_reporter_can_hide_from_staff(world, frozen_now):
    from grassroots.cases import selectors

    intake = services.case_report(actor=None, channel="resident", category=make_category(), title="噪音扰民",
                                  lon=centre(0)[0], lat=centre(0)[1], anonymous=True, hide_identity_from_staff=True,
                                  reporter_name="王先生", reporter_contact="13812345678")
    detail = selectors.case_detail(actor=world.community_staff, pk=intake.case.pk)
    assert detail.identity_hidden
    assert Case.objects.get(pk=intake.case.pk).reporter_contact == "13812345678"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_contact FROM cases_case WHERE id = %s", [intake.case.pk])
        assert "13812345678" not in cursor.fetchone()[0]


def test_accept_sets_the_tier_and_starts_the_dispatch_clock(world, frozen_now):
    case = report(world).case
    case = services.case_accept(actor=world.community_staff, case=case, tier="subdistrict",
                                public_summary="某路段垃圾堆放，已安排清理")
    assert case.status == Status.ACCEPTED and case.tier == "subdistrict" and case.reached_above_community
    assert case.accepted_at == frozen_now and case.next_due == case.dispatch_due > frozen_now
    with pytest.raises(ValidationFailed):
        services.case_accept(actor=world.community_staff, case=report(world).case, tier="province")


def test_the_intake_row_equals_what_the_orm_saves(world, frozen_now):
    """Intake writes through ``core.bulk.insert_together`` (JSON on PostgreSQL); every column must read back as
    the same row written by ``Model.save()`` would (floats to the last digit, times, encrypted fields, flags)."""
    lon, lat = centre(0)
    intake = services.case_report(
        actor=world.hotline_operator, channel=Channel.HOTLINE, category=make_category(), title="噪音扰民 “夜间”",
        description="凌晨两点\n施工", lon=lon + 0.000123456789012, lat=lat - 0.000987654321098, address="某路 1 号",
        reporter_name="张三", reporter_contact="13800000000", privacy_requested=True, external_id="12345-001")
    written = Case.objects.get(pk=intake.case.pk)
    copy = Case.objects.get(pk=intake.case.pk)
    copy.pk, copy.reference, copy.tracking_code, copy.external_id = None, "2026-999999", "ZZZZZZZZZZZZ", ""
    copy.save(force_insert=True)
    skip = {"id", "reference", "tracking_code", "external_id", "created_at", "updated_at"}  # auto_now: real time
    one, other = (Case.objects.filter(pk=pk).values().get() for pk in (written.pk, copy.pk))
    assert {k: v for k, v in one.items() if k not in skip} == {k: v for k, v in other.items() if k not in skip}
    assert one["lon"] == lon + 0.000123456789012 and one["reporter_contact"] == "13800000000"
    assert one["reported_at"] == frozen_now and one["created_at"] and one["updated_at"]
    assert one["external_id"] == "12345-001" and one["is_public"] is False and one["privacy_requested"] is True
