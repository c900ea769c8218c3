import pytest

from grassroots.core.scope import scope_for
from grassroots.notices import registry


@pytest.fixture
def org_notice_kind():
    """A kind of notice about an organisation (as a cooperative's membership list would be), published in the
    organisation's name by staff of its region; removed again after the test."""
    kind = registry.NoticeKind(
        code="test_org", label="组织公示", model="people.organization",
        can_publish=lambda actor, org: scope_for(actor).covers_path(org.region.path, "community_staff"),
        owner=lambda org: registry.Owner(name=org.name, organization=org),
        subject_url=lambda org: "/people/")
    registry.register(kind)
    yield kind
    registry._kinds.pop(kind.code, None)
