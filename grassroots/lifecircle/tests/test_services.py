import datetime as dt
import math

import numpy as np
import pytest

from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.lifecircle import selectors, services
from grassroots.lifecircle.models import AccessResult, Facility, RequirementProfile, WalkNetwork
from grassroots.lifecircle.network import haversine_m

from .conftest import LAT

pytestmark = pytest.mark.django_db


def add(world, kind, lon, region=None, items=(), name="设施"):
    return services.facility_create(actor=world.zone_leader, kind=kind, region=region or world.g1, name=name,
                                    lon=lon, lat=LAT, service_items=items)


def stored(world, kind):
    row = AccessResult.objects.get(kind=kind)
    ids = np.frombuffer(bytes(row.building_ids), dtype="<i8").tolist()
    dist = np.frombuffer(bytes(row.distances_m), dtype="<f4").tolist()
    return row, dict(zip(ids, dist, strict=True))


def test_walking_distances_equal_hand_computed_ones(lifecircle_world):
    w = lifecircle_world
    add(w, w.canteen, 118.605)  # on b1
    services.run_analysis(zone=w.zone)
    _, d = stored(w, w.canteen)
    step = haversine_m(118.605, LAT, 118.615, LAT)  # one grid (0.01° of longitude) ≈ 884 m
    assert d[w.b1.pk] == pytest.approx(0, abs=1e-3)
    assert d[w.b2.pk] == pytest.approx(step, abs=0.1)
    assert math.isnan(d[w.b3.pk]) and math.isnan(d[w.b4.pk])  # beyond the 1,000 m cut-off


def test_adding_a_facility_recomputes_only_its_kind_and_matches_a_full_recompute(lifecircle_world,
                                                                                 django_capture_on_commit_callbacks):
    w = lifecircle_world
    add(w, w.canteen, 118.605)
    add(w, w.kindergarten, 118.635, region=w.g4)
    services.run_analysis(zone=w.zone)
    kg_before, _ = stored(w, w.kindergarten)
    with django_capture_on_commit_callbacks(execute=True):
        add(w, w.canteen, 118.625, region=w.g3)  # queues a recompute of canteens only, run after the commit
    kg_after, _ = stored(w, w.kindergarten)
    assert (kg_after.pk, kg_after.computed_at, bytes(kg_after.distances_m)) == (
        kg_before.pk, kg_before.computed_at, bytes(kg_before.distances_m))
    _, incremental = stored(w, w.canteen)
    assert incremental[w.b3.pk] == pytest.approx(0, abs=1e-3)
    services.run_analysis(zone=w.zone)
    _, full = stored(w, w.canteen)
    assert np.allclose(list(incremental.values()), list(full.values()), equal_nan=True)


def test_retiring_a_facility_removes_its_coverage(lifecircle_world, django_capture_on_commit_callbacks):
    w = lifecircle_world
    facility = add(w, w.canteen, 118.605)
    services.run_analysis(zone=w.zone)
    with django_capture_on_commit_callbacks(execute=True):
        services.facility_retire(actor=w.zone_leader, facility=facility)
    _, d = stored(w, w.canteen)
    assert all(math.isnan(v) for v in d.values())
    assert Event.objects.filter(verb="facility.retire", object_id=str(facility.pk)).exists()


def test_coverage_per_community_equals_hand_computed_rates(lifecircle_world):
    w = lifecircle_world
    add(w, w.canteen, 118.605)  # b1 within 300 m (5-minute circle), b2 not
    services.run_analysis(zone=w.zone)
    profile = RequirementProfile.objects.get(code="gb50180_2018")
    data = selectors.coverage(actor=w.community_staff, profile=profile)
    cells = [r for r in data["rows"] if r.kind == w.canteen]
    assert [(c.community.name, c.covered, c.total) for c in cells] == [("安泰社区", 1, 2)]  # only their community
    zone = selectors.coverage(actor=w.zone_leader, profile=profile)
    by_kind = next(k for k in zone["by_kind"] if k["requirement"].kind == w.canteen)
    assert (by_kind["covered"], by_kind["total"]) == (1, 4)


def test_gaps_list_buildings_lacking_a_kind_within_its_circle(lifecircle_world):
    w = lifecircle_world
    add(w, w.canteen, 118.605)
    services.run_analysis(zone=w.zone)
    profile = RequirementProfile.objects.get(code="gb50180_2018")
    gaps = selectors.gaps(actor=w.community_staff, profile=profile, kind_code="community_canteen")
    assert [g.building.pk for g in gaps] == [w.b2.pk]
    assert gaps[0].distance_m == pytest.approx(haversine_m(118.605, LAT, 118.615, LAT), abs=0.1)


def test_residents_and_departments_cannot_read_coverage(lifecircle_world):
    w = lifecircle_world
    profile = RequirementProfile.objects.get(code="gb50180_2018")
    for actor in (w.resident, w.department_handler, w.admin):
        with pytest.raises(NotFound):
            selectors.coverage(actor=actor, profile=profile)


def test_facilities_are_maintained_only_by_staff_of_their_scope(lifecircle_world):
    w = lifecircle_world
    with pytest.raises(NotPermitted):
        services.facility_create(actor=w.resident, kind=w.canteen, region=w.g1, name="x", lon=118.6, lat=LAT)
    with pytest.raises(NotFound):
        services.facility_create(actor=w.other_staff, kind=w.canteen, region=w.g1, name="x", lon=118.6, lat=LAT)
    with pytest.raises(ValidationFailed):
        services.facility_create(actor=w.community_staff, kind=w.canteen, region=w.g1, name="x", lon=500, lat=LAT)
    assert not Facility.objects.exists()


