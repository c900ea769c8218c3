import datetime as dt

import pytest
from django.utils import timezone

from grassroots.deliberation import services
from grassroots.deliberation.models import MeetingKind
from grassroots.people.models import Person
from tests.support.world import make_user


@pytest.fixture
def delib_world(world):
    """安泰社区 (c1) with five adult residents (person1 + four more, two of them with accounts) and the meeting kinds."""
    w = world
    services.load_meeting_kinds()
    w.neighbours = [Person.objects.create(name=f"邻居{i}", building=w.b1 if i % 2 else w.b2,
                                          region=w.g1 if i % 2 else w.g2, birth_date=dt.date(1970 + i, 1, 1),
                                          is_household_head=True) for i in range(4)]
    w.child = Person.objects.create(name="小朋友", building=w.b1, region=w.g1, birth_date=dt.date(2015, 1, 1))
    w.neighbour_user = make_user("neighbour0", person=w.neighbours[0])
    w.residents_meeting = MeetingKind.objects.get(code="residents_meeting")
    w.teahouse = MeetingKind.objects.get(code="minsheng_teahouse")
    return w


def open_meeting(w, kind=None, title="居民会议"):
    m = services.meeting_create(actor=w.community_staff, kind=kind or w.residents_meeting, scope_region=w.c1, title=title,
                                scheduled_at=timezone.now(), location="安泰社区党群服务中心")
    return m
