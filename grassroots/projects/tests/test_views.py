import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from grassroots.core import clock
from grassroots.core.models import Event
from grassroots.projects import fund as fundsvc
from grassroots.projects import services
from grassroots.projects.models import LedgerEntry, MicroProject, Milestone, Partner, Volunteer
from tests.support.world import scope_test

from .conftest import approved_in_progress, reviewed_project

pytestmark = pytest.mark.django_db
SCORES = {k: 8 for k in ("need_fit", "locality", "participation", "feasibility", "innovation", "sustainability",
                         "budget")}


def _draft(w, title="楼道微更新", actor=None):
    return services.project_create(actor=actor or w.resident, community=w.c1, title=title, background="b", goals="g",
                                   activities="a", beneficiaries="居民", budget_lines=[("涂料", "物资", "1000")])


@scope_test("projects:projects", "projects:project_detail")
def test_project_list_shows_public_summaries_and_keeps_constant_queries(client, fund_world):
    w = fund_world
    draft = _draft(w, "我的草稿")
    submitted = _draft(w, "已申报项目")
    services.project_submit(actor=w.resident, project=submitted)
    client.force_login(w.resident3)
    url = reverse("projects:projects")
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "已申报项目" in page and "我的草稿" not in page
    assert client.get(reverse("projects:project_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("projects:project_detail", args=[submitted.pk])).status_code == 200
    for i in range(15):
        services.project_submit(actor=w.resident, project=_draft(w, f"项目{i}"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    client.force_login(w.resident)
    assert "我的草稿" in client.get(url).content.decode()
    client.force_login(w.community_staff)
    assert "我的草稿" in client.get(url, {"status": "draft"}).content.decode()
    client.force_login(w.other_staff)
    assert client.get(reverse("projects:project_detail", args=[draft.pk])).status_code == 404


@scope_test("projects:project_new", "projects:project_action", "projects:project_review")
def test_application_review_and_approval_through_pages(client, fund_world):
    w = fund_world
    client.force_login(w.resident)
    r = client.post(reverse("projects:project_new"), {
        "community": w.c1.pk, "title": "口袋公园", "background": "空地", "goals": "休闲", "activities": "种植",
        "beneficiaries": "居民", "beneficiary_count": 200, "budget": "苗木，物资，3000\n座椅，设施，2000"})
    project = MicroProject.objects.get(title="口袋公园")
    assert r.status_code == 302 and project.budget_total == Decimal("5000")
    r = client.post(reverse("projects:project_new"), {
        "community": w.c1.pk, "title": "坏预算", "background": "b", "goals": "g", "activities": "a",
        "beneficiaries": "x", "beneficiary_count": 1, "budget": "苗木，物资，很多"})
    assert "金额格式不正确" in r.content.decode()
    client.post(reverse("projects:project_action", args=[project.pk, "submit"]))
    client.force_login(w.resident3)  # not their project, not staff
    client.post(reverse("projects:project_action", args=[project.pk, "start_review"]))
    project.refresh_from_db()
    assert project.status == "submitted"
    assert client.post(reverse("projects:project_action", args=[project.pk, "nonsense"])).status_code == 404
    client.force_login(w.community_staff)
    client.post(reverse("projects:project_action", args=[project.pk, "start_review"]))
    from tests.support.world import make_user

    third = make_user("reviewer9", role="community_staff", region=w.c1)
    for reviewer in (w.community_staff, w.community_secretary, third):
        client.force_login(reviewer)
        client.post(reverse("projects:project_review", args=[project.pk]), {**SCORES, "comment": "可行"})
    assert project.reviews.count() == 3
    r = client.post(reverse("projects:project_review", args=[project.pk]), {**SCORES, "budget": 11}, follow=True)
    assert "「预算合理」的分数须在0到10之间" in r.content.decode()  # the scores are checked first
    r = client.post(reverse("projects:project_review", args=[project.pk]), SCORES, follow=True)
    assert "您已评审过该项目" in r.content.decode()
    assert project.reviews.count() == 3
    client.force_login(w.community_staff)  # staff may not approve: the secretary does
    r = client.post(reverse("projects:project_action", args=[project.pk, "approve"]), {"approved_amount": "5000"},
                    follow=True)
    assert "立项由社区书记或街道审批" in r.content.decode()
    client.force_login(w.community_secretary)
    client.post(reverse("projects:project_action", args=[project.pk, "approve"]), {"approved_amount": "4000"})
    project.refresh_from_db()
    assert project.status == "approval_notice" and project.approved_amount == Decimal("4000")
    r = client.post(reverse("projects:project_action", args=[project.pk, "start"]), follow=True)
    assert "公示期至" in r.content.decode()
    client.force_login(w.other_staff)
    assert client.post(reverse("projects:project_action", args=[project.pk, "start"])).status_code == 404
    project.refresh_from_db()
    assert project.status == "approval_notice"


@scope_test("projects:milestone_add", "projects:tranche_pay")
def test_milestones_with_photos_tranches_acceptance_and_closing(client, fund_world):
    w = fund_world
    fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="10000", donor_kind="person",
                            donor_name="王捐赠", anonymous=True)
    project = approved_in_progress(w, Decimal("5000"))
    client.force_login(w.community_staff)
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "JPEG")
    client.post(reverse("projects:milestone_add", args=[project.pk]), {
        "title": "完成清理", "happened_on": "2026-12-01", "progress": 50,
        "photo": SimpleUploadedFile("a.jpg", buf.getvalue(), content_type="image/jpeg")})
    milestone = Milestone.objects.get(project=project)
    from grassroots.core.attachments import attachments_for

    assert attachments_for(actor=w.community_staff, obj=milestone).count() == 1
    r = client.post(reverse("projects:tranche_pay", args=[project.pk]), {"amount": "6000", "purpose": "材料费"},
                    follow=True)
    assert "超出项目剩余可拨付额度" in r.content.decode()
    r = client.post(reverse("projects:tranche_pay", args=[project.pk]), {"amount": "100", "purpose": "发放现金红包"},
                    follow=True)
    assert "负面清单" in r.content.decode()
    client.post(reverse("projects:tranche_pay", args=[project.pk]), {"amount": "3000", "purpose": "第一笔：材料费"})
    project.refresh_from_db()
    assert project.disbursed_total == Decimal("3000")
    w.fund.refresh_from_db()
    assert w.fund.balance == Decimal("7000")
    client.force_login(w.resident)
    assert client.post(reverse("projects:tranche_pay", args=[project.pk]), {"amount": "1", "purpose": "x"}).status_code == 302
    project.refresh_from_db()
    assert project.disbursed_total == Decimal("3000")
    client.force_login(w.other_staff)
    assert client.post(reverse("projects:milestone_add", args=[999999]), {}).status_code == 404
    client.force_login(w.community_staff)
    client.post(reverse("projects:project_action", args=[project.pk, "accept"]), {"note": "合格"})
    client.post(reverse("projects:project_action", args=[project.pk, "publish_closing"]))
    project.refresh_from_db()
    assert project.status == "closing_notice"
    clock.freeze(clock.now() + dt.timedelta(days=10))
    client.logout()
    client.force_login(w.community_staff)
    client.post(reverse("projects:project_action", args=[project.pk, "close"]))
    project.refresh_from_db()
    assert project.status == "closed"


@scope_test("projects:funds", "projects:fund_public")
def test_public_ledger_needs_no_login_hides_anonymous_donors_and_keeps_constant_queries(client, fund_world):
    w = fund_world
    fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="500", donor_kind="person",
                            donor_name="王匿名", anonymous=True)
    fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="800", donor_kind="organization",
                            donor_organization=w.enterprise)
    url = reverse("projects:fund_public", args=[w.c1.code])
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "爱心人士" in page and "王匿名" not in page and "国瓷材料有限公司" in page and "1300" in page
    assert not any("COUNT(" in q["sql"].upper() and "LEDGERENTRY" in q["sql"].upper() for q in few.captured_queries)
    for i in range(40):
        fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="10", donor_kind="person",
                                donor_name=f"捐赠人{i}")
    first = client.get(url)
    older = first.context["page"].next
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"cursor": older}).content.decode()
    assert len(few) == len(many) and "共 42 条" in page and "末页" not in page and "首页" in page
    assert not any("OFFSET" in q["sql"].upper() for q in many.captured_queries)
    assert "捐赠人39" in first.content.decode() and "捐赠人39" not in page
    assert client.get(url, {"cursor": "garbage"}).status_code == 200  # a hand-edited cursor shows the first page
    assert client.get(reverse("projects:fund_public", args=["nope"])).status_code == 404
    assert w.fund.name in client.get(reverse("projects:funds")).content.decode()


