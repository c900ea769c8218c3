"""Demo data for services near home: a street network over the zone, facilities of every required kind (with the
article's 11 community canteens and 5 holiday schools), the 206-item service catalogue, and the analysis run.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import shape

from grassroots.territory.models import Level, Region

from . import services
from .models import Facility, FacilityKind, ServiceItem
from .network import Network, haversine_m

# Demo rows that refer to no core table, emptied by ``grassroots demo --reset`` (reference data such as facility kinds
# and requirement profiles is upserted and kept).
RESET_MODELS = ("lifecircle.ServiceItem",)

# (subject, verbs, competent department, item type, level, instant?)
CATALOGUE = [
    ("居住证", ["申领", "签注", "变更", "补领"], "公安分局", "confirmation", "community", False),
    ("户籍", ["迁入登记", "迁出登记", "出生登记", "死亡注销", "变更更正"], "公安分局", "confirmation", "street", False),
    ("高龄津贴", ["申领", "变更", "停发"], "民政局", "payment", "community", True),
    ("城乡居民最低生活保障", ["申请", "复核", "停发"], "民政局", "payment", "street", False),
    ("特困人员救助供养", ["申请", "终止"], "民政局", "payment", "street", False),
    ("临时救助", ["申请", "急难型审批"], "民政局", "payment", "street", False),
    ("残疾人证", ["申领", "换领", "迁移", "注销"], "残疾人联合会", "confirmation", "community", False),
    ("困难残疾人生活补贴", ["申请", "变更"], "残疾人联合会", "payment", "community", False),
    ("重度残疾人护理补贴", ["申请", "变更"], "残疾人联合会", "payment", "community", False),
    ("城乡居民基本养老保险", ["参保登记", "待遇申领", "关系转移", "注销登记", "信息变更"], "人力资源部", "public_service",
     "community", True),
    ("城乡居民基本医疗保险", ["参保登记", "医疗费用报销", "异地就医备案"], "医疗保障分局", "public_service", "community", True),
    ("就业创业证", ["申领", "变更", "补发"], "人力资源部", "public_service", "community", True),
    ("失业登记", ["办理", "注销"], "人力资源部", "public_service", "community", True),
    ("失业保险金", ["申领"], "人力资源部", "payment", "street", False),
    ("灵活就业社保补贴", ["申请"], "人力资源部", "payment", "street", False),
    ("创业担保贷款", ["申请受理"], "人力资源部", "public_service", "street", False),
    ("生育登记", ["服务办理"], "卫生健康局", "public_service", "community", True),
    ("独生子女父母奖励", ["申领", "光荣证补办"], "卫生健康局", "award", "community", False),
    ("计划生育特别扶助金", ["申请"], "卫生健康局", "payment", "community", False),
    ("老年人优待证", ["办理", "补办"], "民政局", "public_service", "community", True),
    ("居家养老服务补贴", ["申请", "评估"], "民政局", "payment", "community", False),
    ("社区食堂助餐补贴", ["申请"], "民政局", "payment", "community", True),
    ("退役军人优待证", ["申领", "补领"], "退役军人事务局", "public_service", "community", False),
    ("退役军人信息采集", ["登记"], "退役军人事务局", "public_service", "community", True),
    ("优抚对象抚恤补助", ["申请", "变更"], "退役军人事务局", "payment", "street", False),
    ("义务兵家庭优待金", ["申领"], "退役军人事务局", "payment", "street", False),
    ("兵役登记", ["办理"], "人民武装部", "public_service", "street", True),
    ("流动人口婚育证明", ["开具"], "卫生健康局", "confirmation", "community", True),
    ("居民身份证", ["申领", "换领", "补领", "临时身份证办理"], "公安分局", "confirmation", "street", False),
    ("出租房屋", ["信息登记", "变更登记"], "公安分局", "public_service", "community", True),
    ("门前三包责任书", ["签订"], "城市管理局", "public_service", "community", True),
    ("占道施工", ["备案"], "城市管理局", "license", "street", False),
    ("户外广告设置", ["咨询受理"], "城市管理局", "license", "street", False),
    ("犬只登记", ["办理"], "公安分局", "public_service", "community", False),
    ("公共租赁住房", ["申请受理", "资格复核", "退出"], "住房和城乡建设局", "public_service", "street", False),
    ("住房维修资金", ["使用申请受理"], "住房和城乡建设局", "public_service", "community", False),
    ("业主大会首次会议", ["筹备申请"], "住房和城乡建设局", "public_service", "street", False),
    ("物业服务投诉", ["受理"], "住房和城乡建设局", "public_service", "community", True),
    ("燃气安全", ["入户检查预约"], "应急管理局", "public_service", "community", True),
    ("消防安全", ["隐患举报受理"], "应急管理局", "public_service", "community", True),
    ("防汛避险", ["转移安置登记"], "应急管理局", "public_service", "community", True),
    ("法律援助", ["申请受理", "咨询"], "司法所", "public_service", "street", True),
    ("人民调解", ["申请受理"], "司法所", "public_service", "community", True),
    ("社区矫正", ["报到"], "司法所", "other_power", "street", True),
    ("个体工商户", ["设立登记", "变更登记", "注销登记"], "市场监督管理局", "license", "street", False),
    ("食品经营许可", ["申请受理"], "市场监督管理局", "license", "street", False),
    ("消费投诉", ["受理"], "市场监督管理局", "public_service", "community", True),
    ("预防接种证", ["办理", "补办"], "卫生健康局", "public_service", "community", True),
    ("从业人员健康证明", ["办理"], "卫生健康局", "confirmation", "street", False),
    ("家庭医生", ["签约", "解约"], "卫生健康局", "public_service", "community", True),
    ("慢性病门诊", ["资格申请"], "医疗保障分局", "confirmation", "community", False),
    ("医疗救助", ["申请"], "医疗保障分局", "payment", "street", False),
    ("学籍", ["转学受理"], "教育局", "public_service", "street", False),
    ("学前教育资助", ["申请"], "教育局", "payment", "community", False),
    ("爱心假日学校", ["报名"], "团工委", "public_service", "community", True),
    ("幼儿托管", ["报名"], "卫生健康局", "public_service", "community", True),
    ("志愿服务", ["注册", "时长证明开具"], "社会工作部", "public_service", "community", True),
    ("党员组织关系", ["转入", "转出", "双报到登记"], "党群工作部", "other_power", "community", True),
    ("入党申请", ["递交"], "党群工作部", "other_power", "community", True),
    ("工会会员", ["入会登记"], "总工会", "public_service", "community", True),
    ("困难职工帮扶", ["申请"], "总工会", "payment", "street", False),
    ("妇女儿童维权", ["受理"], "妇女联合会", "public_service", "community", True),
    ("法律文书", ["代收"], "司法所", "public_service", "community", True),
    ("婚姻登记", ["预约", "材料预审"], "民政局", "confirmation", "street", False),
    ("殡葬补贴", ["申领"], "民政局", "payment", "community", False),
    ("居民死亡医学证明", ["开具"], "卫生健康局", "confirmation", "community", True),
    ("社会救助家庭经济状况", ["核对授权"], "民政局", "confirmation", "community", True),
    ("农村宅基地", ["申请受理"], "自然资源局", "license", "street", False),
    ("土地承包经营权", ["流转备案"], "农业农村局", "public_service", "street", False),
    ("农业补贴", ["申报"], "农业农村局", "payment", "community", False),
    ("集体经济组织成员身份", ["确认申请"], "农业农村局", "confirmation", "community", False),
    ("合作社分红", ["查询", "异议受理"], "农业农村局", "public_service", "community", True),
    ("企业用工", ["招聘信息发布"], "人力资源部", "public_service", "street", True),
    ("企业联系卡", ["诉求受理"], "新材料产业园", "public_service", "street", True),
    ("充电桩安装", ["物业证明开具"], "住房和城乡建设局", "public_service", "community", True),
    ("垃圾分类", ["积分兑换", "大件垃圾预约"], "城市管理局", "public_service", "community", True),
    ("社区基金", ["捐赠", "资助申请"], "社会工作部", "public_service", "community", True),
    ("微项目", ["申报"], "社会工作部", "public_service", "community", True),
    ("社区证明", ["居住证明", "亲属关系证明"], "社区居委会", "confirmation", "community", True),
    ("孤儿基本生活费", ["申请", "变更"], "民政局", "payment", "street", False),
    ("事实无人抚养儿童", ["认定申请"], "民政局", "confirmation", "street", False),
    ("经济困难老年人护理补贴", ["申请", "复核"], "民政局", "payment", "community", False),
    ("养老机构入住", ["咨询", "评估预约"], "民政局", "public_service", "community", True),
    ("社会组织", ["成立登记咨询", "年检材料受理"], "民政局", "license", "street", False),
    ("社区社会组织", ["备案"], "民政局", "confirmation", "community", True),
    ("就业困难人员", ["认定", "援助申请"], "人力资源部", "confirmation", "community", False),
    ("职业技能培训", ["报名", "补贴申请"], "人力资源部", "payment", "community", False),
    ("劳动保障监察", ["投诉受理"], "人力资源部", "public_service", "street", True),
    ("劳动人事争议调解", ["申请受理"], "人力资源部", "public_service", "street", True),
    ("社会保障卡", ["申领", "挂失", "补换", "密码重置"], "人力资源部", "public_service", "community", True),
    ("退休人员", ["资格认证", "信息变更"], "人力资源部", "public_service", "community", True),
    ("工伤保险", ["咨询受理"], "人力资源部", "public_service", "street", True),
    ("生育保险", ["待遇申领"], "医疗保障分局", "payment", "street", False),
    ("门诊特殊疾病", ["认定申请"], "医疗保障分局", "confirmation", "community", False),
    ("长期护理保险", ["失能评估申请"], "医疗保障分局", "public_service", "community", False),
    ("孕产妇健康管理", ["建档"], "卫生健康局", "public_service", "community", True),
    ("老年人健康体检", ["预约"], "卫生健康局", "public_service", "community", True),
    ("0-6岁儿童健康管理", ["建档"], "卫生健康局", "public_service", "community", True),
    ("严重精神障碍患者", ["登记管理"], "卫生健康局", "public_service", "community", True),
    ("计划生育家庭", ["奖励扶助申请"], "卫生健康局", "payment", "community", False),
    ("残疾人辅助器具", ["适配申请"], "残疾人联合会", "payment", "community", False),
    ("残疾人就业", ["登记", "补贴申请"], "残疾人联合会", "payment", "community", False),
    ("无障碍改造", ["申请"], "残疾人联合会", "payment", "community", False),
    ("适老化改造", ["申请"], "民政局", "payment", "community", False),
    ("老旧小区改造", ["意见征集", "问题反映"], "住房和城乡建设局", "public_service", "community", True),
    ("电梯加装", ["申请受理"], "住房和城乡建设局", "public_service", "street", False),
    ("房屋安全", ["隐患报告"], "住房和城乡建设局", "public_service", "community", True),
    ("物业服务", ["满意度评价"], "住房和城乡建设局", "public_service", "community", True),
    ("业主委员会", ["备案", "换届指导"], "住房和城乡建设局", "confirmation", "street", False),
    ("停车位", ["申请登记"], "城市管理局", "public_service", "community", True),
    ("环境卫生", ["问题反映"], "城市管理局", "public_service", "community", True),
    ("违法建设", ["举报受理"], "城市管理局", "public_service", "community", True),
    ("噪声扰民", ["投诉受理"], "生态环境分局", "public_service", "community", True),
    ("油烟污染", ["投诉受理"], "生态环境分局", "public_service", "community", True),
    ("供水", ["报装", "故障报修"], "水务局", "public_service", "community", True),
    ("供电", ["故障报修", "用电报装咨询"], "供电公司", "public_service", "community", True),
    ("燃气", ["开户咨询"], "住房和城乡建设局", "public_service", "community", True),
    ("暖气", ["报停", "报修"], "住房和城乡建设局", "public_service", "community", True),
    ("无犯罪记录证明", ["开具"], "公安分局", "confirmation", "street", False),
    ("居住登记", ["办理"], "公安分局", "confirmation", "community", True),
    ("电动自行车", ["登记上牌"], "公安分局", "license", "street", False),
    ("校外培训机构", ["投诉受理"], "教育局", "public_service", "street", True),
    ("义务教育入学", ["报名咨询"], "教育局", "public_service", "community", True),
    ("文化活动场地", ["预约"], "文化和旅游局", "public_service", "community", True),
    ("体育场地", ["预约"], "文化和旅游局", "public_service", "community", True),
    ("图书借阅", ["办证"], "文化和旅游局", "public_service", "community", True),
    ("村集体资产", ["租赁申请"], "农业农村局", "public_service", "community", False),
    ("农村低收入人口", ["监测申报"], "农业农村局", "public_service", "community", True),
    ("高素质农民培训", ["报名"], "农业农村局", "public_service", "community", True),
    ("外出务工人员", ["返乡创业登记"], "人力资源部", "public_service", "community", True),
    ("红色物业", ["问题反映"], "住房和城乡建设局", "public_service", "community", True),
    ("民生茶馆", ["议题提交"], "社区居委会", "public_service", "community", True),
    ("四邻议事", ["参加报名"], "社区居委会", "public_service", "community", True),
    ("能人", ["登记"], "社会工作部", "public_service", "community", True),
    ("便民维修", ["预约"], "社区居委会", "public_service", "community", True),
    ("快递代收", ["登记"], "社区居委会", "public_service", "community", True),
    ("防诈骗", ["咨询"], "公安分局", "public_service", "community", True),
    ("心理咨询", ["预约"], "卫生健康局", "public_service", "community", True),
    ("慈善救助", ["申请"], "民政局", "payment", "street", False),
]


def catalogue_rows(rng) -> list[dict]:
    rows = []
    for subject, verbs, dept, item_type, level, instant in CATALOGUE:
        for verb in verbs:
            rows.append({"subject": subject, "verb": verb, "dept": dept, "type": item_type, "level": level,
                         "instant": instant})
    return rows


def create_catalogue(zone: Region, rng) -> None:
    """The 206 service items of the demo catalogue, with their everyday names and keywords."""
    rows = catalogue_rows(rng)
    assert len(rows) == 206, len(rows)
    items = []
    for i, r in enumerate(rows, start=1):
        code = f"{zone.code}{r['dept'][:2]}-{r['type'][:2].upper()}-{i:04d}"
        legal = rng.choice([5, 10, 15, 20, 30]) if not r["instant"] else None
        items.append(ServiceItem(
            code=code, name=f"{r['subject']}{r['verb']}", item_type=r["type"], competent_department=r["dept"],
            implementing_body="社区党群服务中心" if r["level"] == "community" else "街道便民服务中心",
            legal_basis=[f"《{r['subject']}管理办法》（示例）"], applicant_scope=rng.choice(["个人", "个人、法人"]),
            conditions=f"符合{r['subject']}相关规定的辖区居民。", materials=[
                {"name": "居民身份证", "form": "原件"}, {"name": "申请表", "form": "原件"}][: rng.randint(1, 2)],
            steps=["受理", "审核", "办结"] if not r["instant"] else ["受理并当场办结"],
            legal_days=legal, promised_days=(max(1, legal // 2) if legal else None), is_instant=r["instant"],
            location="社区党群服务中心一楼服务大厅" if r["level"] == "community" else "街道便民服务中心",
            hours="周一至周五 8:30-12:00，13:30-17:30", max_visits=1 if rng.random() < 0.85 else 2,
            online_url="", consult_phone="0546-12345", complaint_phone="0546-12345", level=r["level"]))
    ServiceItem.objects.bulk_create(items)
    services.load_item_words()


def build_network(zone: Region, rng, spacing_deg: float = 0.001) -> Network:
    """A plausible street lattice over the zone: jittered blocks, some missing links, some diagonal paths."""
    minx, miny, maxx, maxy = shape(zone.geometry).bounds
    nx = int(round((maxx - minx) / spacing_deg)) + 1
    ny = int(round((maxy - miny) / (spacing_deg * 0.8))) + 1
    seed = rng.randrange(2**32)
    gen = np.random.default_rng(seed)
    xs = np.linspace(minx, maxx, nx)
    ys = np.linspace(miny, maxy, ny)
    gx, gy = np.meshgrid(xs, ys)
    lon = (gx + gen.uniform(-0.15, 0.15, gx.shape) * spacing_deg).ravel()
    lat = (gy + gen.uniform(-0.12, 0.12, gy.shape) * spacing_deg).ravel()
    idx = np.arange(nx * ny).reshape(ny, nx)
    u = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    v = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    keep = gen.random(u.shape[0]) > 0.04  # a few dead ends and missing links
    u, v = u[keep], v[keep]
    du = idx[:-1, :-1].ravel()
    dv = idx[1:, 1:].ravel()
    pick = gen.random(du.shape[0]) < 0.05  # footpaths across blocks
    u = np.concatenate([u, du[pick]])
    v = np.concatenate([v, dv[pick]])
    length = haversine_m(lon[u], lat[u], lon[v], lat[v]) * gen.uniform(1.0, 1.1, u.shape[0])
    return Network(lon, lat, u, v, length)


# kind code → how many per community / village (or a fixed zone total with "zone:N")
FACILITY_PLAN = {
    "party_service_centre": 1, "service_station": 1, "culture_room": 1, "health_station": 1,
    "elderly_day_care": 1, "kindergarten": 2, "nursery": 1, "sports_small": 2, "fitness_outdoor": 3,
    "convenience_store": 6, "parcel_point": 5, "recycling": 2, "public_toilet": 2, "party_service_post": 2,
    "fresh_market": 1, "primary_school": 1, "sports_medium": 1, "breakfast": 3, "repair": 1, "housekeeping": 1,
    "elderly_service": 1,
    "community_canteen": "zone:11", "holiday_school": "zone:5", "child_care": "zone:8",
    "junior_middle_school": "zone:3", "sports_large": "zone:2", "health_centre": "zone:3", "care_home": "zone:3",
    "culture_centre": "zone:2", "service_centre": "zone:3", "subdistrict_office": "zone:3",
    "police_justice": "zone:3", "mall": "zone:3", "bank_post": "zone:6", "bus_terminus": "zone:2",
}


def build(ctx) -> None:
    rng = ctx.rng
    services.load_requirements()
    zone = ctx.zone
    net = build_network(zone, rng)
    services.network_save(actor=None, zone=zone, net=net, name=f"{zone.name}步行路网（合成）", source="demo")

    # service items, with the everyday names and keywords the finder searches (data/service_item_words.json)
    create_catalogue(zone, rng)
    items = list(ServiceItem.objects.order_by("code"))
    community_items = [i for i in items if i.level == "community"]
    street_items = [i for i in items if i.level == "street"]

    # facilities
    kinds = {k.code: k for k in FacilityKind.objects.all()}
    areas = list(ctx.communities) + list(ctx.villages)
    buildings_by_area: dict[int, list] = {}
    for area in areas:
        for grid in ctx.grids_by_area.get(area.pk, []):
            buildings_by_area.setdefault(area.pk, []).extend(ctx.buildings_by_grid.get(grid.pk, []))
    all_buildings = [b for bs in buildings_by_area.values() for b in bs]
    facilities = []

    def place(kind_code, building, name):
        jitter = 0.0004
        facilities.append(Facility(
            name=name, kind=kinds[kind_code], region=building.parent, lon=building.lon + rng.uniform(-jitter, jitter),
            lat=building.lat + rng.uniform(-jitter, jitter), address=f"{building.parent.name}{building.name}旁",
            opening_hours=rng.choice(["8:30-17:30", "7:00-20:00", "全天", "周一至周五 8:30-17:30"]),
            capacity=rng.choice([None, 30, 50, 80, 120, 200])))

    for area in areas:
        bs = buildings_by_area.get(area.pk) or []
        if not bs:
            continue
        for code, plan in FACILITY_PLAN.items():
            if isinstance(plan, int):
                # villages get fewer urban facilities: that is where the gaps are
                count = plan if area.level == Level.COMMUNITY else (1 if rng.random() < 0.5 else 0)
                for n in range(count):
                    place(code, rng.choice(bs), f"{area.name}{kinds[code].name}{'' if count == 1 else n + 1}")
    for code, plan in FACILITY_PLAN.items():
        if isinstance(plan, str):
            total = int(plan.split(":")[1])
            for n in range(total):
                area = areas[(n * 5 + rng.randrange(len(areas))) % len(areas)]
                bs = buildings_by_area.get(area.pk) or all_buildings
                place(code, rng.choice(bs), f"{area.name}{kinds[code].name}")
    Facility.objects.bulk_create(facilities)
    through = Facility.service_items.through
    links = []
    for f in Facility.objects.filter(kind__code__in=["party_service_centre", "service_station", "service_centre",
                                                     "party_service_post", "community_canteen", "holiday_school",
                                                     "child_care", "subdistrict_office"]).select_related("kind"):
        code = f.kind.code
        if code in ("party_service_centre", "service_station"):
            chosen = community_items
        elif code in ("service_centre", "subdistrict_office"):
            chosen = street_items + community_items[::3]
        elif code == "party_service_post":
            chosen = rng.sample(community_items, k=min(12, len(community_items)))
        else:
            chosen = [i for i in community_items if any(w in i.name for w in ("助餐", "假日", "托管", "高龄"))]
        links.extend(through(facility_id=f.pk, serviceitem_id=i.pk) for i in chosen)
    through.objects.bulk_create(links, batch_size=5000)

    run = services.run_analysis(actor=None, zone=zone)
    ctx.stats["service_items"] = len(items)
    ctx.stats["facilities"] = len(facilities)
    ctx.stats["walk_network_nodes"] = net.node_count
    ctx.stats["lifecircle_seconds"] = round(run.seconds, 2)
    ctx.log(f"一刻钟生活圈：{net.node_count} 个路网节点，{len(facilities)} 处设施，{len(items)} 项服务事项，"
            f"{run.buildings} 栋住宅楼已分析")
