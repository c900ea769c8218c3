import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.serviceprojects import selectors, services
from grassroots.serviceprojects.models import ServiceRating

from .conftest import project

pytestmark = pytest.mark.django_db


def test_a_project_runs_from_plan_to_done_with_its_milestones(sp):
    p = project(sp)
    assert p.status == "planned"
    m = services.milestone_add(actor=sp.secretary, project=p, title="摸排需求", due_on=clock.today())
    p = services.project_progress(actor=sp.secretary, project=p, progress=40, note="已采购灯具")
    assert (p.status, p.progress) == ("in_progress", 40)
    with pytest.raises(ValidationFailed):
        services.project_progress(actor=sp.secretary, project=p, progress=100)
    with pytest.raises(ValidationFailed) as err:
        services.project_finish(actor=sp.secretary, project=p, result="已修好")
    assert err.value.code == "milestones_pending"
    services.milestone_done(actor=sp.secretary, milestone=m)
    p = services.project_finish(actor=sp.secretary, project=p, result="已修好")
    assert (p.status, p.progress, p.done_on) == ("done", 100, clock.today())
    with pytest.raises(Conflict):
        services.project_cancel(actor=sp.secretary, project=p, reason="重复")


def test_dates_sources_and_who_may_keep_a_project_are_checked(sp):
    today = clock.today()
    with pytest.raises(ValidationFailed) as err:
        project(sp, due=today - dt.timedelta(days=30))
    assert err.value.field == "due"
    with pytest.raises(ValidationFailed):
        project(sp, source="rumour")
    with pytest.raises(NotPermitted):
        project(sp, actor=sp.stranger)


def test_completion_rate_leaves_cancelled_projects_out(sp):
    a, _, c = project(sp, title="一"), project(sp, title="二"), project(sp, title="三")
    services.project_finish(actor=sp.secretary, project=a, result="办结")
    services.project_cancel(actor=sp.secretary, project=c, reason="并入其他项目")
    totals = selectors.totals(actor=sp.officer)
    assert (totals["total"], totals["done"], totals["rate"]) == (2, 1, 50.0)
    assert [(r["org__name"], r["rate"]) for r in selectors.completion(actor=sp.officer)] == [(sp.p.g1.name, 50.0)]
    assert selectors.totals(actor=sp.stranger)["total"] == 0


def test_one_rating_per_phone_or_account_and_only_once_the_project_runs(sp):
    p = project(sp)
    phone_key = services.voter_key_for_phone("idx-1")
    with pytest.raises(Conflict):  # planned: nothing to rate yet
        services.rating_submit(project=p, rating="satisfied", voter_key=phone_key)
    p = services.project_progress(actor=sp.secretary, project=p, progress=50)
    services.rating_submit(project=p, rating="satisfied", voter_key=phone_key)
    with pytest.raises(ValidationFailed) as err:
        services.rating_submit(project=p, rating="unsatisfied", voter_key=phone_key)
    assert err.value.code == "already_rated"
    services.rating_submit(project=p, rating="basically", voter_key=services.voter_key_for_account(sp.w.resident))
    with pytest.raises(ValidationFailed):
        services.rating_submit(project=p, rating="meh", voter_key=services.voter_key_for_phone("idx-2"))
    counts = selectors.rating_counts(p)
    assert (counts["satisfied"], counts["basically"], counts["total"], counts["satisfied_rate"]) == (1, 1, 2, 100.0)
    assert not ServiceRating.objects.filter(voter_key__contains="idx").exists()  # only the keyed index is kept
