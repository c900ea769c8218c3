"""One object of every kind a page shows, built through the real services on top of the test world.

Used by the URL × role × language sweep (``test_i18n_sweep.py``): every URL pattern gets a real object id from
``url_kwargs``. Built once per sweep; each part is written by the service a person's action would call.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone


def build_sweep_world(w) -> SimpleNamespace:
    from grassroots.cases.states import Status
    from grassroots.cases.tests.factories import make_case
    from grassroots.core import clock
    from grassroots.core.notifications import notify
    from grassroots.deliberation import services as delib
    from grassroots.deliberation.models import MeetingKind
    from grassroots.lifecircle import services as life
    from grassroots.lifecircle.models import FacilityKind, ServiceItem
    from grassroots.lifecircle.network import from_geojson_lines
    from grassroots.lifecircle.tests.conftest import street
    from grassroots.notices import services as notices
    from grassroots.party.services import liaison_create, org_report_in_create, report_in_create
    from grassroots.people.models import Person
    from grassroots.projects import fund as fundsvc
    from grassroots.projects import services as projects
    from grassroots.projects.tests.conftest import reviewed_project
    from grassroots.property import services as prop
    from grassroots.territory.services import compound_create
    from tests.support.party import add_members, build_party
    from tests.support.world import make_user

    o = SimpleNamespace()
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))

    # cases: one in each main state, plus a closed public one
    o.case = make_case(w, status=Status.IN_PROGRESS, co_handlers=[w.dept_housing])
    o.reported = make_case(w, status=Status.REPORTED, channel="resident", reporter=w.resident, title="楼道灯坏了")
    o.closed = make_case(w, status=Status.CLOSED, channel="resident", reporter=w.resident, title="井盖松动")
    o.suspended = make_case(w, status=Status.SUSPENDED)

    # party: the tree, members, a report-in, an organisation's report-in and a liaison
    o.party = build_party(w)
    add_members(o.party.g1, 3)
    ent = add_members(o.party.enterprise_branch, 1, region=w.g1, in_service=True, employer=w.enterprise)
    o.member = ent[0]
    o.report_in = report_in_create(actor=None, membership=ent[0], community=w.c1)
    o.org_report_in = org_report_in_create(actor=None, community=w.c1, organization=w.dept_city, needs=["加装电梯"],
                                           pledges=["执法力量下沉"])
    o.liaison = liaison_create(actor=None, kind="member_grid", person=ent[0].person, region=w.g1)
    _party_life(w, o)

    # party dues, member development and transfers: a month's bills, a reduction, a case, a transfer
    from grassroots.party.models import Membership
    from grassroots.party.services import transfer_issue
    from grassroots.partydevelopment import services as devsvc
    from grassroots.partydues import services as duessvc
    from grassroots.partydues.models import DuesCategory

    g1_members = list(Membership.objects.filter(org=o.party.g1, active=True).select_related("person"))
    for m in g1_members:
        duessvc.base_set(actor=None, person=m.person, category=DuesCategory.objects.get(code="salaried"), base="4000",
                         valid_from=clock.today().replace(day=1))
    duessvc.bills_issue(actor=None, org=o.party.g1, month=clock.today())
    o.reduction = duessvc.reduction_propose(actor=None, person=g1_members[0].person, month_from=clock.today(),
                                            month_to=clock.today(), amount="0", reason="大病")
    applicant = Person.objects.create(name="申请人", region=w.g1, birth_date=dt.date(1995, 1, 1))
    o.dev_case = devsvc.case_open(actor=None, person=applicant, branch=o.party.g1,
                                  applied_on=clock.today() - dt.timedelta(days=3))
    o.transfer = transfer_issue(actor=None, membership=g1_members[1], to_org=o.party.g3)
    o.g1_member_pk = g1_members[0].pk

    # deliberation: a topic through a meeting, a motion, a resolution, its notice and an objection
    delib.load_meeting_kinds()
    kind = MeetingKind.objects.get(code="residents_meeting")
    neighbours = [Person.objects.create(name=f"邻居{i}", building=w.b1, region=w.g1, birth_date=dt.date(1970 + i, 1, 1),
                                        is_household_head=True) for i in range(3)]
    neighbour_user = make_user("neighbour0", person=neighbours[0])
    o.topic = delib.topic_create(actor=w.resident, scope_region=w.g1, title="楼下充电桩", description="电动车没地方充电")
    o.meeting = delib.meeting_create(actor=w.community_staff, kind=kind, scope_region=w.c1, title="居民会议",
                                     scheduled_at=timezone.now(), location="安泰社区党群服务中心")
    delib.agenda_add(actor=w.community_staff, meeting=o.meeting, topic=o.topic)
    delib.meeting_open(actor=w.community_staff, meeting=o.meeting)
    for person in neighbours:
        delib.sign_in(actor=w.community_staff, meeting=o.meeting, person=person)
    o.motion = delib.motion_create(actor=w.community_staff, meeting=o.meeting, text="同意建设充电桩",
                                   ballot="show_of_hands", topic=o.topic)
    for person in neighbours:
        delib.vote_cast(actor=w.community_staff, motion=o.motion, choice="yes", person=person)
    o.motion = delib.motion_close(actor=w.community_staff, motion=o.motion)
    delib.meeting_close(actor=w.community_staff, meeting=o.meeting, minutes="三人到会，全票通过")
    o.resolution = delib.resolution_create(actor=w.community_staff, motion=o.motion, text="建设充电桩",
                                           responsible=w.community_staff, due_date=dt.date(2027, 3, 1))
    o.notice = delib.resolution_publish(actor=w.community_staff, resolution=o.resolution)
    o.objection = notices.objection_submit(actor=neighbour_user, notice=o.notice, text="太吵")
    o.open_meeting = delib.meeting_create(actor=w.community_staff, kind=kind, scope_region=w.c1, title="议事会",
                                          scheduled_at=timezone.now(), location="安泰社区")

    # projects: a fund with a donation, a reviewed project, a partner, a volunteer
    o.fund = fundsvc.fund_open(actor=w.community_secretary, region=w.c1)
    o.donation = fundsvc.donation_record(actor=w.community_staff, fund=o.fund, amount="10000", donor_kind="person",
                                         donor_name="王捐赠")
    o.project = reviewed_project(w, budget=Decimal("5000"))
    o.partner = projects.partner_sign(actor=w.community_staff, organization=w.enterprise, community=w.c1,
                                      agreement_no="HZ-001", signed_on=dt.date(2026, 1, 1), commitments="每年捐资")
    projects.contribution_record(actor=w.community_staff, partner=o.partner, kind="money", value="3000",
                                 description="捐资", given_on=dt.date(2026, 2, 1))
    o.volunteer = projects.volunteer_register(actor=w.community_staff, person=w.person1, community=w.c1,
                                              skills=["电工"])
    projects.service_hours_record(actor=w.community_staff, volunteer=o.volunteer, activity="巡逻",
                                  served_on=dt.date(2026, 11, 1), hours=Decimal("2"))

    # life circle: requirements, a street, an item, a facility and an analysis
    life.load_requirements()
    life.network_save(actor=None, zone=w.zone, net=from_geojson_lines(street()), name="测试路网")
    o.item = ServiceItem.objects.create(code="370571-GG-0001", name="居住证办理", item_type="public_service",
                                        competent_department="公安分局", implementing_body="社区警务室",
                                        promised_days=5, legal_days=15)
    o.facility = life.facility_create(actor=w.zone_leader, kind=FacilityKind.objects.get(code="community_canteen"),
                                      region=w.g1, name="安泰长者食堂", lon=118.605, lat=37.405,
                                      service_items=[o.item])
    life.run_analysis(zone=w.zone)

    # property: compounds, a firm with a contract, an owners' committee with a member, a joint meeting
    from grassroots.people.models import Organization

    o.compound = compound_create(actor=w.zone_leader, community=w.c1, name="安泰一小区")
    w.b1.compound = o.compound
    w.b1.save(update_fields=["compound"])
    o.firm = Organization.objects.create(name="红帆物业", kind=Organization.Kind.PROPERTY_FIRM, region=w.zone)
    o.contract = prop.contract_create(actor=w.community_staff, compound=o.compound, firm=o.firm, kind="owners_hired",
                                      start_date=dt.date(2025, 1, 1))
    o.committee = prop.committee_form(actor=w.community_staff, compound=o.compound, formed_on=dt.date(2025, 3, 1))
    prop.committee_member_add(actor=w.community_staff, committee=o.committee, person=w.person1, role="director",
                              start_date=dt.date(2025, 3, 1))
    prop.joint_meeting_record(actor=w.community_staff, community=w.c1, compound=o.compound,
                              held_on=dt.date(2026, 6, 1), topic="停车", minutes="五方商议")

    notify([w.community_staff], verb="case.dispatch", title="新事件待处理", body="请处理", url="/cases/", obj=o.case)
    from grassroots.cases.tests.factories import make_evidence

    o.attachment = make_evidence(w.grid_worker)
    from grassroots.people.models import Post

    o.post = Post.objects.filter(user=w.grid_worker).first()
    o.token_pk = None

    # honours: a veteran of the g1 branch on this year's 光荣在党50年 list, confirmed
    from grassroots.party.services import membership_add
    from grassroots.partyhonours.services import medal_confirm

    veteran = membership_add(actor=None, person=Person.objects.create(name="老党员", region=w.g1,
                                                                     birth_date=dt.date(1948, 3, 1)),
                             org=o.party.g1, status="full", admission_date=dt.date(1969, 6, 1),
                             full_member_date=dt.date(1970, 6, 1), start_date=dt.date(2000, 1, 1))
    o.medal = medal_confirm(actor=None, membership=veteran, year=2026, remark="五十余年如一日")
    # 两优一先: the zone's campaign, the g1 branch nominated as an advanced organisation
    from grassroots.party.models import PartyOrg
    from grassroots.partyhonours import services as honours

    PartyOrg.objects.filter(pk=o.party.g1.pk).update(founded_on=dt.date(2015, 1, 1))
    o.campaign = honours.campaign_create(actor=None, org=o.party.zone, year=2026, name="七一表彰",
                                         nominate_until=dt.date(2026, 12, 31), quotas={"advanced_org": 2})
    o.nomination = honours.nomination_create(actor=None, campaign=o.campaign, title="advanced_org", org=o.party.zone,
                                             nominee_org=o.party.g1, reasons="网格治理成效突出")
    # brands: the g1 branch's brand, applied for (the committee above may open its review)
    from grassroots.partybrands import services as brand_services
    from grassroots.serviceprojects import services as sp_services

    o.service_project = sp_services.project_create(
        actor=None, org=o.party.g1, title="楼道照明维修", source="grid_visit", owner="张伟",
        start=dt.date(2026, 11, 1), due=dt.date(2026, 12, 15), hearts=True)
    o.service_milestone = sp_services.milestone_add(actor=None, project=o.service_project, title="采购灯具",
                                                    due_on=dt.date(2026, 11, 30))
    o.brand = brand_services.brand_create(actor=None, org=o.party.g1, sector="community", name="先锋网格",
                                          connotation="党建引领网格治理", carriers="党员包楼", results="满意度提升")
    # cooperatives: the worked example's cooperative with a plan on trial
    from grassroots.cooperatives import services as coop_services
    from tests.support.cooperatives import build_coop_world

    build_coop_world(w)
    o.coop_plan = coop_services.plan_trial(actor=w.accountant, coop=w.coop, year=2025, surplus="500000",
                                           loss_to_cover="20000")
    # village: 田庄村's collective with a lease, members, a published quarter and an alliance
    from grassroots.village import services as village_services
    from tests.support.village import build_village_world

    build_village_world(w)
    o.village_disclosure = village_services.disclosure_publish(actor=w.village_staff, collective=w.vcollective,
                                                               period="2025Q1")
    o.village_alliance = village_services.alliance_create(
        actor=w.village_staff, name="田庄果蔬产业联合社", kind="union", collectives=[w.vcollective],
        organizations=[w.coop_org], formed_on=dt.date(2024, 3, 1))
    # key projects: the park's provincial and city key project with a report, a key node and a problem
    from grassroots.keyprojects import services as kp_services
    from tests.support.keyprojects import build_keyprojects

    o.kp = build_keyprojects(w)
    kp_services.report_submit(actor=o.kp.staff, project=o.kp.project, year=2025, month=6, planned_wan="100",
                              completed_wan="90")
    o.kp_node = kp_services.node_add(actor=o.kp.staff, project=o.kp.project, name="主体封顶",
                                     due=dt.date(2026, 12, 1), responsible="东凯")
    kp_services.problem_raise(actor=o.kp.staff, project=o.kp.project, title="用地指标待落实", owner=w.dept_city,
                              deadline=dt.date(2026, 12, 31))
    # the park: both enterprises profiled, a card, a visit, a joint meeting
    from grassroots.park import services as park_services
    from tests.support.park import build_park

    o.park = build_park(w)
    o.park_card = park_services.card_issue(actor=o.park.staff, profile=o.park.firm)
    park_services.visit_log(actor=w.party_instructor, profile=o.park.firm, visited_on=dt.date(2025, 5, 6),
                            asked="招工难", done="对接专场招聘")
    park_services.meeting_create(actor=o.park.staff, committee=o.park.chain, held_on=dt.date(2025, 6, 1),
                                 topic="产业链配套")
    return o


def url_kwargs(w, o) -> dict[str, dict]:
    """The keyword arguments of every URL pattern that takes some, by URL name."""
    return {
        "open311:discovery": {"fmt": "json"}, "open311:services": {"fmt": "json"},
        "open311:service": {"fmt": "json", "code": o.case.category.code},
        "open311:requests": {"fmt": "json"}, "open311:request": {"fmt": "json", "reference": o.case.reference},
        "open311:token": {"fmt": "json", "token": "x"}, "open311:updates": {"fmt": "json"},
        "core:attachment_file": {"pk": o.attachment.pk},
        "territory:region_detail": {"code": w.g1.code}, "territory:grid_panel": {"code": w.g1.code},
        "people:person_detail": {"pk": w.person1.pk}, "people:person_reveal": {"pk": w.person1.pk},
        "people:person_edit": {"pk": w.person1.pk}, "people:person_move": {"pk": w.person1.pk},
        "people:organization_detail": {"pk": w.enterprise.pk}, "people:organization_edit": {"pk": w.enterprise.pk},
        "people:organization_dissolve": {"pk": w.enterprise.pk},
        "people:post_detail": {"pk": o.post.pk}, "people:post_end": {"pk": o.post.pk},
        "party:org_detail": {"pk": o.party.c1.pk}, "party:org_create": {"pk": o.party.c1.pk},
        "party:member_add": {"pk": o.party.g1.pk},
        "party:transfer_in": {"pk": o.party.g1.pk},
        **{f"serviceprojects:{n}": {"pk": o.service_project.pk} for n in ("detail", "notice")},
        "serviceprojects:action": {"pk": o.service_project.pk, "verb": "progress"},
        "serviceprojects:milestone_done": {"pk": o.service_milestone.pk},
        **{f"partyhonours:{n}": {"pk": o.campaign.pk} for n in (
            "campaign", "quota_set", "nominate", "nominations_export")},
        "partyhonours:nomination_action": {"pk": o.nomination.pk, "verb": "approve"},
        "partybrands:detail": {"pk": o.brand.pk}, "partybrands:edit": {"pk": o.brand.pk},
        "partybrands:action": {"pk": o.brand.pk, "verb": "apply"},
        "party:member_detail": {"pk": o.member.pk}, "party:member_promote": {"pk": o.member.pk},
        "party:member_transfer": {"pk": o.member.pk}, "party:member_end": {"pk": o.member.pk},
        **{f"partyhonours:{n}": {"pk": o.medal.pk} for n in (
            "award", "award_approve", "award_issue", "award_withdraw")},
        "party:report_in_detail": {"pk": o.report_in.pk}, "party:service_post_claim": {"pk": o.report_in.pk},
        "party:report_in_end": {"pk": o.report_in.pk}, "party:liaison_end": {"pk": o.liaison.pk},
        "party:transfer_issue": {"pk": o.member.pk},
        **{f"party:{n}": {"pk": o.transfer.pk} for n in ("transfer_receive", "transfer_letter")},
        "partydues:pay": {"pk": 1},
        **{f"partydues:{n}": {"pk": o.g1_member_pk} for n in ("member", "base_set", "reduction_propose")},
        "partydues:reduction_decide": {"pk": o.reduction.pk, "decision": "approve"},
        **{f"partydevelopment:{n}": {"pk": o.dev_case.pk} for n in (
            "case_detail", "step_record", "notice_publish", "case_extend")},
        "cases:public_detail": {"pk": o.closed.pk}, "cases:case_detail": {"pk": o.case.pk},
        "cases:case_panel": {"pk": o.case.pk}, "cases:case_action": {"pk": o.case.pk, "verb": "handle"},
        "deliberation:topic_detail": {"pk": o.topic.pk}, "deliberation:topic_support": {"pk": o.topic.pk},
        "deliberation:topic_drop": {"pk": o.topic.pk},
        **{f"deliberation:{n}": {"pk": o.open_meeting.pk} for n in (
            "meeting_agenda_add", "meeting_invite", "meeting_open", "meeting_sign_in", "motion_new",
            "meeting_close")},
        "deliberation:meeting_detail": {"pk": o.meeting.pk}, "deliberation:meeting_sign_in_pdf": {"pk": o.meeting.pk},
        **{f"deliberation:{n}": {"pk": o.motion.pk} for n in (
            "motion_vote", "motion_close", "motion_ballot_pdf", "resolution_new")},
        **{f"deliberation:{n}": {"pk": o.resolution.pk} for n in (
            "resolution_detail", "resolution_publish", "resolution_follow_up", "resolution_progress",
            "resolution_pdf")},
        "deliberation:notice_detail": {"pk": o.notice.pk}, "deliberation:objection_submit": {"pk": o.notice.pk},
        "deliberation:objection_answer": {"pk": o.objection.pk},
        **{f"projects:{n}": {"pk": o.project.pk} for n in (
            "project_detail", "project_review", "milestone_add", "tranche_pay")},
        "projects:project_action": {"pk": o.project.pk, "verb": "approve"},
        "projects:fund_public": {"code": w.c1.code},
        **{f"projects:{n}": {"pk": o.fund.pk} for n in (
            "fund_ledger", "donation_add", "ledger_export", "fund_reconcile")},
        "projects:entry_correct": {"pk": o.donation.pk},
        "projects:partner_detail": {"pk": o.partner.pk}, "projects:hours_add": {"pk": o.volunteer.pk},
        "lifecircle:item_detail": {"pk": o.item.pk},
        "lifecircle:facility_detail": {"pk": o.facility.pk}, "lifecircle:facility_retire": {"pk": o.facility.pk},
        **{f"property:{n}": {"pk": o.compound.pk} for n in (
            "compound_detail", "contract_add", "committee_add", "meeting_add")},
        "property:contract_terminate": {"pk": o.compound.pk, "contract_id": o.contract.pk},
        "property:member_add": {"pk": o.compound.pk, "committee_id": o.committee.pk},
        "property:firm_coverage": {"firm_id": o.firm.pk},
        "token_revoke": {"pk": 1},
        **{f"partylife:{n}": {"pk": o.life_meeting.pk} for n in (
            "meeting_detail", "meeting_sign_in", "meeting_hold", "meeting_attach")},
        "partylife:meeting_action": {"pk": o.life_meeting.pk, "verb": "archive"},
        "partylife:attendance": {"person_id": o.life_member.person_id},
        "partylife:alert_acknowledge": {"pk": o.life_alert.pk}, "partylife:term_extend": {"pk": o.life_term.pk},
        "partylife:term_seats": {"pk": o.life_term.pk}, "partylife:seat_end": {"pk": o.life_seat.pk},
        "partylife:points_decide": {"pk": o.life_points.pk},
        **{f"cooperatives:{n}": {"pk": w.coop.pk} for n in (
            "detail", "members_export", "join", "transaction", "subsidy", "charter", "trial", "transaction_import",
            "transaction_template")},
        **{f"cooperatives:{n}": {"pk": w.m2.pk} for n in ("member", "leave", "contribution")},
        **{f"cooperatives:{n}": {"pk": o.coop_plan.pk} for n in ("plan", "plan_export", "plan_pdf")},
        "cooperatives:plan_action": {"pk": o.coop_plan.pk, "verb": "publish"},
        **{f"village:{n}": {"pk": w.vcollective.pk} for n in (
            "detail", "entry", "contract_add", "member_confirm", "publish", "statement_export")},
        "village:household": {"pk": w.vcollective.pk, "household": w.households[0].pk},
        "village:contract": {"pk": w.lease.pk}, "village:pay": {"pk": w.lease.payments.first().pk},
        "village:member_exit": {"pk": w.vmembers[0].pk}, "village:disclosure": {"pk": o.village_disclosure.pk},
        "village:alliance": {"pk": o.village_alliance.pk},
        **{f"keyprojects:{n}": {"pk": o.kp.project.pk} for n in ("detail", "edit")},
        "keyprojects:action": {"pk": o.kp.project.pk, "verb": "plan"},
        "keyprojects:node_done": {"pk": o.kp_node.pk},
        "park:detail": {"pk": o.park.firm.pk}, "park:action": {"pk": o.park.firm.pk, "verb": "sync"},
        **{f"park:{n}": {"pk": o.park_card.pk} for n in ("card_pdf", "card_revoke")},
        "park:instructor": {"pk": o.park.instructor.pk},
        "park:assignment_end": {"pk": o.park.instructor.assignments.first().pk},
        "park:chain": {"pk": o.park.chain.pk},
    }


def _party_life(w, o) -> None:
    """Organisational life: a noticed 支部党员大会 of the first grid branch, its current term ending within six
    months (so a reminder), and a manual points line waiting for approval."""
    from grassroots.core import clock
    from grassroots.partylife import periods
    from grassroots.partylife import services as life
    from grassroots.partylife.models import Alert
    from grassroots.partylife.models import MeetingKind as LifeKind
    from grassroots.partylife.policy import ensure_defaults

    ensure_defaults()
    g1 = o.party.g1
    o.life_member = g1.memberships.filter(active=True).first()
    planned = clock.now() + dt.timedelta(days=1)
    meeting = life.meeting_plan(actor=None, org=g1, kind=LifeKind.objects.get(code="branch_assembly"),
                                title="第四季度支部党员大会", planned_at=planned)
    o.life_meeting = life.meeting_notice(actor=None, meeting=meeting)
    o.life_term = life.term_start(actor=None, org=g1, start=periods.add_months(clock.today(), -58))
    full = g1.memberships.filter(active=True, status="full").first()
    o.life_seat = life.seat_add(actor=None, term=o.life_term, person=full.person, duty="secretary")
    life.term_sweep()
    o.life_alert = Alert.objects.filter(org=g1).first()
    o.life_points = life.points_enter(actor=None, person=o.life_member.person, org=g1, rule_code="manual_plus",
                                      points=2, reason="带头清理楼道")
