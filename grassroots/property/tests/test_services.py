import datetime as dt

import pytest

from grassroots.core.errors import NotFound, NotPermitted
from grassroots.core.models import Event
from grassroots.property import services

pytestmark = pytest.mark.django_db


def test_every_write_is_audited_under_an_entity_verb(rated_world):
    w = rated_world
    services.joint_meeting_record(actor=w.community_staff, community=w.c1, compound=w.k1, held_on=dt.date(2026, 6, 1),
                                  topic="停车", minutes="五方商议")
    services.demonstration_name(actor=w.subdistrict_officer, compound=w.k1, year=2025)
    verbs = set(Event.objects.values_list("verb", flat=True))
    assert {"service_contract.create", "service_contract.terminate", "owners_committee.form",
            "owners_committee.dissolve", "firm_party_coverage.set", "joint_meeting.record",
            "demonstration_compound.name"} <= verbs
    assert not {v for v in verbs if v.startswith("property.")}


def test_joint_meetings_are_recorded_by_staff_of_the_community_only(rated_world):
    w = rated_world
    meeting = dict(held_on=dt.date(2026, 6, 1), topic="停车", minutes="五方商议")
    with pytest.raises(NotPermitted):
        services.joint_meeting_record(actor=w.hotline_operator, community=w.c1, **meeting)
    with pytest.raises(NotFound):
        services.joint_meeting_record(actor=w.other_staff, community=w.c1, **meeting)
    with pytest.raises(NotPermitted):
        services.demonstration_name(actor=w.community_staff, compound=w.k1, year=2025)
