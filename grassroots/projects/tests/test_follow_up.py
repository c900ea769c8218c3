"""A micro-project carries a resolution out. The relation lives on the project (``MicroProject.resolution``) and
projects registers its part with deliberation (``projects/follow_up.py``): the follow-up choice, the link on the
resolution's page and in the API, the projects part of the topic's story, the notices about projects."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core import clock
from grassroots.core.errors import ValidationFailed
from grassroots.deliberation import follow_up
from grassroots.deliberation import services as deliberation
from grassroots.deliberation.tests.conftest import delib_world  # noqa: F401 (fixture)
from grassroots.deliberation.tests.test_views import passed_resolution
from grassroots.notices.models import Notice

from .conftest import approved_in_progress

pytestmark = pytest.mark.django_db


def noticed_resolution(w):
    """A passed resolution whose notice period is over (no objections)."""
    topic, meeting, motion, resolution = passed_resolution(w)
    deliberation.resolution_publish(actor=w.community_staff, resolution=resolution)
    clock.freeze(dt.datetime(2026, 12, 2, 9, 0))
    return topic, resolution


def test_projects_register_as_a_way_of_carrying_resolutions_out():
    way = follow_up.get("project")
    assert way is not None and [w.field for w in follow_up.registered()].count("project") == 1


def test_a_project_follows_a_resolution_and_the_pages_and_api_show_it(client, delib_world):  # noqa: F811
    w = delib_world
    topic, resolution = noticed_resolution(w)
    project = approved_in_progress(w, title="充电桩建设")
    approval = Notice.objects.get(kind="project_approval")
    assert (approval.subject_type.model, approval.subject_id) == ("microproject", project.pk)
    client.force_login(w.community_staff)
    page = client.get(reverse("deliberation:resolution_detail", args=[resolution.pk])).content.decode()
    assert 'id="fu_project"' in page and f'<option value="{project.pk}">充电桩建设（实施中）</option>' in page
    deliberation.resolution_follow_up(actor=w.community_staff, resolution=resolution, project=project.pk)
    project.refresh_from_db()
    assert project.resolution_id == resolution.pk
    page = client.get(reverse("deliberation:resolution_detail", args=[resolution.pk])).content.decode()
    assert f'落实微项目：<a href="{reverse("projects:project_detail", args=[project.pk])}">充电桩建设</a>' in page
    assert client.get(f"/api/deliberation/resolutions/{resolution.pk}").json()["follow_up_project_id"] == project.pk
    items = client.get("/api/deliberation/resolutions").json()["items"]
    assert [i["follow_up_project_id"] for i in items] == [project.pk]
    client.force_login(w.resident)
    story = client.get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    assert reverse("projects:project_detail", args=[project.pk]) in story and "落实：微项目" in story
    project_page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert approval.title in project_page


def test_a_project_carries_one_resolution_and_only_of_its_community(delib_world):  # noqa: F811
    w = delib_world
    _, resolution = noticed_resolution(w)
    project = approved_in_progress(w, title="充电桩建设")
    elsewhere = approved_in_progress(w, title="别处的项目")
    elsewhere.community = w.c3
    with pytest.raises(ValidationFailed, match="项目不属于本社区"):
        deliberation.resolution_follow_up(actor=w.community_staff, resolution=resolution, project=elsewhere)
    with pytest.raises(ValidationFailed, match="请选择以微项目或事件的方式落实"):
        deliberation.resolution_follow_up(actor=w.community_staff, resolution=resolution, project=999999)
    deliberation.resolution_follow_up(actor=w.community_staff, resolution=resolution, project=project)
    project.refresh_from_db()
    assert project.resolution_id == resolution.pk
    from grassroots.projects import services

    other = passed_resolution(w)[3]
    with pytest.raises(ValidationFailed) as err:
        services.project_follow_resolution(actor=w.community_staff, project=project, resolution=other)
    assert err.value.code == "project_taken"
    project.refresh_from_db()
    assert project.resolution_id == resolution.pk
