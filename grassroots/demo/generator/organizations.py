"""Organisations: departments, subdistrict offices, residents' and village committees, property firms, agencies,
state-owned enterprises, schools, cooperatives and the park's enterprises (one to a few per enterprise grid)."""

from __future__ import annotations

from grassroots.people.models import Organization
from grassroots.territory.models import Level

from .context import DemoContext

K = Organization.Kind
DEPARTMENTS = (
    ("城市管理局", "城管"), ("住房和城乡建设局", "住建"), ("生态环境分局", "环保"), ("应急管理局", "应急"),
    ("市场监督管理局", "市场监管"), ("公安分局", "公安"), ("水务局", "水务"), ("供电公司", "供电"),
    ("人力资源部", "人力"), ("社会事业局", "社会事业"), ("审批服务部", "审批"), ("交通运输局", "交通"),
)
AGENCIES = ("纪工委监工委", "党群工作部", "财政金融局", "经济发展局", "综合执法大队", "社区卫生服务中心")
SOES = ("东营经开区城市发展投资集团有限公司", "东营经开区科教产业发展有限公司", "东营经开区公用事业有限公司",
        "东凯新材料产业园有限公司")
SCHOOLS = ("东营经开区实验小学", "东营经开区第一中学", "悦来小学", "胜园幼儿园", "东城第二小学", "辛安中学",
           "锦华幼儿园", "海河小学")
PROPERTY_FIRMS = ("四邻物业服务有限公司", "胜利物业管理有限公司", "安泰物业服务有限公司", "锦华物业有限公司",
                  "东城物业管理有限公司", "嘉禾物业服务有限公司", "润泽物业有限公司", "银河物业服务有限公司",
                  "宏远物业管理有限公司")
# The five fields of the new-materials park.
FIELDS = ("功能陶瓷材料", "铜基新材料", "先进复合材料", "高性能纤维材料", "稀土催化材料")
FIRM_STEMS = ("华瑞", "科隆", "恒泰", "瑞丰", "鑫源", "天成", "宏达", "汇泽", "博远", "中科", "海科", "正和",
              "鲁源", "嘉盛", "金岭", "新港", "广源", "润丰", "晟达", "凯盛", "东岳", "永信", "众诚", "昊华",
              "佳瑞", "万晟", "百川", "华康", "蓝海", "德润", "远航", "泰鑫", "利华", "北辰", "盛通", "宝德",
              "信诚", "安达", "裕龙", "金诺", "联创", "普瑞", "天和", "华宇", "润邦", "宏业", "启明", "同创",
              "昌盛", "恒瑞", "中晟", "亿达", "汇丰", "凯瑞", "华信", "精工", "海诺", "东诚", "新锐", "祥瑞")
FIRM_SUFFIXES = ("新材料有限公司", "科技有限公司", "材料股份有限公司", "化工有限公司", "催化剂有限公司",
                 "纤维科技有限公司", "复合材料有限公司", "铜业有限公司", "陶瓷有限公司")
ANCHOR_FIRM = "东营国瓷新材料有限公司"
# Firms of the internet industry chain (outside the park, in office buildings of the urban grids).
INTERNET_FIRMS = ("东营工网科技有限公司", "东营工业互联网创新中心有限公司", "黄河云数据服务有限公司",
                  "经开数字科技有限公司")


def build(ctx: DemoContext) -> None:
    rng, spec = ctx.rng, ctx.spec
    rows: list[Organization] = []

    def add(name: str, kind: str, region, short: str = "", point=None) -> Organization:
        lon, lat = point if point else (region.lon, region.lat)
        org = Organization(name=name, short_name=short, kind=kind, region=region, lon=lon, lat=lat,
                           phone=f"0546-{rng.randrange(10 ** 7):07d}",
                           address=f"{ctx.zone.name}{region.name}" if region.level != Level.ZONE else ctx.zone.name)
        rows.append(org)
        return org

    departments = [add(name, K.DEPARTMENT, ctx.zone, short) for name, short in DEPARTMENTS]
    for sd in ctx.subdistricts:
        add(f"{sd.name}办事处", K.SUBDISTRICT_OFFICE, sd)
    for c in ctx.communities:
        add(f"{c.name}居民委员会", K.RESIDENTS_COMMITTEE, c)
    for v in ctx.villages:
        add(f"{v.name}村民委员会", K.VILLAGE_COMMITTEE, v)
    for name in AGENCIES:
        add(name, K.AGENCY, ctx.zone)
    residential = [g for g in ctx.grids if g.parent_id != ctx.park.id]
    for name in SOES:
        if name != "东凯新材料产业园有限公司":  # that one sits in the park, below
            add(name, K.STATE_OWNED_ENTERPRISE, ctx.zone)
    for name in SCHOOLS[: spec.schools]:
        add(name, K.SCHOOL, rng.choice(residential))
    for name in PROPERTY_FIRMS[: spec.property_firms]:
        add(name, K.PROPERTY_FIRM, ctx.zone)
    internet = [add(name, K.ENTERPRISE, rng.choice(residential)) for name in INTERNET_FIRMS[: max(2, spec.schools // 2)]]
    for v in ctx.villages:
        add("田甜果蔬种植专业合作社" if v.name == "田庄村" else f"{v.name.removesuffix('村')}双收农业专业合作社",
            K.COOPERATIVE, v)

    park_grids = ctx.grids_by_area[ctx.park.id]
    lattice, cells = ctx.extra["lattice"], ctx.extra["grid_cells"]
    stems = list(FIRM_STEMS)
    rng.shuffle(stems)
    enterprises = []
    for k, grid in enumerate(park_grids):
        n = rng.randint(*spec.enterprises_per_park_grid)
        if k == 0:
            n = max(n, 2)
        for j in range(n):
            point = lattice.point_in(cells[grid.code], rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9))
            if k == 0 and j == 0:
                org = add(ANCHOR_FIRM, K.ENTERPRISE, grid, "国瓷", point)
            elif k == 0 and j == 1:
                org = add("东凯新材料产业园有限公司", K.STATE_OWNED_ENTERPRISE, grid, "东凯", point)
            else:
                stem = stems.pop() if stems else f"园{k}{j}"
                org = add(f"东营{stem}{rng.choice(FIRM_SUFFIXES)}", K.ENTERPRISE, grid, stem, point)
            org.field = FIELDS[(k + j) % len(FIELDS)]
            enterprises.append(org)
    Organization.objects.bulk_create(rows, batch_size=1000)
    ctx.organizations = {o.name: o for o in rows}
    ctx.departments = {o.name: o for o in departments}
    ctx.enterprises = enterprises
    ctx.extra["internet_firms"] = internet
    ctx.stats["organizations"] = len(rows)
    ctx.stats["enterprises"] = len(ctx.enterprises)
