"""The article's party-building brands (东营经开区 稿): the SOE brands 新材料、新梦想、新贡献, 科教助发展 悦来党旗红,
红领同心圆; the 两新 brands 特殊材料人 and 工网红帆; the agencies' matrix (竹韵清风 助力发展, 三先引领 群众至上);
the education system's 红烛党建工作室 and the eight school brands the city named among its first excellent school
brands. Each goes through the services: written with the 五有, applied, reviewed by three named reviewers and
named; a few more are still on the way (applied, under review, a draft)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from . import services
from .states import Level, Sector

CITY_EDUCATION = "中共东营市委教育工作委员会"
# organisation name, sector, brand, 内涵, 载体, 成效, rating (None: not yet rated)
BRANDS = (
    ("东凯新材料产业园有限公司", Sector.SOE, "新材料、新梦想、新贡献", "以党建引领新材料产业集群发展",
     "“1+4”工作机制；党建指导员分片服务重点企业", "园区五大重点领域项目加快建设", Level.DEMONSTRATION),
    ("东营经开区科教产业发展有限公司", Sector.SOE, "科教助发展，悦来党旗红", "科教兴区、党旗引领",
     "党员先锋岗；项目攻坚小组", "科教项目按期推进", Level.DEMONSTRATION),
    ("东营经开区城市发展投资集团有限公司", Sector.SOE, "红领同心圆", "党建同心、发展同向",
     "“党建+双招双引、项目建设、营商环境”", "牵头重点项目列入省市重点", Level.CULTIVATION),
    ("东营国瓷新材料有限公司", Sector.TWO_NEW, "特殊材料人", "做特殊材料，当特殊材料人",
     "产业链党委统筹；党员技术攻关团队", "尾气催化转化技术产业化加快实施", Level.DEMONSTRATION),
    ("东营工网科技有限公司", Sector.TWO_NEW, "工网红帆", "红色引擎驱动工业互联网", "互联网产业链党委联建",
     "工业互联网创新中心建设推进", Level.CULTIVATION),
    ("纪工委监工委", Sector.AGENCY, "竹韵清风 助力发展", "清风护航营商环境", "廉政教育进企业；监督下沉",
     "问题清单整改销号", Level.DEMONSTRATION),
    ("审批服务部", Sector.AGENCY, "三先引领 群众至上", "服务在先、审批在先、落实在先", "帮办代办；“两个走进心里”",
     "群众办事满意度提升", Level.DEMONSTRATION),
)
SCHOOL_BRANDS = ("红烛党建工作室", "童心向党", "书香党建", "悦来先锋", "启航党建", "红色摇篮", "博雅先锋", "海河红帆")
PENDING = (("财政金融局", Sector.AGENCY, "金融活水润民生", "applied"),
           ("经济发展局", Sector.AGENCY, "经发先锋", "reviewing"),
           ("社区卫生服务中心", Sector.AGENCY, "健康守护", "draft"))


def _logo(rng) -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (96, 96), (rng.randint(150, 220), rng.randint(0, 40), rng.randint(0, 40)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _reviewers(org) -> list:
    from grassroots.core import clock
    from grassroots.core import roles as R
    from grassroots.core.scope import active_posts_q
    from grassroots.people.models import Post, User

    from . import permissions

    holders = Post.objects.filter(active_posts_q(clock.today()), role__in=[
        R.Role.PARTY_COMMITTEE_OFFICER, R.Role.ZONE_LEADER, R.Role.SUBDISTRICT_OFFICER]).values("user_id")
    users = User.objects.filter(pk__in=holders, is_active=True).order_by("username")[:12]
    return [u.pk for u in users if not permissions.can_keep(u, org)][:3]


def build(ctx) -> None:
    from grassroots.party.models import PartyOrg

    rng, today = ctx.rng, ctx.today
    orgs = {o.organization.name: o for o in PartyOrg.objects.filter(active=True, organization__isnull=False)
            .select_related("organization").order_by("path")}
    rated = started = 0

    def make(org, sector, name, connotation, carriers, results):
        return services.brand_create(actor=None, org=org, sector=sector, name=name, connotation=connotation,
                                     carriers=carriers, results=results, logo=_logo(rng))

    def review(brand, score_floor=80):
        reviewers = _reviewers(brand.org)
        services.brand_apply(actor=None, brand=brand)
        services.brand_review_open(actor=None, brand=brand, reviewer_ids=reviewers)
        from django.contrib.auth import get_user_model

        for pk in reviewers:
            services.brand_review_submit(actor=get_user_model().objects.get(pk=pk), brand=brand,
                                         score=rng.randint(score_floor, 98), opinion="五有齐全，特色鲜明，成效明显")
        return brand

    for org_name, sector, name, connotation, carriers, results, level in BRANDS:
        org = orgs.get(org_name)
        if org is None:
            continue
        brand = review(make(org, sector, name, connotation, carriers, results))
        services.brand_rate(actor=None, brand=brand, level=level, rated_on=today - dt.timedelta(days=120))
        rated += 1
    schools = [o for n, o in orgs.items() if o.organization.kind == "school"]
    for org, name in zip(schools, SCHOOL_BRANDS, strict=False):
        brand = review(make(org, Sector.EDUCATION, name, "立德树人、党建铸魂", "党员教师先锋岗；红烛志愿服务",
                            "党组织团队一体化建设见效"))
        services.brand_rate(actor=None, brand=brand, level=Level.DEMONSTRATION, rated_by_body=CITY_EDUCATION,
                            rated_on=dt.date(today.year - 1, 12, 20))
        rated += 1
    for org_name, sector, name, stage in PENDING:
        org = orgs.get(org_name)
        if org is None:
            continue
        brand = make(org, sector, name, "以党建促业务", "党员示范岗", "服务质效提升")
        if stage == "applied":
            services.brand_apply(actor=None, brand=brand)
        elif stage == "reviewing":
            services.brand_apply(actor=None, brand=brand)
            services.brand_review_open(actor=None, brand=brand, reviewer_ids=_reviewers(org))
        started += 1
    ctx.stats.update(party_brands_rated=rated, party_brands_in_progress=started)
