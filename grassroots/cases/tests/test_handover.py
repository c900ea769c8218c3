import datetime as dt

import pytest

from grassroots.cases.models import Assignment
from grassroots.cases.states import Status
from grassroots.cases.tests.factories import make_case
from grassroots.core.errors import ValidationFailed
from grassroots.people.models import Post
from grassroots.people.services import post_end
from tests.support.world import make_user

pytestmark = pytest.mark.django_db


def test_ending_a_handlers_post_hands_their_open_assignments_to_the_successor(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    assert Assignment.objects.get(case=case).handler == world.department_handler
    successor = make_user("dept_city_2", role="department_handler", organization=world.dept_city)
    post = Post.objects.get(user=world.department_handler)
    with pytest.raises(ValidationFailed):
        post_end(actor=world.admin, post=post, end_date=dt.date(2026, 11, 25))
    post_end(actor=world.admin, post=Post.objects.get(pk=post.pk), end_date=dt.date(2026, 11, 25),
             successor=successor)
    assert Assignment.objects.get(case=case).handler == successor