@scope_test("projects:fund_ledger", "projects:donation_add", "projects:entry_correct", "projects:fund_reconcile",
            "projects:ledger_export")
def test_staff_ledger_donations_corrections_reconciliation_and_export(client, fund_world):
    w = fund_world
    client.force_login(w.other_staff)
    assert client.get(reverse("projects:fund_ledger", args=[w.fund.pk])).status_code == 404
    assert client.post(reverse("projects:donation_add", args=[w.fund.pk]), {}).status_code == 404
    client.force_login(w.community_staff)
    client.post(reverse("projects:donation_add", args=[w.fund.pk]),
                {"amount": "2000", "donor_kind": "person", "donor_name": "赵先生", "anonymous": "on"})
    r = client.post(reverse("projects:donation_add", args=[w.fund.pk]), {"amount": "-5", "donor_kind": "person",
                                                                        "donor_name": "x"}, follow=True)
    assert "金额必须大于零" in r.content.decode()
    entry = LedgerEntry.objects.get(fund=w.fund)
    page = client.get(reverse("projects:fund_ledger", args=[w.fund.pk])).content.decode()
    assert "赵先生" in page and "data-confirm" in page
    r = client.post(reverse("projects:entry_correct", args=[entry.pk]), {"reason": ""}, follow=True)
    assert "请填写冲正原因" in r.content.decode()
    client.post(reverse("projects:entry_correct", args=[entry.pk]), {"reason": "重复登记"})
    w.fund.refresh_from_db()
    assert w.fund.balance == 0 and w.fund.entry_count == 2
    assert "账实相符" in client.get(reverse("projects:fund_reconcile", args=[w.fund.pk])).content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("projects:ledger_export", args=[w.fund.pk])).content)).active
    assert {r[5] for r in sheet.iter_rows(min_row=2, values_only=True)} >= {"赵先生"}
    event = Event.objects.get(verb="fund.export")
    assert event.payload["rows"] == 2 and event.payload["filters"] == {"fund": w.fund.pk}
    client.force_login(w.other_staff)
    assert client.post(reverse("projects:entry_correct", args=[entry.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("projects:fund_reconcile", args=[w.fund.pk])).status_code == 404
    assert client.get(reverse("projects:ledger_export", args=[w.fund.pk])).status_code == 404
    client.force_login(w.resident)
    assert client.get(reverse("projects:fund_ledger", args=[w.fund.pk])).status_code == 404


@scope_test("projects:partners", "projects:partner_detail")
def test_partners_are_listed_with_their_contributions(client, fund_world):
    w = fund_world
    partner = services.partner_sign(actor=w.community_staff, organization=w.enterprise, community=w.c1,
                                    agreement_no="HZ-001", signed_on=dt.date(2026, 1, 1), commitments="每年捐资")
    services.contribution_record(actor=w.community_staff, partner=partner, kind="money", value="3000",
                                 description="捐资", given_on=dt.date(2026, 2, 1))
    services.contribution_record(actor=w.community_staff, partner=partner, kind="service", value="500",
                                 description="义诊", given_on=dt.date(2026, 3, 1))
    client.force_login(w.resident3)
    url = reverse("projects:partners")
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "国瓷材料有限公司" in page and "3500" in page
    Partner.objects.create(organization=w.other_enterprise, community=w.c1, agreement_no="HZ-2",
                           signed_on=dt.date(2026, 1, 1), commitments="x")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    assert "义诊" in client.get(reverse("projects:partner_detail", args=[partner.pk])).content.decode()
    assert client.get(reverse("projects:partner_detail", args=[999999])).status_code == 404


@scope_test("projects:volunteers", "projects:hours_add", "projects:leaderboard")
def test_volunteers_hours_and_leaderboard_follow_the_policy(client, fund_world, monkeypatch):
    w = fund_world
    v = services.volunteer_register(actor=w.community_staff, person=w.person1, community=w.c1, skills=["电工"],
                                    is_talent=True, talent_title="水电维修能人")
    client.force_login(w.community_staff)
    url = reverse("projects:volunteers")
    with CaptureQueriesContext(connection) as few:
        assert "张居民" in client.get(url).content.decode()
    from grassroots.people.models import Person

    for i in range(10):
        services.volunteer_register(actor=w.community_staff, community=w.c1,
                                    person=Person.objects.create(name=f"志愿者{i}", region=w.g1))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    client.post(reverse("projects:hours_add", args=[v.pk]), {"activity": "维修路灯", "served_on": "2026-11-01",
                                                            "hours": "3"})
    v.refresh_from_db()
    assert v.hours_total == Decimal("3")
    client.force_login(w.other_staff)
    assert "张居民" not in client.get(url).content.decode()
    assert client.post(reverse("projects:hours_add", args=[v.pk]), {"activity": "x", "served_on": "2026-11-01",
                                                                   "hours": "1"}).status_code == 404
    client.force_login(w.resident3)
    board = client.get(reverse("projects:leaderboard")).content.decode()
    assert "张**" in board and "张居民" not in board and "安泰社区" in board
    from grassroots.projects import selectors

    monkeypatch.setattr(selectors, "rank_individuals", lambda: False)
    board = client.get(reverse("projects:leaderboard")).content.decode()
    assert "张**" not in board and "只公布社区合计" in board


def test_reviewed_project_helper_is_under_review(fund_world):
    assert reviewed_project(fund_world).status == "under_review"
    assert Volunteer.objects.count() == 0
