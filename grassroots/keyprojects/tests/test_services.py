"""Key-project services and selectors: year-to-date and since-start sums, 旬 reports, refusals, the light a month
takes (and the pending month), the problem ledger on rectification, key nodes."""

import datetime as dt
from decimal import Decimal as D

import pytest

from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.keyprojects import selectors, services
from grassroots.keyprojects.models import InvestmentReport


def report(kp, month, completed, planned="100", xun=0, year=2026, actor=None):
    return services.report_submit(actor=actor or kp.commissioner, project=kp.project, year=year, month=month,
                                  xun=xun, planned_wan=planned, completed_wan=completed)


def test_year_to_date_and_since_start_are_sums_of_the_reports(kp):
    report(kp, 12, "300", year=2025)
    report(kp, 1, "100")
    report(kp, 2, "50.5")
    report(kp, 3, "25", xun=1)
    report(kp, 3, "25", xun=3)
    t = selectors.year_table(kp.project, 2026)
    assert [(m["month"], m["completed"], m["ytd"]) for m in t["months"]] == [
        (1, D("100"), D("100")), (2, D("50.5"), D("150.5")), (3, D("50"), D("200.5"))]
    assert t["ytd"] == D("200.5")
    assert t["since_start"] == D("1000") + D("300") + D("200.5")  # before tracking + last year + this year
    assert t["months"][-1]["ytd_pct"] == D("16.7")  # of the 1,200 plan
    assert t["months"][-1]["since_pct"] == D("12.5")  # of the 12,000 total
    totals = selectors.totals([kp.project.pk, kp.other.pk], 2026, 2)
    assert totals[kp.project.pk]["ytd"] == D("150.5") and totals[kp.project.pk]["since"] == D("450.5")
    assert totals[kp.other.pk]["ytd"] == D("0")


def test_a_month_is_reported_whole_or_by_xun_and_a_correction_replaces_it(kp):
    report(kp, 4, "10", xun=1)
    with pytest.raises(Conflict):
        report(kp, 4, "10")
    report(kp, 5, "10")
    with pytest.raises(Conflict):
        report(kp, 5, "10", xun=2)
    report(kp, 5, "70")
    assert InvestmentReport.objects.get(project=kp.project, ym=202605).completed_wan == D("70")
    last = Event.objects.filter(verb="key_project.report").order_by("-pk").first()
    assert last.payload["previous"]["completed_wan"] == "10.00"


@pytest.mark.parametrize(("kw", "field"), [
    ({"month": 12}, "month"),                 # a month to come (today is November)
    ({"month": 13}, "month"),
    ({"xun": 4}, "xun"),
    ({"completed_wan": "-1"}, "completed_wan"),
    ({"completed_wan": "1.234"}, "completed_wan"),
    ({"planned_wan": "abc"}, "planned_wan"),
])
def test_bad_reports_are_refused_beside_their_field(kp, kw, field):
    values = {"year": 2026, "month": 10, "xun": 0, "planned_wan": "100", "completed_wan": "90"}
    values.update(kw)
    with pytest.raises(ValidationFailed) as exc:
        services.report_submit(actor=kp.commissioner, project=kp.project, **values)
    assert exc.value.field == field
    assert not InvestmentReport.objects.exists()


def test_only_the_projects_commissioner_and_the_parks_staff_report(kp):
    with pytest.raises(NotPermitted):
        report(kp, 10, "1", actor=kp.other_commissioner)
    with pytest.raises(NotPermitted):
        report(kp, 10, "1", actor=kp.w.other_staff)
    report(kp, 10, "1", actor=kp.staff)
    with pytest.raises(NotPermitted):  # the commissioner reports but does not keep the project
        services.plan_set(actor=kp.commissioner, project=kp.project, year=2026, planned_wan="1")


def test_project_validation(kp):
    base = dict(region=kp.w.p1, name="x", level="zone", phase="continuing", track_class="service", industry="x",
                owner_unit=kp.w.enterprise, total_investment_wan="100", patron_leader="x")
    with pytest.raises(ValidationFailed) as exc:
        services.project_create(actor=kp.staff, **{**base, "total_investment_wan": "0"})
    assert exc.value.field == "total_investment_wan"
    with pytest.raises(ValidationFailed) as exc:
        services.project_create(actor=kp.staff, **{**base, "in_fai_stats": True})
    assert exc.value.field == "in_stats_date"
    with pytest.raises(ValidationFailed) as exc:
        services.project_create(actor=kp.staff, **{**base, "planned_start": dt.date(2026, 5, 1),
                                                   "planned_end": dt.date(2026, 4, 1)})
    assert exc.value.field == "planned_end"
    with pytest.raises(NotPermitted):
        services.project_create(actor=kp.w.other_staff, **base)