def test_nearest_points_rank_by_walking_distance(lifecircle_world):
    w = lifecircle_world
    far = add(w, w.canteen, 118.625, region=w.g3, items=[w.item_residence], name="新华服务站")
    near = add(w, w.canteen, 118.615, region=w.g2, items=[w.item_residence], name="安泰服务站")
    add(w, w.canteen, 118.606, items=[w.item_pension], name="只办津贴")
    result = selectors.nearest_points(actor=w.resident, item=w.item_residence, lon=118.605, lat=LAT, zone=w.zone)
    assert [r.facility for r in result] == [near, far]
    assert result[0].walk_m == pytest.approx(haversine_m(118.605, LAT, 118.615, LAT), abs=0.5)


def test_a_bad_network_file_is_refused_and_nothing_is_written(lifecircle_world, tmp_path):
    w = lifecircle_world
    before = list(WalkNetwork.objects.values_list("pk", "active"))
    bad = tmp_path / "roads.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"geometry": {"type": "Point", "coordinates": [1, 2]}}]}')
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    other = tmp_path / "roads.shp"
    other.write_text("x")
    for path in (bad, broken, other):
        with pytest.raises(ValidationFailed):
            services.network_import(actor=w.zone_leader, zone=w.zone, path=path)
    assert list(WalkNetwork.objects.values_list("pk", "active")) == before


def test_an_osm_extract_imports_walkable_ways_only(lifecircle_world, tmp_path):
    w = lifecircle_world
    osm = tmp_path / "tiny.osm"
    osm.write_text("""<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
  <node id="1" lat="37.4050" lon="118.6000" version="1"/>
  <node id="2" lat="37.4050" lon="118.6010" version="1"/>
  <node id="3" lat="37.4060" lon="118.6010" version="1"/>
  <node id="4" lat="37.4070" lon="118.6010" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/></way>
  <way id="11" version="1"><nd ref="3"/><nd ref="4"/><tag k="highway" v="motorway"/></way>
</osm>""")
    row = services.network_import(actor=w.zone_leader, zone=w.zone, path=osm)
    assert (row.node_count, row.edge_count) == (3, 2)
    assert WalkNetwork.objects.filter(zone=w.zone, active=True).get() == row
    length = haversine_m(118.6, 37.405, 118.601, 37.405) + haversine_m(118.601, 37.405, 118.601, 37.406)
    assert row.total_length_m == pytest.approx(length, abs=0.1)


def test_analysis_without_a_network_says_so(world):
    services.load_requirements()
    with pytest.raises(ValidationFailed) as err:
        services.run_analysis(zone=world.zone)
    assert "路网" in err.value.zh


def test_requirement_file_errors_are_all_reported_and_nothing_is_written(db, tmp_path):
    path = tmp_path / "req.json"
    path.write_text('{"circles": [{"code": "5min"}], "kinds": [{"code": "x", "name": "X"}], '
                    '"profiles": [{"code": "p", "name": "P", "source": "s", "is_default": false, '
                    '"requirements": [["y", "5min", true]]}]}')
    with pytest.raises(ValidationFailed) as err:
        services.load_requirements(path=path)
    assert len(err.value.details["errors"]) == 3
    assert not RequirementProfile.objects.exists()


def test_reference_data_networks_and_analyses_are_audited_under_entity_verbs(lifecircle_world):
    w = lifecircle_world
    add(w, w.canteen, 118.605)
    services.run_analysis(actor=w.zone_leader, zone=w.zone)
    verbs = set(Event.objects.values_list("verb", flat=True))
    assert {"requirement_profile.load", "walk_network.import", "facility.create", "life_circle.analyse"} <= verbs
    assert not {v for v in verbs if v.startswith("lifecircle.")}


def test_a_facility_change_recomputes_after_the_commit_and_the_page_says_so_meanwhile(
        lifecircle_world, django_capture_on_commit_callbacks, frozen_now):
    from grassroots.core import clock

    w = lifecircle_world
    add(w, w.canteen, 118.605)
    services.run_analysis(zone=w.zone)
    before, _ = stored(w, w.canteen)
    profile = RequirementProfile.objects.get(code="gb50180_2018")
    assert selectors.coverage(actor=w.zone_leader, profile=profile)["pending"] == []
    clock.freeze(frozen_now + dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        add(w, w.canteen, 118.625, region=w.g3)
    # nothing was recomputed inside the change's transaction: one task waits for the commit
    assert len(queued) == 1
    still, _ = stored(w, w.canteen)
    assert still.computed_at == before.computed_at and bytes(still.distances_m) == bytes(before.distances_m)
    pending = selectors.coverage(actor=w.zone_leader, profile=profile)["pending"]
    assert [p["kind"] for p in pending] == [w.canteen] and pending[0]["result_at"] == before.computed_at
    queued[0]()  # the commit happens: the task runs (in-process in embedded mode)
    after, d_after = stored(w, w.canteen)
    assert after.computed_at > before.computed_at and d_after[w.b3.pk] == pytest.approx(0, abs=1e-3)
    assert selectors.coverage(actor=w.zone_leader, profile=profile)["pending"] == []


def test_the_recompute_task_is_idempotent_and_ignores_objects_that_are_gone(lifecircle_world):
    from grassroots.lifecircle import tasks

    w = lifecircle_world
    add(w, w.canteen, 118.605)
    services.run_analysis(zone=w.zone)
    tasks.recompute_kind(w.zone.pk, w.canteen.pk)
    _, first = stored(w, w.canteen)
    tasks.recompute_kind(w.zone.pk, w.canteen.pk)
    _, second = stored(w, w.canteen)
    assert np.allclose(list(first.values()), list(second.values()), equal_nan=True)
    tasks.recompute_kind(w.zone.pk, 999_999)  # a kind deleted meanwhile: nothing to do, no error
