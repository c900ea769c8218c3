"""Demo data for residents governing together: the meeting kinds, topics in every community in every state,
meetings of the article's kinds (民生茶馆, 四邻议事, 书记居民面对面, 共商议事会, 现场办公会, 居民会议) with sign-ins and
votes, resolutions with public notices, objections and answers, progress. Written in bulk, consistent with the
services' rules (one vote per person per motion, counts only for secret ballots, closed meetings have minutes)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from grassroots.core.roles import Role
from grassroots.notices.models import Notice, Objection
from grassroots.rolls.models import Roll, RollEntry, RollKind

from . import services
from .models import (
    AgendaItem,
    Attendance,
    BallotCast,
    Meeting,
    MeetingKind,
    Motion,
    ProgressUpdate,
    Resolution,
    SecretTally,
    Topic,
    TopicSupport,
    Vote,
)
from .states import MeetingStatus, MotionResult, TopicStatus

# topics residents raise, each with how a resident would describe it ({place}, {n}, {months} come from the data)
TOPICS = {
    "电动车集中充电桩建设": "{place}电动车越来越多，晚上有人从楼上拉电线下来充电，楼道里也停着车，很不安全，希望建集中充电桩。",
    "楼道堆物清理": "{place}有的住户在楼道里堆放纸箱、旧家具，已经{months}个多月了，影响通行，出了事也不好疏散。",
    "小区停车位划线": "{place}车位不够，晚上车停得乱，消防通道经常被堵，建议重新划线、规范停车。",
    "加装电梯意见征集": "{place}老人多，住五六楼的上下楼很吃力，想问问加装电梯怎么申请、要多少户同意。",
    "老年食堂选址": "{place}独居老人有{n}位左右，做饭不方便，希望在附近开个老年食堂，选址大家商量一下。",
    "口袋公园改造": "{place}旁边那块空地长期闲置，杂草丛生，建议改成口袋公园，放几张长椅和健身器材。",
    "垃圾分类投放点调整": "{place}的垃圾投放点离住户窗户太近，夏天味道大，希望挪到远一点的地方。",
    "路灯维修": "{place}有{n}盏路灯坏了{months}个月没人修，晚上出门黑乎乎的，老人孩子容易摔倒。",
    "儿童游乐设施更新": "{place}的儿童滑梯和秋千用了很多年，有的地方生锈松动，孩子玩着让人担心。",
    "雨污管网改造": "{place}一下大雨就积水，下水道返味，估计是雨污管网堵了，希望彻底改造一下。",
    "广场舞噪音": "{place}晚上跳广场舞音响开得太大，一直到九点多，影响孩子学习和老人休息，希望定个时间和音量。",
    "快递柜设置": "{place}快递只能放门岗，丢件的事发生过好几次，建议在小区里设置快递柜。",
    "绿化补植": "{place}的绿地被踩出了好几条路，黄土裸露，刮风就起灰，建议补种并设置护栏。",
    "宠物管理公约": "{place}有人遛狗不牵绳、不清理粪便，邻居之间因为这个吵过几次，建议大家一起订个养宠公约。",
    "社区议事规则修订": "现在议事会的通知方式和表决办法居民不太清楚，建议修订议事规则，把流程写明白并公开。",
    "文体活动室开放时间": "社区文体活动室工作日下午五点就关门，上班的人用不上，希望晚上和周末也开放。",
}
TITLES = list(TOPICS)
# a village has no stairwells, lifts or compound car parks to talk about
VILLAGE_TITLES = [t for t in TITLES if not any(w in t for w in ("楼道", "电梯", "停车位", "快递柜", "广场舞"))]
KINDS = ["minsheng_teahouse", "four_neighbours", "secretary_face_to_face", "joint_council", "onsite_office",
         "residents_meeting"]
STATES = [TopicStatus.COLLECTED, TopicStatus.ON_AGENDA, TopicStatus.DELIBERATED, TopicStatus.RESOLVED,
          TopicStatus.IN_NOTICE, TopicStatus.IN_PROGRESS, TopicStatus.DONE, TopicStatus.DROPPED]


VIEWS = ("多数居民表示支持，希望尽快落实", "有居民担心费用分摊，经解释后表示理解", "低楼层住户提出顾虑，会上作了回应",
         "物业企业表示愿意配合实施", "网格员介绍了前期走访情况", "有居民建议先试行三个月再评估")


def minutes_for(topic, present: int, rng, *, village: bool = False) -> str:
    """Minutes of a held meeting: who came, what was raised and said, and what the meeting agreed to put to a
    vote."""
    raised = topic.description.rstrip("。")
    views = "；".join(rng.sample([v for v in VIEWS if not (village and ("物业" in v or "楼层" in v))], 2))
    return (f"到会 {present} 人。议题「{topic.title}」由居民提出：{raised}。会上{views}。"
            f"经充分协商，同意将实施方案提交表决。")


def build(ctx) -> None:
    services.load_meeting_kinds()
    kinds = {k.code: k for k in MeetingKind.objects.all()}
    rng = ctx.rng
    staff = (ctx.users.get(Role.COMMUNITY_STAFF) or ctx.users.get(Role.COMMUNITY_SECRETARY) or ctx.users.get(Role.ZONE_LEADER)
             or [None])[0]
    residents = [u for u in ctx.users.get(Role.RESIDENT, []) if u.person_id]
    if staff is None:
        return
    authors = residents or [staff]
    now = ctx.now
    areas = list(ctx.communities) + list(ctx.villages)
    per_area = 10 if ctx.size == "full" else 8
    compounds_of: dict[int, list[str]] = {}
    for compound in ctx.compounds:
        compounds_of.setdefault(compound.community_id, []).append(compound.name)
    topics: list[Topic] = []
    for area in areas:
        grids = ctx.grids_by_area.get(area.pk, [])
        for i in range(per_area):
            status = STATES[i % len(STATES)]
            scope = rng.choice(grids) if grids and rng.random() < 0.5 else area
            created = now - dt.timedelta(days=rng.randint(5, 300))
            title = rng.choice(VILLAGE_TITLES if area.level == "village" else TITLES)
            place = (rng.choice(compounds_of[area.pk]) if compounds_of.get(area.pk)  # a compound of the community
                     else scope.name.removesuffix("网格") if scope is not area else area.name)  # a village group
            description = TOPICS[title].format(place=place, n=rng.randint(2, 30), months=rng.randint(1, 6))
            topics.append(Topic(community=area, scope_region=scope, title=f"{title}（{area.name}）",
                                description=description, author=rng.choice(authors),
                                source=rng.choice(Topic.Source.values[:3]), status=status, created_at=created,
                                updated_at=created, drop_reason="与已有议题重复" if status == TopicStatus.DROPPED else ""))
    Topic.objects.bulk_create(topics, batch_size=500)
    supports = []
    for t in topics:
        for u in rng.sample(authors, min(len(authors), rng.randint(0, 6))):
            if u.pk != t.author_id:
                supports.append(TopicSupport(topic=t, user=u, created_at=t.created_at + dt.timedelta(hours=2)))
    TopicSupport.objects.bulk_create(supports, batch_size=1000, ignore_conflicts=True)

    # meetings: every topic past "collected" sits on the agenda of a meeting of one of the article's kinds
    by_area: dict[int, list[Topic]] = {}
    for t in topics:
        if t.status not in (TopicStatus.COLLECTED, TopicStatus.DROPPED):
            by_area.setdefault(t.community_id, []).append(t)
    persons_by_area = {a.pk: [pid for g in ctx.grids_by_area.get(a.pk, []) for pid in ctx.person_ids_by_grid.get(g.pk, [])]
                       for a in areas}
    # every community keeps a roll of its residents' representatives (居民代表): 共商议事会 and 居民代表会议 use it
    reps_by_area: dict[int, tuple[Roll, list[int]]] = {}
    rolls_ = [Roll(kind=RollKind.REPRESENTATIVES, name=f"{a.name}居民代表名册", region=a) for a in areas]
    Roll.objects.bulk_create(rolls_, batch_size=500)
    entries = []
    term_start = (now - dt.timedelta(days=400)).date()
    for area, roll in zip(areas, rolls_, strict=True):
        pool = persons_by_area.get(area.pk, [])
        reps = pool[: min(len(pool), 21)]
        reps_by_area[area.pk] = (roll, reps)
        entries += [RollEntry(roll=roll, person_id=pid, start_date=term_start,
                              term_ends=term_start.replace(year=term_start.year + 5)) for pid in reps]
    RollEntry.objects.bulk_create(entries, batch_size=2000)
    meetings, agenda, attendances, motions = [], [], [], []
    plan = []
    for area in areas:
        for j, topic in enumerate(by_area.get(area.pk, [])):
            kind = kinds[KINDS[(j + area.pk) % len(KINDS)]]
            planned = topic.status == TopicStatus.ON_AGENDA
            # a held meeting took place after the topic was raised and at least a day before today (ended, minuted)
            when = (now + dt.timedelta(days=rng.randint(2, 20)) if planned
                    else min(topic.created_at + dt.timedelta(days=10), now - dt.timedelta(days=1, hours=3)))
            roll = None
            pool = persons_by_area.get(area.pk, [])
            if kind.basis == MeetingKind.Basis.REPRESENTATIVES:
                roll, pool = reps_by_area[area.pk]
            due = None if kind.basis == MeetingKind.Basis.OPEN else len(pool)
            present = rng.sample(pool, min(len(pool), rng.randint(8, 30))) if not planned else []
            if due is not None and not planned:  # formal meetings in the demo reach quorum
                need = next(n for n in range(len(pool) + 1) if kind.quorum is None or kind.quorum.met(n, due)
                            or n == len(pool))
                present = pool[:need]
            meeting = Meeting(kind=kind, community=area, scope_region=area, title=f"{kind.name}：{topic.title[:30]}",
                              roll=roll, due_votes=None if planned or due is None else due,
                              scheduled_at=when, location=f"{area.name}党群服务中心", convened_by=staff,
                              status=MeetingStatus.PLANNED if planned else MeetingStatus.CLOSED,
                              due_count=None if planned else due, opened_at=None if planned else when,
                              closed_at=None if planned else when + dt.timedelta(hours=2),
                              minutes="" if planned else minutes_for(topic, len(present), rng,
                                                                           village=area.level == "village"))
            meetings.append(meeting)
            plan.append((meeting, topic, present, planned))
    Meeting.objects.bulk_create(meetings, batch_size=500)
    for meeting, topic, present, planned in plan:
        agenda.append(AgendaItem(meeting=meeting, topic=topic, order=1))
        for pid in present:
            attendances.append(Attendance(meeting=meeting, person_id=pid, mode=Attendance.Mode.IN_PERSON,
                                          signed_in_at=meeting.scheduled_at, recorded_by=staff))
        if not planned:
            secret = meeting.kind.code in ("residents_meeting", "joint_council")
            motions.append(Motion(meeting=meeting, topic=topic, text=f"同意：{topic.title}", ballot="secret" if secret
                                  else "show_of_hands", status="closed", present_at_close=len(present),
                                  closed_at=meeting.closed_at))
    AgendaItem.objects.bulk_create(agenda, batch_size=1000)
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    Motion.objects.bulk_create(motions, batch_size=500)
    votes, casts, tallies = [], [], []
    attendees = {}
    for a in attendances:
        attendees.setdefault(a.meeting_id, []).append(a.person_id)
    for m in motions:
        people = attendees.get(m.meeting_id, [])
        counts = {"yes": 0, "no": 0, "abstain": 0}
        passes = m.topic.status != TopicStatus.DELIBERATED or rng.random() < 0.5
        for k, pid in enumerate(people):
            choice = "yes" if (passes and k < len(people) * 0.75) or (not passes and k < len(people) * 0.3) else \
                rng.choice(["no", "abstain"])
            counts[choice] += 1
            if m.ballot == "secret":
                casts.append(BallotCast(motion=m, person_id=pid, channel="paper"))
            else:
                votes.append(Vote(motion=m, person_id=pid, choice=choice, channel="paper", entered_by=staff))
        if m.ballot == "secret":
            tallies += [SecretTally(motion=m, choice=c, count=n) for c, n in counts.items()]
        m.yes, m.no, m.abstain = counts["yes"], counts["no"], counts["abstain"]
        kind = m.meeting.kind
        base = {"present": len(people), "due": m.meeting.due_count or len(people),
                "cast": sum(counts.values())}[kind.majority_base]
        m.result = MotionResult.PASSED if kind.majority.met(m.yes, base) else MotionResult.FAILED
    Motion.objects.bulk_update(motions, ["yes", "no", "abstain", "result"], batch_size=500)
    Vote.objects.bulk_create(votes, batch_size=2000)
    BallotCast.objects.bulk_create(casts, batch_size=2000)
    SecretTally.objects.bulk_create(tallies, batch_size=2000)

    # resolutions, notices, objections and progress for topics past deliberation (whose motion passed)
    resolutions, notices_, objections, updates = [], [], [], []
    progress_of = {TopicStatus.RESOLVED: 0, TopicStatus.IN_NOTICE: 0, TopicStatus.IN_PROGRESS: 60, TopicStatus.DONE: 100}
    state_of = {TopicStatus.RESOLVED: "in_notice", TopicStatus.IN_NOTICE: "in_notice",
                TopicStatus.IN_PROGRESS: "in_progress", TopicStatus.DONE: "done"}
    for m in motions:
        t = m.topic
        if t.status not in progress_of:
            continue
        if m.result != MotionResult.PASSED:
            m.yes, m.no, m.abstain, m.result = len(attendees.get(m.meeting_id, [])), 0, 0, MotionResult.PASSED
            Motion.objects.filter(pk=m.pk).update(yes=m.yes, no=0, abstain=0, result=m.result)
            if m.ballot == "secret":
                SecretTally.objects.filter(motion=m).update(count=0)
                SecretTally.objects.filter(motion=m, choice="yes").update(count=m.yes)
            else:
                Vote.objects.filter(motion=m).update(choice="yes")
        resolutions.append(Resolution(meeting=m.meeting, motion=m, topic=t, text=f"实施「{t.title}」",
                                      responsible=staff, due_date=(now + dt.timedelta(days=90)).date(),
                                      status=state_of[t.status], progress=progress_of[t.status]))
    Resolution.objects.bulk_create(resolutions, batch_size=500)
    resolution_type = ContentType.objects.get_for_model(Resolution)
    for r in resolutions:
        if r.topic.status == TopicStatus.RESOLVED:
            continue
        start = r.meeting.closed_at + dt.timedelta(days=1)
        ongoing = r.topic.status == TopicStatus.IN_NOTICE
        if ongoing:
            start = now - dt.timedelta(days=1)
        notices_.append(Notice(kind="resolution", region=r.meeting.community, owner_name=r.meeting.community.name,
                                     subject_type=resolution_type, subject_id=r.pk, title=f"决议公示：{r.text[:40]}",
                                     body=(f"会议：{r.meeting.title}\n应到 {r.meeting.due_count or '—'} 人，实到 "
                                           f"{r.motion.present_at_close} 人\n表决：赞成 {r.motion.yes}，反对 {r.motion.no}，"
                                           f"弃权 {r.motion.abstain}\n决议：{r.text}"),
                                     starts_at=start, ends_at=start + dt.timedelta(days=7), working_days=5,
                                     published_by=staff))
        if r.progress:  # progress is recorded when it happened: never after today
            first = min((start + dt.timedelta(days=14)).date(), ctx.today)
            updates.append(ProgressUpdate(resolution=r, text="完成方案与采购", progress=min(r.progress, 50),
                                          happened_on=first, recorded_by=staff))
            updates.append(ProgressUpdate(resolution=r, text="施工完成" if r.progress == 100 else "施工中",
                                          progress=r.progress, recorded_by=staff,
                                          happened_on=max(first, min((start + dt.timedelta(days=30)).date(),
                                                                     ctx.today))))
    Notice.objects.bulk_create(notices_, batch_size=500)
    for n in notices_:
        if rng.random() < 0.3:
            answered = n.ends_at < now
            objections.append(Objection(notice=n, author=rng.choice(authors), text="建议调整位置，避免影响低楼层居民",
                                        answer="已采纳，调整至小区东侧" if answered else "",
                                        answered_by=staff if answered else None,
                                        answered_at=n.starts_at + dt.timedelta(days=2) if answered else None))
    Objection.objects.bulk_create(objections, batch_size=500)
    ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
    ctx.extra["deliberation_staff"] = staff
    ctx.stats["议题"] = len(topics)
    ctx.stats["议事会"] = len(meetings)
    ctx.stats["决议"] = len(resolutions)
    ctx.stats["居民代表"] = len(entries)
    ctx.stats["公示（决议）"] = len(notices_)
    ctx.log(f"议事协商：{len(topics)} 个议题，{len(meetings)} 场会议，{len(resolutions)} 项决议")