def test_the_light_turns_from_green_to_yellow_with_the_months_report(kp):
    for m in range(1, 10):
        report(kp, m, "100")                      # on plan to September: 900 of 1,200 = 75 % = 序时
    assert selectors.lights_for([kp.project.pk], 2026, 9)[kp.project.pk].light == "green"
    # October is due on 5 November, passed: unreported, it counts as nothing: 75 % against 83.3 %
    october = selectors.lights_for([kp.project.pk], 2026, 10)[kp.project.pk]
    assert october.light == "green" and "相差 8.3 个百分点" in october.reasons[1].text
    # November is not due yet: judged on October's figures, and says so
    november = selectors.lights_for([kp.project.pk], 2026, 11)[kp.project.pk]
    assert november.light == "green" and november.reasons[0].code == "pending"
    report(kp, 10, "20")                          # 920 = 76.7 % against 83.3 %: still green
    report(kp, 11, "10")                          # 930 = 77.5 % against 91.7 %: 14.2 below → yellow
    november = selectors.lights_for([kp.project.pk], 2026, 11)[kp.project.pk]
    assert november.light == "yellow" and november.reasons[0].code == "started"
    assert "相差 14.2 个百分点" in november.summary


def test_the_rule_set_in_force_is_a_policy_chosen_by_an_administrator(kp):
    for m in range(1, 11):
        report(kp, m, "80", planned="100")        # 800 of 1,200 = 66.7 % against 83.3 %
    ids = [kp.project.pk]
    assert selectors.lights_for(ids, 2026, 10)[kp.project.pk].light == "yellow"
    with pytest.raises(NotPermitted):
        services.rule_set_choose(actor=kp.staff, code="jinxiang")
    services.rule_set_choose(actor=kp.w.admin, code="jinxiang")
    assert selectors.rule_set().code == "jinxiang"
    assert selectors.lights_for(ids, 2026, 10)[kp.project.pk].light == "red"   # missed every month
    with pytest.raises(ValidationFailed):
        services.rule_set_choose(actor=kp.w.admin, code="nope")


def test_the_dispatch_report_counts_lights_and_orders_the_worst_first(kp):
    for m in range(1, 11):
        report(kp, m, "50")
    d = selectors.dispatch(actor=kp.staff, year=2026, month=10)
    assert [r["project"].pk for r in d["rows"]] == [kp.project.pk, kp.other.pk]
    assert d["rows"][0]["verdict"].light == "red" and d["counts"]["red"] == 1
    assert d["rows"][0]["ytd"] == D("500") and d["rows"][0]["since"] == D("1500")
    assert d["rows"][0]["lists"] == ["municipal", "provincial"]
    assert d["sched"] == D("83.3")
    assert selectors.dispatch(actor=kp.w.other_staff, year=2026, month=10)["rows"] == []
    assert [r["project"].pk for r in selectors.dispatch(actor=kp.commissioner, year=2026, month=10)["rows"]] == [
        kp.project.pk]


def test_problems_go_on_the_rectification_ledger_naming_the_project(kp):
    item = services.problem_raise(actor=kp.staff, project=kp.project, title="用地指标未落实", owner=kp.w.dept_housing,
                                  deadline=dt.date(2026, 12, 31))
    assert (item.subject_type, item.subject_id, item.source) == ("keyprojects.project", kp.project.pk,
                                                                  "project_dispatch")
    assert list(selectors.problems(actor=kp.staff, project=kp.project)) == [item]
    assert not selectors.problems(actor=kp.staff, project=kp.other).exists()
    assert selectors.open_problem_counts([kp.project.pk]) == {kp.project.pk: 1}
    with pytest.raises(NotPermitted):
        services.problem_raise(actor=kp.commissioner, project=kp.project, title="x", owner=kp.w.dept_housing,
                               deadline=dt.date(2026, 12, 31))


def test_key_nodes_are_done_once_and_counted_when_due(kp):
    node = services.node_add(actor=kp.staff, project=kp.project, name="主体封顶", due=dt.date(2026, 11, 30),
                             responsible="东凯")
    assert list(selectors.projects_with_nodes_due(actor=kp.commissioner, today=dt.date(2026, 11, 25))) == [
        kp.project]
    assert not selectors.projects_with_nodes_due(actor=kp.commissioner, today=dt.date(2026, 11, 25),
                                                 days=-1).exists()
    services.node_done(actor=kp.commissioner, node=node, note="已封顶")
    with pytest.raises(Conflict):
        services.node_done(actor=kp.commissioner, node=node)
    assert not selectors.projects_with_nodes_due(actor=kp.commissioner, today=dt.date(2026, 11, 25)).exists()


def test_progress_reports_keep_photos_or_nothing(kp):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grassroots.core.models import Attachment

    def png_bytes():
        import io

        from PIL import Image

        buf = io.BytesIO()
        Image.new("RGB", (16, 12), (200, 30, 30)).save(buf, format="PNG")
        return buf.getvalue()

    row = services.progress_submit(actor=kp.commissioner, project=kp.project, year=2026, month=11, text="封顶",
                                   photos=[SimpleUploadedFile("a.png", png_bytes(), "image/png")])
    assert Attachment.objects.filter(object_type="keyprojects.progressreport", object_id=str(row.pk)).count() == 1
    with pytest.raises(ValidationFailed):
        services.progress_submit(actor=kp.commissioner, project=kp.project, year=2026, month=11, text="x",
                                 photos=[SimpleUploadedFile("a.txt", b"not an image", "text/plain")])
    assert kp.project.progress.count() == 1
